-- Returns (session_no): sessions with at least one episode selected by $f (search scope when
-- episode-level axes are active).
SELECT DISTINCT session_no FROM flagged($f) WHERE failmask = 0
