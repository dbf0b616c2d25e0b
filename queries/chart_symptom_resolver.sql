-- Returns (symptom, resolver, n): symptom label occurrences of the episodes selected by $f per resolver
-- (resolver NULL = no resolver, i.e. resolution RS2).
SELECT symptom, resolver, count(*) AS n
FROM (SELECT unnest(symptoms) AS symptom, resolver FROM flagged($f) WHERE failmask = 0)
GROUP BY symptom, resolver
