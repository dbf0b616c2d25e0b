-- Returns (axis, value, n): for every facet axis and value, the episodes the user would get by
-- selecting that value — all other axes' selections applied, the axis' own selection removed
-- (OR within an axis, AND across). The validation axes also drop the implicit VALID default.
SELECT v.axis, v.value, count(*) AS n
FROM episode_values v
JOIN flagged($f) e USING (episode_no)
WHERE (e.failmask & ~((1 << v.bit) | {{facet_scope_bit}})) = 0
GROUP BY v.axis, v.value
