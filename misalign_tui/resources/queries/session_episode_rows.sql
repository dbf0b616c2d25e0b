-- Returns (episode, session_title, n_turns, s_no, user_turns, agent_turns, model), one row per episode
-- (VALID and INVALID) of the session that holds episode $key — or of session $key itself — ordered by
-- misalignment id. `episode` is a struct of every column of the episode; with the other columns it is
-- the row of episode.sql, so the Session screen gets all of a session's episodes in one query.
SELECT e AS episode, s.title AS session_title, s.n_turns, s.session_no AS s_no, s.user_turns,
       s.agent_turns, s.model
FROM episodes e JOIN sessions s ON s.session_no = e.session_no
WHERE e.session_no = coalesce((SELECT session_no FROM episodes WHERE episode_key = $key),
                              (SELECT session_no FROM sessions WHERE session_key = $key))
ORDER BY e.misalignment_id, e.episode_key
