-- Returns one row: `selected` (episodes selected by $f) and, per facet axis, the episodes passing every
-- other axis — the denominator of that facet's percentages (its own selection removed; for the
-- validation axes also the implicit default scope), as in facets.sql. Bits as in macro_flagged.sql.
SELECT count(*) FILTER (WHERE failmask = 0) AS selected,
       count(*) FILTER (WHERE failmask & ~1 = 0) AS symptom,
       count(*) FILTER (WHERE failmask & ~2 = 0) AS cause,
       count(*) FILTER (WHERE failmask & ~4 = 0) AS tier,
       count(*) FILTER (WHERE failmask & ~8 = 0) AS severity,
       count(*) FILTER (WHERE failmask & ~16 = 0) AS locus,
       count(*) FILTER (WHERE failmask & ~32 = 0) AS status,
       count(*) FILTER (WHERE failmask & ~64 = 0) AS resolver,
       count(*) FILTER (WHERE failmask & ~128 = 0) AS goal,
       count(*) FILTER (WHERE failmask & ~256 = 0) AS confidence,
       count(*) FILTER (WHERE failmask & ~(512 | 2097152) = 0) AS validation,
       count(*) FILTER (WHERE failmask & ~(1024 | 2097152) = 0) AS invalid_category,
       count(*) FILTER (WHERE failmask & ~2048 = 0) AS platform,
       count(*) FILTER (WHERE failmask & ~4096 = 0) AS agent,
       count(*) FILTER (WHERE failmask & ~8192 = 0) AS source,
       count(*) FILTER (WHERE failmask & ~16384 = 0) AS license,
       count(*) FILTER (WHERE failmask & ~32768 = 0) AS repo,
       count(*) FILTER (WHERE failmask & ~65536 = 0) AS month,
       count(*) FILTER (WHERE failmask & ~131072 = 0) AS signal
FROM flagged($f)
WHERE bit_count(failmask) <= 2
