-- Defines the table macro flagged_sessions(f): every main-thread row of `sessions` plus `failmask`
-- over the session-level axes only (platform, agent, source, license, repo, month, signal, since,
-- until, licensed-only); episode-level axes never restrict sessions. Same bits and `-- when:` line
-- pruning as macro_flagged.sql.
CREATE OR REPLACE TEMP MACRO flagged_sessions(f) AS TABLE
SELECT s.*, (0
  | (CASE WHEN len(f['platform']) = 0 OR list_contains(f['platform']::VARCHAR[], s.platform) THEN 0 ELSE 2048 END) -- when: platform
  | (CASE WHEN len(f['agent']) = 0 OR list_contains(f['agent']::VARCHAR[], s.agent) THEN 0 ELSE 4096 END) -- when: agent
  | (CASE WHEN len(f['source']) = 0 OR list_contains(f['source']::VARCHAR[], s.source) THEN 0 ELSE 8192 END) -- when: source
  | (CASE WHEN len(f['license']) = 0 OR list_contains(f['license']::VARCHAR[], s.license) THEN 0 ELSE 16384 END) -- when: license
  | (CASE WHEN len(f['repo']) = 0 OR list_contains(f['repo']::VARCHAR[], s.repo) THEN 0 ELSE 32768 END) -- when: repo
  | (CASE WHEN len(f['month']) = 0 OR list_contains(f['month']::VARCHAR[], s.month) THEN 0 ELSE 65536 END) -- when: month
  | (CASE WHEN len(f['signal']) = 0 OR list_has_any(s.signals, f['signal']::VARCHAR[]) THEN 0 ELSE 131072 END) -- when: signal
  | (CASE WHEN f['since'] = '' OR s.ts >= CAST(f['since'] AS TIMESTAMP) THEN 0 ELSE 262144 END) -- when: since
  | (CASE WHEN f['until'] = '' OR s.ts < CAST(f['until'] AS TIMESTAMP) + INTERVAL 1 DAY THEN 0 ELSE 524288 END) -- when: until
  | (CASE WHEN NOT f['licensed_only'] OR s.licensed THEN 0 ELSE 4194304 END) -- when: licensed_only
  ) AS failmask
FROM sessions s
WHERE s.parent_session_key IS NULL
