-- Returns (value, platform, n): the episodes selected by $f per value of the facet axis $axis and per
-- session type (multi-valued axes count an episode once per value).
SELECT v.value, e.platform, count(*) AS n
FROM flagged($f) e JOIN episode_values v USING (episode_no)
WHERE e.failmask = 0 AND v.axis = $axis
GROUP BY v.value, e.platform
