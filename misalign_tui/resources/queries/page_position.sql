-- Returns one row (pos): the 0-based row of episode $episode_no in the selection under the sort of
-- page.sql (NULL when it is not selected), so the table can jump to a given episode.
SELECT pos FROM (
    SELECT episode_no, row_number() OVER (ORDER BY
        (CASE $sort
            WHEN 'key' THEN ord_key WHEN 'time' THEN ord_time WHEN 'platform' THEN ord_platform
            WHEN 'agent' THEN ord_agent WHEN 'symptoms' THEN ord_symptoms WHEN 'causes' THEN ord_causes
            WHEN 'severity' THEN ord_severity WHEN 'resolution' THEN ord_resolution WHEN 'name' THEN ord_name
            ELSE (hash(episode_no, $seed) % 2147483647)::BIGINT END) * (CASE WHEN $desc THEN -1 ELSE 1 END),
        ord_key) - 1 AS pos
    FROM flagged($f) WHERE failmask = 0
) WHERE episode_no = $episode_no
