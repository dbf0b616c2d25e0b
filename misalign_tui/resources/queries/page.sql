-- Returns one page of selected episodes for the table: key, time, platform, agent, symptom and cause
-- codes, severity, status, resolver, name. $sort is one of schema.SORT_COLUMNS or 'random' (seeded by
-- $seed); $desc reverses; $lim/$off page.
SELECT episode_no, episode_key, session_key, ts, platform, agent, symptoms, causes, severity, status,
       resolver, name, validation, invalid_category
FROM flagged($f)
WHERE failmask = 0
ORDER BY
    (CASE $sort
        WHEN 'key' THEN ord_key WHEN 'time' THEN ord_time WHEN 'platform' THEN ord_platform
        WHEN 'agent' THEN ord_agent WHEN 'symptoms' THEN ord_symptoms WHEN 'causes' THEN ord_causes
        WHEN 'severity' THEN ord_severity WHEN 'resolution' THEN ord_resolution WHEN 'name' THEN ord_name
        ELSE (hash(episode_no, $seed) % 2147483647)::BIGINT END) * (CASE WHEN $desc THEN -1 ELSE 1 END),
    ord_key
LIMIT $lim OFFSET $off
