-- Returns (origin, text, flagged, cue) for every human (USER) turn of the main (non sub-agent) sessions
-- that came from a transcript file, in file and turn order: detect-eval --labels attaches per-turn labels
-- to these by file and ordinal. flagged / cue: the turn's pushback signal, if any.
SELECT s.origin, t.text, p.turn_no IS NOT NULL AS flagged, p.cue
FROM sessions s
JOIN turns t USING (session_no)
LEFT JOIN (SELECT session_no, turn_no, arg_max(cue, score) AS cue FROM turn_signals
           WHERE kind = 'pushback' GROUP BY session_no, turn_no) p USING (session_no, turn_no)
WHERE s.origin IS NOT NULL AND s.parent_session_key IS NULL AND t.role = 'USER'
ORDER BY s.origin, s.session_no, t.turn_no
