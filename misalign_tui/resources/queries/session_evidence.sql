-- Returns (episode_key, episode_no, turn_no, role, quote): all evidence of the session's VALID episodes.
SELECT e.episode_key, e.episode_no, v.turn_no, v.role, v.quote
FROM episodes e JOIN evidence v USING (episode_no)
WHERE e.session_no = $session_no AND e.validation = 'VALID'
ORDER BY e.episode_key, v.seq
