-- Returns (episode_key): every episode selected by the filter struct $f, in the table's order (the sort of
-- page.sql: $sort, $desc, $seed). The reviewer workspace uses it to sample a blind re-coding round, to count
-- bookmarked / noted / tagged episodes (through the episode axis of $f) and to find the next bookmark.
SELECT episode_key FROM flagged($f) WHERE failmask = 0
ORDER BY
    (CASE $sort
        WHEN 'key' THEN ord_key WHEN 'time' THEN ord_time WHEN 'platform' THEN ord_platform
        WHEN 'agent' THEN ord_agent WHEN 'symptoms' THEN ord_symptoms WHEN 'causes' THEN ord_causes
        WHEN 'severity' THEN ord_severity WHEN 'resolution' THEN ord_resolution WHEN 'name' THEN ord_name
        ELSE (hash(episode_no, $seed) % 2147483647)::BIGINT END) * (CASE WHEN $desc THEN -1 ELSE 1 END),
    ord_key
