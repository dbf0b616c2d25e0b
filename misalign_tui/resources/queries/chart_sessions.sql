-- Returns (month, platform, sessions, user_turns) per calendar month of the session timestamp (NULL =
-- undated) and session type, for the sessions passing the session-level axes of $f (as in
-- stats_sessions.sql; episode-level axes never restrict sessions); user_turns = Σ user_turns.
SELECT month, platform, count(*) AS sessions, coalesce(sum(user_turns), 0) AS user_turns
FROM flagged_sessions($f) WHERE failmask = 0
GROUP BY month, platform
ORDER BY month NULLS LAST, platform NULLS LAST
