-- Returns (axis, month, code, n, total, share): for the episodes selected by $f whose session timestamp
-- is >= $since (a date), the occurrences n of each symptom label (S1–S7; S8 left out of numerator and
-- denominator) and each cause label (C1–C7) per calendar month; total = occurrences of that axis' labels
-- in the month; share = 100 * n / total (percent).
WITH e AS (SELECT month, symptoms, causes FROM flagged($f)
           WHERE failmask = 0 AND ts >= CAST($since AS TIMESTAMP)),
     o AS (SELECT 'symptom' AS axis, month, unnest(symptoms) AS code FROM e
           UNION ALL
           SELECT 'cause' AS axis, month, unnest(causes) AS code FROM e)
SELECT axis, month, code, count(*) AS n,
       sum(count(*)) OVER (PARTITION BY axis, month) AS total,
       100.0 * count(*) / sum(count(*)) OVER (PARTITION BY axis, month) AS share
FROM o
WHERE code <> 'S8'
GROUP BY axis, month, code
ORDER BY axis, month, code
