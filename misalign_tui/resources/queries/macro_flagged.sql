-- Defines the table macro flagged(f): every row of `episodes` plus `failmask`, one bit per filter axis
-- the episode fails (0 = the episode is selected). f is the struct built by Filters.params().
-- Each condition line ends with `-- when: KEY`; Corpus drops the lines whose filter KEY is inactive
-- (they would contribute 0) before defining the macro, so an idle axis costs nothing per row.
-- Without a validation filter only the corpus' default label is in scope (variable
-- default_validation = meta.default_validation: VALID, or CANDIDATE for unannotated transcripts).
-- The condition lines are generated from the taxonomy (misalign_tui/data/axis_sql.py: one per axis, with
-- its Axis.bit, then the flags text, default_valid and licensed_only).
CREATE OR REPLACE TEMP MACRO flagged(f) AS TABLE
SELECT e.*, (0
  {{failmask_episodes}}
  ) AS failmask
FROM episodes e
