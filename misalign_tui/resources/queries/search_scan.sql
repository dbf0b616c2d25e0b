-- Returns (session_no, turn_no, role, text): up to $lim turns whose text contains $q (lower-cased
-- substring) or matches the regex $q when $regex, in the sessions of $f (sessions with a selected
-- episode when $episode_level, else sessions selected by the session axes); USER turns only when $human.
SELECT t.session_no, t.turn_no, t.role, t.text
FROM turns t
WHERE (NOT $human OR t.role = 'USER')
  AND (CASE WHEN $regex THEN regexp_matches(t.text, CASE WHEN $regex THEN $q ELSE '' END, 'i') ELSE contains(lower(t.text), $q) END)
  AND t.session_no IN (
      SELECT session_no FROM flagged($f) WHERE $episode_level AND failmask = 0
      UNION ALL
      SELECT session_no FROM flagged_sessions($f) WHERE NOT $episode_level AND failmask = 0)
ORDER BY t.session_no, t.turn_no
LIMIT $lim
