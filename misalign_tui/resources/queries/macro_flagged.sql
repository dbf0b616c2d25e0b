-- Defines the table macro flagged(f): every row of `episodes` plus `failmask`, one bit per filter axis
-- the episode fails (0 = the episode is selected). f is the struct built by Filters.params().
-- Each condition line ends with `-- when: KEY`; Corpus drops the lines whose filter KEY is inactive
-- (they would contribute 0) before defining the macro, so an idle axis costs nothing per row.
-- Without a validation filter only the corpus' default label is in scope (variable
-- default_validation = meta.default_validation: VALID, or CANDIDATE for unannotated transcripts).
-- Bits follow misalign_tui/data/taxonomy.py (Axis.bit, BIT_TEXT, BIT_DEFAULT_VALID, BIT_LICENSED).
CREATE OR REPLACE TEMP MACRO flagged(f) AS TABLE
SELECT e.*, (0
  | (CASE WHEN len(f['symptom']) = 0 OR list_has_any(e.symptoms, f['symptom']::VARCHAR[]) THEN 0 ELSE 1 END) -- when: symptom
  | (CASE WHEN len(f['cause']) = 0 OR list_has_any(e.causes, f['cause']::VARCHAR[]) THEN 0 ELSE 2 END) -- when: cause
  | (CASE WHEN len(f['tier']) = 0 OR list_has_any(e.tiers, f['tier']::VARCHAR[]) THEN 0 ELSE 4 END) -- when: tier
  | (CASE WHEN len(f['severity']) = 0 OR list_contains(f['severity']::VARCHAR[], e.severity) THEN 0 ELSE 8 END) -- when: severity
  | (CASE WHEN len(f['locus']) = 0 OR list_contains(f['locus']::VARCHAR[], e.locus) THEN 0 ELSE 16 END) -- when: locus
  | (CASE WHEN len(f['status']) = 0 OR list_contains(f['status']::VARCHAR[], e.status) THEN 0 ELSE 32 END) -- when: status
  | (CASE WHEN len(f['resolver']) = 0 OR list_contains(f['resolver']::VARCHAR[], e.resolver) THEN 0 ELSE 64 END) -- when: resolver
  | (CASE WHEN len(f['goal']) = 0 OR list_contains(f['goal']::VARCHAR[], e.goal) THEN 0 ELSE 128 END) -- when: goal
  | (CASE WHEN len(f['confidence']) = 0 OR list_contains(f['confidence']::VARCHAR[], e.confidence) THEN 0 ELSE 256 END) -- when: confidence
  | (CASE WHEN len(f['validation']) = 0 OR list_contains(f['validation']::VARCHAR[], e.validation) THEN 0 ELSE 512 END) -- when: validation
  | (CASE WHEN len(f['invalid_category']) = 0 OR list_contains(f['invalid_category']::VARCHAR[], e.invalid_category) THEN 0 ELSE 1024 END) -- when: invalid_category
  | (CASE WHEN len(f['platform']) = 0 OR list_contains(f['platform']::VARCHAR[], e.platform) THEN 0 ELSE 2048 END) -- when: platform
  | (CASE WHEN len(f['agent']) = 0 OR list_contains(f['agent']::VARCHAR[], e.agent) THEN 0 ELSE 4096 END) -- when: agent
  | (CASE WHEN len(f['source']) = 0 OR list_contains(f['source']::VARCHAR[], e.source) THEN 0 ELSE 8192 END) -- when: source
  | (CASE WHEN len(f['license']) = 0 OR list_contains(f['license']::VARCHAR[], e.license) THEN 0 ELSE 16384 END) -- when: license
  | (CASE WHEN len(f['repo']) = 0 OR list_contains(f['repo']::VARCHAR[], e.repo) THEN 0 ELSE 32768 END) -- when: repo
  | (CASE WHEN len(f['month']) = 0 OR list_contains(f['month']::VARCHAR[], e.month) THEN 0 ELSE 65536 END) -- when: month
  | (CASE WHEN len(f['signal']) = 0 OR list_has_any(e.signals, f['signal']::VARCHAR[]) THEN 0 ELSE 131072 END) -- when: signal
  | (CASE WHEN f['since'] = '' OR e.ts >= CAST(f['since'] AS TIMESTAMP) THEN 0 ELSE 262144 END) -- when: since
  | (CASE WHEN f['until'] = '' OR e.ts < CAST(f['until'] AS TIMESTAMP) + INTERVAL 1 DAY THEN 0 ELSE 524288 END) -- when: until
  | (CASE WHEN f['text'] = '' THEN 0 WHEN f['regex'] AND regexp_matches(e.search_text, CASE WHEN f['regex'] THEN f['text'] ELSE '' END, 'i') THEN 0 WHEN NOT f['regex'] AND contains(e.search_text, f['text']) THEN 0 ELSE 1048576 END) -- when: text
  | (CASE WHEN NOT f['default_valid'] OR e.validation = getvariable('default_validation') THEN 0 ELSE 2097152 END) -- when: default_valid
  | (CASE WHEN NOT f['licensed_only'] OR e.licensed THEN 0 ELSE 4194304 END) -- when: licensed_only
  | (CASE WHEN len(f['episode']) = 0 OR list_contains(f['episode']::VARCHAR[], e.episode_key) THEN 0 ELSE 8388608 END) -- when: episode
  ) AS failmask
FROM episodes e
