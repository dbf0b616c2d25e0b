-- Returns (turn_no, role, ts, text): turns $start..$stop of session $session_no in order.
SELECT turn_no, role, ts, text FROM turns
WHERE session_no = $session_no AND turn_no BETWEEN $start AND $stop
ORDER BY turn_no
