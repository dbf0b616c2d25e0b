-- Returns (axis, code, n): every value (facet_dict code) of the growing facet axes (repo) with the episodes
-- the user would get by selecting it — every other filter of $f applied, the axis' own selection removed.
-- The facets query lists only the top values of such an axis; this lists them all (generated from the
-- taxonomy for the active filter keys by misalign_tui/data/facet_sql.py).
{{facet_all_values}}
