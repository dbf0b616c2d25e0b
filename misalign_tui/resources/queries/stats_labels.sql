-- Returns (axis, value, platform, n): label occurrences of the selected episodes for the label axes of
-- the paper's distribution tables (symptom, cause, severity, locus, status, resolver), per platform.
SELECT v.axis, v.value, e.platform, count(*) AS n
FROM flagged($f) e JOIN episode_values v USING (episode_no)
WHERE e.failmask = 0 AND v.axis IN ({{label_axes}})
GROUP BY v.axis, v.value, e.platform
