-- Defines the table macro flagged_sessions(f): every main-thread row of `sessions` plus `failmask`
-- over the session-level axes only (platform, agent, source, license, repo, month, signal, since,
-- until, licensed-only); episode-level axes never restrict sessions. Same bits and `-- when:` line
-- pruning as macro_flagged.sql; the lines are generated from the taxonomy (axis_sql.failmask_sessions).
CREATE OR REPLACE TEMP MACRO flagged_sessions(f) AS TABLE
SELECT s.*, (0
  {{failmask_sessions}}
  ) AS failmask
FROM sessions s
WHERE s.parent_session_key IS NULL
