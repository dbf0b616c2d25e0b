-- Returns (episode_key, episode_no, misalignment_id, validation, name): every episode (VALID and INVALID)
-- of session $session_no, ordered by misalignment id, for stepping through a session's episodes.
SELECT episode_key, episode_no, misalignment_id, validation, name
FROM episodes
WHERE session_no = $session_no
ORDER BY misalignment_id, episode_key
