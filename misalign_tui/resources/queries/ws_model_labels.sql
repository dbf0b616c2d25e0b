-- Returns the model's labels of the episodes selected by $f (the reviewer workspace passes a coding
-- round's keys through the episode axis, every validation label allowed): (episode_key, symptoms, c1 … c7
-- (cause tiers; c7 = 'not_applicable'), severity, locus, status, resolver).
SELECT episode_key, symptoms, c1, c2, c3, c4, c5, c6, c7, severity, locus, status, resolver
FROM flagged($f) WHERE failmask = 0
