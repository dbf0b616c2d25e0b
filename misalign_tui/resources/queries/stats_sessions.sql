-- Returns per platform (platform, sessions, sessions_with_episode, episodes, user_turns, median_user_turns,
-- max_agent_turns): session-level counts for the filter struct $f (session axes restrict sessions;
-- an episode counts when it is selected by every axis).
WITH s AS (SELECT * FROM flagged_sessions($f) WHERE failmask = 0),
     e AS (SELECT session_no, count(*) AS n FROM flagged($f) WHERE failmask = 0 GROUP BY session_no)
SELECT s.platform, count(*) AS sessions, count(e.session_no) AS sessions_with_episode,
       coalesce(sum(e.n), 0) AS episodes, coalesce(sum(s.user_turns), 0) AS user_turns,
       median(s.user_turns) AS median_user_turns, max(s.agent_turns) AS max_agent_turns
FROM s LEFT JOIN e USING (session_no)
GROUP BY s.platform
ORDER BY s.platform
