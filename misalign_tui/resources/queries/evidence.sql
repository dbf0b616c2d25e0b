-- Returns (seq, turn_ref, turn_no, role, quote, context): the evidence items of episode $episode_no in order.
SELECT seq, turn_ref, turn_no, role, coalesce(quote, ''), coalesce(context, '')
FROM evidence WHERE episode_no = $episode_no ORDER BY seq
