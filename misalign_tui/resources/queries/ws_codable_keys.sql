-- Returns (episode_key): the episodes selected by the filter struct $f that a blind re-coder has text to read
-- for: a description, or at least one non-empty evidence quote (the workspace draws coding rounds from these).
SELECT e.episode_key FROM flagged($f) e
WHERE e.failmask = 0
  AND (coalesce(trim(e.description), '') <> ''
       OR EXISTS (SELECT 1 FROM evidence v WHERE v.episode_no = e.episode_no AND coalesce(trim(v.quote), '') <> ''))
ORDER BY e.ord_key
