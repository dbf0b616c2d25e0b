-- Returns (episode_no, seq, turn_ref, turn_no, role, quote, context): evidence of the selected episodes.
SELECT v.episode_no, v.seq, v.turn_ref, v.turn_no, v.role, v.quote, v.context
FROM evidence v JOIN (SELECT episode_no FROM flagged($f) WHERE failmask = 0) e USING (episode_no)
ORDER BY v.episode_no, v.seq
