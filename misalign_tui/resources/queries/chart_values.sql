-- Returns (axis, value, platform, n): the episodes selected by $f per value of every facet axis and per
-- session type (multi-valued axes count an episode once per value). Used for the axes that
-- chart_episodes.sql does not count (agent, source, license, repo, month, signal, platform).
SELECT v.axis, v.value, e.platform, count(*) AS n
FROM flagged($f) e JOIN episode_values v USING (episode_no)
WHERE e.failmask = 0
GROUP BY v.axis, v.value, e.platform
