-- Returns (turn_no, kind, cue, score): every detected signal (turn_signals: kind pushback / tool_failure
-- / loop, the rule's cue and weight) of session $session_no, by turn, pushback before tool failure
-- before loop (a turn may carry several).
SELECT turn_no, kind, cue, score
FROM turn_signals
WHERE session_no = $session_no
ORDER BY turn_no, CASE kind WHEN 'pushback' THEN 0 WHEN 'tool_failure' THEN 1 WHEN 'loop' THEN 2 ELSE 3 END, cue
