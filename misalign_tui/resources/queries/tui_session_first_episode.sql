-- Returns (episode_key): the episode to open for session $key — its first VALID episode by key, else its
-- first episode of any validation; no row when the session has no episode (the explorer's ctrl+g).
SELECT episode_key FROM episodes
WHERE session_key = $key
ORDER BY (validation = 'VALID') DESC, episode_key
LIMIT 1
