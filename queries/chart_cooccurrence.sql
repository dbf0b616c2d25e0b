-- Returns (a, b, n_ab, n): for the episodes selected by $f, the number carrying both symptoms a and b
-- (a = b: the number carrying a) for every ordered pair, and n = the number of selected episodes on every
-- row (a single row with NULL a, b when no episode has a symptom).
WITH e AS (SELECT episode_no, symptoms FROM flagged($f) WHERE failmask = 0),
     s AS (SELECT episode_no, unnest(symptoms) AS sym FROM e),
     p AS (SELECT x.sym AS a, y.sym AS b, count(*) AS n_ab FROM s x JOIN s y USING (episode_no)
           GROUP BY x.sym, y.sym),
     t AS (SELECT count(*) AS n FROM e)
SELECT p.a, p.b, coalesce(p.n_ab, 0) AS n_ab, t.n
FROM t LEFT JOIN p ON true
ORDER BY p.a, p.b
