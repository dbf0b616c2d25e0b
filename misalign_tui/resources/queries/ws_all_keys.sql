-- Returns (kind, key, n_turns): every episode key ('episode', n_turns NULL) and every session key with its
-- transcript's turn count ('session'), for the reviewer workspace's orphan report.
SELECT 'episode' AS kind, episode_key AS key, NULL::INTEGER AS n_turns FROM episodes
UNION ALL
SELECT 'session', session_key, n_turns FROM sessions
