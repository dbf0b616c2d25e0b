-- Returns one row: every column of the episode with canonical key $key, plus session title and turns.
SELECT e.*, s.title AS session_title, s.n_turns, s.session_no AS s_no, s.user_turns, s.agent_turns, s.model
FROM episodes e JOIN sessions s USING (session_no)
WHERE e.episode_key = $key
