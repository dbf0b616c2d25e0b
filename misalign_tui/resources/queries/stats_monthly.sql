-- Returns (month, episodes): selected episodes per calendar month of the session timestamp.
SELECT month, count(*) AS episodes
FROM flagged($f) WHERE failmask = 0 AND month IS NOT NULL
GROUP BY month ORDER BY month
