-- Returns (session_no): sessions selected by the session-level axes of $f (search scope).
SELECT session_no FROM flagged_sessions($f) WHERE failmask = 0
