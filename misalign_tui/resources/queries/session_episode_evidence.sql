-- Returns (episode_no, seq, turn_ref, turn_no, role, quote, context): the evidence items of every episode
-- of session $session_no, in episode and evidence order (the Evidence fields of evidence.sql).
SELECT v.episode_no, v.seq, v.turn_ref, v.turn_no, v.role, coalesce(v.quote, ''), coalesce(v.context, '')
FROM evidence v JOIN episodes e USING (episode_no)
WHERE e.session_no = $session_no
ORDER BY v.episode_no, v.seq
