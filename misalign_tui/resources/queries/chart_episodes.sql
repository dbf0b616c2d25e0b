-- Returns (part, a, b, platform, n): the episode-level counts behind the charts screen and the A/B
-- comparison, from one scan of the episodes selected by $f (platform = session type; NULL where not split):
--   scope      a = 'episodes' | 'with_locus' | 'with_resolver'       per platform (distribution denominators)
--   month      a = month (YYYY-MM of the session timestamp)           per platform: episodes
--   smonth     a = month                                              per platform: sessions with >= 1 episode
--   label      a = month, b = symptom or cause label                  label occurrences (share timelines)
--   value      a = axis, b = value, for every episode-level facet axis (taxonomy.EPISODE_FACETS; the
--              session-level ones: chart_values.sql)
--                                                                    per platform: episodes carrying it
--   sevloc     a = damage severity, b = damage locus (NULL = none)    episodes
--   symrv      a = symptom, b = resolver (NULL = no resolver)         episodes carrying the symptom
--   pair       a, b = symptoms (a = b: carrying a)                    episodes carrying both
--   spair      a, b = symptoms (a = b: having a)                      sessions where any episode has a, any has b
--   sessions   a, b NULL                                              sessions with >= 1 selected episode
-- Single-valued labels and symptom pairs are counted through small histograms (h: label combinations;
-- em / sm: symptom bit masks, bit = taxonomy order of the symptom) that are then expanded; s has one row
-- per session with a selected episode (its symptoms OR-ed). The axis columns and the symptom mask are
-- generated from the taxonomy (misalign_tui/data/axis_sql.py).
WITH e AS MATERIALIZED (
         SELECT session_no, month, platform, {{episode_facet_columns}}, {{symptom_mask}} AS mask
         FROM flagged($f) WHERE failmask = 0),
     h AS MATERIALIZED (
         SELECT platform, {{episode_value_facets}}, count(*) AS n
         FROM e GROUP BY ALL),
     sym AS (SELECT code, ord FROM taxonomy WHERE axis = 'symptom'),
     em AS MATERIALIZED (SELECT mask, resolver, count(*) AS n FROM e GROUP BY mask, resolver),
     s AS MATERIALIZED (SELECT session_no, any_value(month) AS month, any_value(platform) AS platform,
                               bit_or(mask) AS mask
                        FROM e GROUP BY session_no),
     sm AS (SELECT mask, count(*) AS n FROM s GROUP BY mask)
SELECT 'scope' AS part, 'episodes' AS a, NULL AS b, platform, sum(n) AS n FROM h GROUP BY platform
UNION ALL SELECT 'scope', 'with_locus', NULL, platform, coalesce(sum(n) FILTER (WHERE locus IS NOT NULL), 0)
          FROM h GROUP BY platform
UNION ALL SELECT 'scope', 'with_resolver', NULL, platform, coalesce(sum(n) FILTER (WHERE resolver IS NOT NULL), 0)
          FROM h GROUP BY platform
UNION ALL SELECT 'month', month, NULL, platform, count(*) FROM e GROUP BY month, platform
UNION ALL SELECT 'smonth', month, NULL, platform, count(*) FROM s GROUP BY month, platform
UNION ALL SELECT 'label', month, code, NULL, count(*) FROM (
              SELECT month, unnest(symptoms) AS code FROM e UNION ALL SELECT month, unnest(causes) FROM e)
          GROUP BY month, code
UNION ALL SELECT 'value', axis, value, platform, sum(n) FROM (
              UNPIVOT h ON {{episode_value_facets}} INTO NAME axis VALUE value)
          GROUP BY axis, value, platform
UNION ALL SELECT 'value', axis, value, platform, count(*) FROM (
              {{episode_list_facets}})
          GROUP BY axis, value, platform
UNION ALL SELECT 'sevloc', severity, locus, NULL, sum(n) FROM h GROUP BY severity, locus
UNION ALL SELECT 'symrv', s.code, em.resolver, NULL, sum(em.n) FROM em JOIN sym s ON (em.mask >> s.ord) & 1 = 1
          GROUP BY s.code, em.resolver
UNION ALL SELECT 'pair', x.code, y.code, NULL, sum(em.n) FROM em JOIN sym x ON (em.mask >> x.ord) & 1 = 1
          JOIN sym y ON (em.mask >> y.ord) & 1 = 1 GROUP BY x.code, y.code
UNION ALL SELECT 'spair', x.code, y.code, NULL, sum(sm.n) FROM sm JOIN sym x ON (sm.mask >> x.ord) & 1 = 1
          JOIN sym y ON (sm.mask >> y.ord) & 1 = 1 GROUP BY x.code, y.code
UNION ALL SELECT 'sessions', NULL, NULL, NULL, count(*) FROM s
