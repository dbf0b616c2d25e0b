-- Returns (symptom, cause, pairs): label-pair co-occurrences of the selected episodes (every symptom of an
-- episode paired with every cause of it).
WITH e AS (SELECT symptoms, causes FROM flagged($f) WHERE failmask = 0),
     s AS (SELECT unnest(symptoms) AS symptom, causes FROM e)
SELECT symptom, cause, count(*) AS pairs
FROM (SELECT symptom, unnest(causes) AS cause FROM s)
GROUP BY symptom, cause
