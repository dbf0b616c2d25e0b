-- Returns one row: `selected` (episodes selected by $f) and, per facet axis, the episodes passing every
-- other axis — the denominator of that facet's percentages (its own selection removed; for the
-- validation axes also the implicit default scope), as in facets.sql. One column per facet axis, generated
-- from the taxonomy (axis_sql.facet_totals).
SELECT count(*) FILTER (WHERE failmask = 0) AS selected,
       {{facet_totals}}
FROM flagged($f)
WHERE bit_count(failmask) <= 2
