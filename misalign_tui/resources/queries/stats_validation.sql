-- Returns (platform, validation, n): extracted candidates per platform and validation label for the
-- filter struct $f with its validation axes (and the VALID default) lifted.
SELECT platform, validation, count(*) AS n
FROM flagged($f)
WHERE (failmask & ~(512 | 1024 | 2097152)) = 0
GROUP BY platform, validation
