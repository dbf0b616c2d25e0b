-- Returns one row (pairs, cur, both, none_pairs, none_next, nxt): adjacent-session pairs. Sessions are
-- sorted by (source, repository, timestamp) and each is paired with the next one of the same
-- repository; a session "has" an episode when at least one selected episode belongs to it.
WITH e AS (SELECT DISTINCT session_no FROM flagged($f) WHERE failmask = 0),
     a AS (SELECT s.source, s.repo, s.ts, s.session_count_id, s.session_no, e.session_no IS NOT NULL AS has
           FROM flagged_sessions($f) s LEFT JOIN e USING (session_no) WHERE s.failmask = 0),
     p AS (SELECT has AS cur, lead(has) OVER (PARTITION BY source, repo
                  ORDER BY ts NULLS LAST, session_count_id NULLS LAST, session_no) AS nxt FROM a)
SELECT count(nxt) AS pairs,
       count(nxt) FILTER (WHERE cur) AS cur,
       count(nxt) FILTER (WHERE cur AND nxt) AS both,
       count(nxt) FILTER (WHERE NOT cur) AS none_pairs,
       count(nxt) FILTER (WHERE NOT cur AND nxt) AS none_next,
       count(nxt) FILTER (WHERE nxt) AS nxt
FROM p
