-- Returns (kind, key): the episode or session whose canonical key is $key, else one whose key ends with it.
SELECT kind, key FROM (
    SELECT 'episode' AS kind, episode_key AS key, 0 AS pri FROM episodes WHERE episode_key = $key
    UNION ALL SELECT 'session', session_key, 0 FROM sessions WHERE session_key = $key
    UNION ALL SELECT 'episode', episode_key, 1 FROM episodes WHERE ends_with(episode_key, '/' || $key)
    UNION ALL SELECT 'session', session_key, 1 FROM sessions WHERE ends_with(session_key, '/' || $key)
) ORDER BY pri, key LIMIT 1
