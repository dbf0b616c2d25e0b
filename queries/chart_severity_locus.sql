-- Returns (severity, locus, n): the episodes selected by $f per damage severity and damage locus
-- (locus NULL = no locus recorded).
SELECT severity, locus, count(*) AS n
FROM flagged($f) WHERE failmask = 0
GROUP BY severity, locus
