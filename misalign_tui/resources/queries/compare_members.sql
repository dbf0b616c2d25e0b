-- Returns (episode_no): every episode selected by $f (for A/B overlap and "everything else" samples).
SELECT episode_no FROM flagged($f) WHERE failmask = 0
