-- Returns (a, b, n_ab, n): session-level symptom co-occurrence. A session has a symptom when any of its
-- episodes selected by $f has it; the universe is the sessions with >= 1 selected episode (n, on every
-- row); n_ab = sessions having both a and b (a = b: having a). One row with NULL a, b when none has one.
WITH sel AS (SELECT session_no, symptoms FROM flagged($f) WHERE failmask = 0),
     s AS (SELECT DISTINCT session_no, sym FROM (SELECT session_no, unnest(symptoms) AS sym FROM sel)),
     p AS (SELECT x.sym AS a, y.sym AS b, count(*) AS n_ab FROM s x JOIN s y USING (session_no)
           GROUP BY x.sym, y.sym),
     t AS (SELECT count(DISTINCT session_no) AS n FROM sel)
SELECT p.a, p.b, coalesce(p.n_ab, 0) AS n_ab, t.n
FROM t LEFT JOIN p ON true
ORDER BY p.a, p.b
