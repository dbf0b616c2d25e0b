-- Returns every column of the selected episodes plus session metadata (title, turns, commits,
-- user/agent turns, session timestamp), in canonical key order.
SELECT e.* EXCLUDE (search_text, ord_key, ord_time, ord_platform, ord_agent, ord_symptoms, ord_causes,
                    ord_severity, ord_resolution, ord_name, failmask),
       s.title AS session_title, s.user_turns, s.agent_turns, s.num_commits, s.n_turns, s.session_sha
FROM flagged($f) e JOIN sessions s USING (session_no)
WHERE e.failmask = 0
ORDER BY e.ord_key
