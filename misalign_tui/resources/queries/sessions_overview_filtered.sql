-- Returns the sessions_overview.sql rows (same columns, same order) of the sessions whose main session passes
-- the session-level axes of the filter struct $f (platform, agent, source, license, repo, month, signal, since,
-- until, licensed-only; flagged_sessions); a sub-agent thread follows its main session. Episode-level axes and
-- the text search do not restrict sessions.
WITH keep AS (SELECT session_key FROM flagged_sessions($f) WHERE failmask = 0),
sig AS (
    SELECT session_no,
           count(DISTINCT turn_no) FILTER (WHERE kind = 'pushback') AS pushback,
           count(DISTINCT turn_no) FILTER (WHERE kind = 'tool_failure') AS tool_failure,
           count(DISTINCT turn_no) FILTER (WHERE kind = 'loop') AS loop
    FROM turn_signals GROUP BY session_no),
cand AS (SELECT session_no, count(*) AS n FROM episodes WHERE validation = 'CANDIDATE' GROUP BY session_no)
SELECT s.session_key, s.source, s.repo, s.agent, s.ts, s.title, s.user_turns, s.n_turns, s.parent_session_key,
       coalesce(sig.pushback, 0), coalesce(sig.tool_failure, 0), coalesce(sig.loop, 0),
       coalesce(cand.n, 0), s.n_episodes
FROM sessions s LEFT JOIN sig USING (session_no) LEFT JOIN cand USING (session_no)
WHERE coalesce(s.parent_session_key, s.session_key) IN (SELECT session_key FROM keep)
ORDER BY s.ts NULLS LAST, s.session_key
