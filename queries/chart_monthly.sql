-- Returns (month, platform, sessions, sessions_with_episode, episodes, user_turns) per calendar month of
-- the session timestamp (NULL month = undated) and session type: sessions pass the session-level axes of
-- $f (as in stats_sessions.sql); episodes are the episodes selected by $f; user_turns = Σ user_turns of
-- those sessions.
WITH e AS (SELECT session_no, month, platform FROM flagged($f) WHERE failmask = 0),
     es AS (SELECT DISTINCT session_no FROM e),
     s AS (SELECT s.month, s.platform, count(*) AS sessions, count(es.session_no) AS with_episode,
                  coalesce(sum(s.user_turns), 0) AS user_turns
           FROM flagged_sessions($f) s LEFT JOIN es USING (session_no)
           WHERE s.failmask = 0
           GROUP BY s.month, s.platform),
     ec AS (SELECT month, platform, count(*) AS episodes FROM e GROUP BY month, platform)
SELECT coalesce(s.month, ec.month) AS month, coalesce(s.platform, ec.platform) AS platform,
       coalesce(s.sessions, 0) AS sessions, coalesce(s.with_episode, 0) AS sessions_with_episode,
       coalesce(ec.episodes, 0) AS episodes, coalesce(s.user_turns, 0) AS user_turns
FROM s FULL JOIN ec ON s.month IS NOT DISTINCT FROM ec.month AND s.platform IS NOT DISTINCT FROM ec.platform
ORDER BY month NULLS LAST, platform NULLS LAST
