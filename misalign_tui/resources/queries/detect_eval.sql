-- Returns one row (evidence_turns, evidence_flagged, flagged_turns, flagged_evidence): the pushback
-- detector against the annotations. Evidence turns = distinct USER evidence turns of VALID episodes
-- that resolve to a USER turn of a transcript in the corpus; flagged turns = distinct turns flagged
-- as pushback in licensed sessions of annotated sources (the study publishes episode text, and so
-- evidence, only for permissively licensed repositories: elsewhere a flag cannot be checked).
WITH annotated_sources AS (SELECT DISTINCT source FROM episodes WHERE validation = 'VALID'),
ev AS (
    SELECT DISTINCT e.session_no, v.turn_no
    FROM evidence v JOIN episodes e USING (episode_no)
    JOIN turns t ON t.session_no = e.session_no AND t.turn_no = v.turn_no
    WHERE e.validation = 'VALID' AND v.role = 'USER' AND t.role = 'USER'),
fl AS (
    SELECT DISTINCT g.session_no, g.turn_no
    FROM turn_signals g JOIN sessions s USING (session_no)
    WHERE g.kind = 'pushback' AND s.licensed AND s.source IN (SELECT source FROM annotated_sources))
SELECT (SELECT count(*) FROM ev) AS evidence_turns,
       (SELECT count(*) FROM ev JOIN fl USING (session_no, turn_no)) AS evidence_flagged,
       (SELECT count(*) FROM fl) AS flagged_turns,
       (SELECT count(*) FROM fl JOIN ev USING (session_no, turn_no)) AS flagged_evidence
