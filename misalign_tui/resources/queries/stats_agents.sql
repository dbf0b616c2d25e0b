-- Returns (platform, agent, sessions): selected sessions by session type and agent, most first.
SELECT platform, agent, count(*) AS sessions
FROM flagged_sessions($f) WHERE failmask = 0
GROUP BY platform, agent
ORDER BY sessions DESC, platform, agent
