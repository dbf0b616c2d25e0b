-- Returns every session of the corpus (with or without candidate episodes, sub-agent threads included):
-- (session_key, source, repo, agent, ts, title, user_turns, n_turns, parent_session_key, pushback,
--  tool_failure, loop, candidates, episodes). pushback / tool_failure / loop: turns with that signal;
-- candidates: CANDIDATE episodes (one per flagged pushback turn of an unannotated session); episodes: VALID.
WITH sig AS (
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
ORDER BY s.ts NULLS LAST, s.session_key
