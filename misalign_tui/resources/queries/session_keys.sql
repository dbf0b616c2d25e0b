-- Returns (session_no, session_key) for the session numbers in the list $nos.
SELECT session_no, session_key FROM sessions WHERE list_contains($nos::INTEGER[], session_no)
