-- Returns one row (n): the number of episodes selected by the filter struct $f (counting tables,
-- conditions generated for the active filter keys by misalign_tui/data/facet_sql.py).
{{facet_count}}
