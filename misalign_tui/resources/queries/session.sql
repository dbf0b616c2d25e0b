-- Returns one row: every column of the session with key $key.
SELECT * FROM sessions WHERE session_key = $key
