-- Returns one row (n): the number of episodes selected by the filter struct $f.
SELECT count(*) AS n FROM flagged($f) WHERE failmask = 0
