-- Returns (episode_no, episode_key) for the episode numbers in the list $nos.
SELECT episode_no, episode_key FROM episodes WHERE list_contains($nos::INTEGER[], episode_no)
