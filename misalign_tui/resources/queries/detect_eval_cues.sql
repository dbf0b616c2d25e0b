-- Returns (cue_rule, flagged, on_evidence): per detector cue (text before the colon), how many
-- turns it flagged in licensed sessions and how many of those are USER evidence turns of VALID episodes.
WITH ev AS (
    SELECT DISTINCT e.session_no, v.turn_no FROM evidence v JOIN episodes e USING (episode_no)
    WHERE e.validation = 'VALID' AND v.role = 'USER')
SELECT split_part(g.cue, ':', 1) AS cue_rule, count(*) AS flagged,
       count(ev.turn_no) AS on_evidence
FROM turn_signals g JOIN sessions s USING (session_no) LEFT JOIN ev USING (session_no, turn_no)
WHERE g.kind = 'pushback' AND s.licensed
GROUP BY cue_rule ORDER BY flagged DESC, cue_rule
