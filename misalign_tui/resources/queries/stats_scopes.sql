-- Returns per platform (platform, episodes, with_locus, with_resolver): the denominators of the
-- distribution table (DL over episodes with a locus, RV over episodes with a resolver).
SELECT platform, count(*) AS episodes, count(locus) AS with_locus, count(resolver) AS with_resolver
FROM flagged($f) WHERE failmask = 0
GROUP BY platform
