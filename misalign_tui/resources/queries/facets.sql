-- Returns (pass, g, code, n, more): the facet counts of the filter struct $f in one statement over the
-- counting tables (facet_rows, or the pre-aggregated facet_cube when every active filter is one of its
-- axes): a grouped pass over every axis without a selection, one pass per selected axis without its own
-- selection (OR within an axis, AND across), the validation axes without the implicit default scope, and
-- the top values of the growing axes (repo) with `more` = how many values they have. Codes are
-- facet_dict codes (bit masks for list-valued axes); `g` is GROUPING() of the pass' columns. Generated
-- from the taxonomy for the active filter keys (misalign_tui/data/facet_sql.py).
{{facet_passes}}
