"""The corpus file: one DuckDB database with a versioned schema.

Sessions, turns, episodes (wide: one boolean per symptom, one tier per cause; plus list columns),
evidence, validation rows, tool calls, turn signals and the taxonomy; the facet-counting tables
``facet_dict`` / ``facet_rows`` / ``facet_cube`` (dictionary codes and bit masks, see ``facet_sql``) and the
view ``episode_values`` (long: one row per episode x facet axis x value). ``meta`` holds
``schema_version``, creation time and the sources imported with their counts.

The columns that hold axes are generated from the taxonomy: each axis' ``column`` on ``episodes`` (a
session axis' also on ``sessions``, repeated on ``episodes`` for single-table filtering), VARCHAR or
VARCHAR[] by its storage, and the wide symptom / cause columns from the codes.
"""

from __future__ import annotations

from .taxonomy import AXES, CAUSES, FACET_AXES, SYMPTOMS, wide_column

SCHEMA_VERSION = 2  # 2: facet_dict / facet_rows / facet_cube; episode_values a view

# Sortable columns of the episode table: name -> dense rank column (computed at import).
SORT_COLUMNS = ("key", "time", "platform", "agent", "symptoms", "causes", "severity", "resolution", "name")

Columns = tuple[tuple[str, str], ...]  # (name, type and constraints)


def _axis_columns(level: str, have: Columns) -> Columns:
    """The columns of the ``level`` axes that ``have`` lacks, typed by their storage."""
    names = {c for c, _ in have}
    cols = dict.fromkeys(ax.column for ax in AXES if ax.level == level and ax.column not in names)
    types = {ax.column: "VARCHAR[]" if ax.multi else "VARCHAR" for ax in AXES}
    return tuple((c, types[c]) for c in cols)


SESSION_CORE: Columns = (
    ("session_no", "INTEGER PRIMARY KEY"),
    ("session_key", "VARCHAR NOT NULL UNIQUE"),  # {source}/{repo}/{session_id}
    ("source", "VARCHAR NOT NULL"),
    ("repo", "VARCHAR NOT NULL"),
    ("session_id", "VARCHAR NOT NULL"),  # session_### for the study; file id for imports
    ("session_count_id", "INTEGER"),
    ("session_sha", "VARCHAR"),
    ("ts", "TIMESTAMP"),
    ("month", "VARCHAR"),  # YYYY-MM of ts
    ("model", "VARCHAR"),
    ("user_turns", "INTEGER"),
    ("agent_turns", "INTEGER"),
    ("num_commits", "INTEGER"),
    ("licensed", "BOOLEAN"),  # a licence other than NO_LICENSE / NOASSERTION
    ("title", "VARCHAR"),
    ("origin", "VARCHAR"),  # file the transcript came from
    ("parent_session_key", "VARCHAR"),  # sub-agent transcripts
    ("n_turns", "INTEGER"),  # merged turns in the transcript (NULL: no transcript)
    ("n_episodes", "INTEGER NOT NULL DEFAULT 0"),  # VALID episodes
)
# ... plus one column per session axis (platform, agent, license, signals, …).
SESSION_COLUMNS: Columns = SESSION_CORE + _axis_columns("session", SESSION_CORE)

EPISODE_CORE: Columns = (
    ("episode_no", "INTEGER PRIMARY KEY"),
    ("episode_key", "VARCHAR NOT NULL UNIQUE"),  # {source}/{repo}/{session_id}/{misalignment_id}
    ("session_no", "INTEGER NOT NULL"),
    ("session_key", "VARCHAR NOT NULL"),
    ("misalignment_id", "VARCHAR NOT NULL"),
    ("count_id", "INTEGER"),
)
# One column per episode axis (symptoms, causes, tiers, severity, …, validation, invalid_category) ...
EPISODE_AXIS_COLUMNS: Columns = _axis_columns("episode", EPISODE_CORE)
# ... the symptom and cause labels in wide form: one boolean per symptom, one evidence tier per cause ...
WIDE_COLUMNS: Columns = (tuple((wide_column(c), "BOOLEAN") for c in SYMPTOMS) + (("symptom_other", "VARCHAR"),)
                         + tuple((wide_column(c), "VARCHAR") for c in CAUSES))
# ... the session columns repeated for single-table filtering and paging (every session axis' column) ...
_SESSION_TYPES = dict(SESSION_COLUMNS)
EPISODE_SESSION_COLUMNS: Columns = tuple(
    (c, _SESSION_TYPES[c].split(" ")[0]) for c in dict.fromkeys(
        ["session_id", "licensed", *(ax.column for ax in AXES if ax.level == "session")]))
# ... and the texts, the search text and the sort ranks.
EPISODE_TEXT_COLUMNS: Columns = tuple((c, "VARCHAR") for c in (
    "name", "description", "validation_note", "symptom_reasoning", "cause_reasoning", "outcome_reasoning",
    "resolution_reasoning"))
EPISODE_DERIVED_COLUMNS: Columns = (("search_text", "VARCHAR"),  # lower(name, description, quotes) for / search
                                    *((f"ord_{c}", "INTEGER") for c in SORT_COLUMNS))
EPISODE_COLUMNS: Columns = (EPISODE_CORE + EPISODE_AXIS_COLUMNS + WIDE_COLUMNS + EPISODE_SESSION_COLUMNS
                            + EPISODE_TEXT_COLUMNS + EPISODE_DERIVED_COLUMNS)


def create_table(name: str, columns: Columns) -> str:
    return f"CREATE TABLE {name} (\n    " + ",\n    ".join(f"{c} {t}" for c, t in columns) + "\n)"


DDL: tuple[str, ...] = (
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE TABLE taxonomy (axis VARCHAR, code VARCHAR, gloss VARCHAR, ord INTEGER, PRIMARY KEY (axis, code))",
    create_table("sessions", SESSION_COLUMNS),
    """CREATE TABLE turns (
        session_no INTEGER NOT NULL,
        turn_no INTEGER NOT NULL,              -- the paper's merged-turn number, from 1
        role VARCHAR NOT NULL,                 -- USER / AGENT
        ts TIMESTAMP,
        n_messages INTEGER,
        text VARCHAR NOT NULL,
        PRIMARY KEY (session_no, turn_no)
    )""",
    """CREATE TABLE tool_calls (
        session_no INTEGER NOT NULL, turn_no INTEGER NOT NULL, seq INTEGER NOT NULL,
        name VARCHAR, input_summary VARCHAR, is_error BOOLEAN
    )""",
    """CREATE TABLE turn_signals (
        session_no INTEGER NOT NULL, turn_no INTEGER NOT NULL,
        kind VARCHAR NOT NULL,                 -- pushback / tool_failure / loop
        cue VARCHAR, score DOUBLE
    )""",
    create_table("episodes", EPISODE_COLUMNS),
    """CREATE TABLE evidence (
        episode_no INTEGER NOT NULL, seq INTEGER NOT NULL,
        turn_ref VARCHAR,                      -- as given: "TURN 7 | USER"
        turn_no INTEGER,                       -- resolved number (NULL: unknown / past the end)
        role VARCHAR,                          -- USER / AGENT as given
        quote VARCHAR, context VARCHAR
    )""",
    """CREATE TABLE validations (
        episode_key VARCHAR NOT NULL, count_id INTEGER, label VARCHAR NOT NULL, invalid_category VARCHAR
    )""",
)

# Indexes created after the bulk load.
INDEXES: tuple[str, ...] = (
    "CREATE INDEX turns_session ON turns (session_no, turn_no)",
    "CREATE INDEX evidence_episode ON evidence (episode_no)",
    "CREATE INDEX episodes_session ON episodes (session_no)",
)



def _episode_values() -> str:
    parts = []
    for ax in FACET_AXES:
        if ax.multi:
            parts.append(f"SELECT episode_no, '{ax.name}' AS axis, {ax.bit} AS bit, unnest({ax.column}) AS value "
                         "FROM episodes")
        else:
            parts.append(f"SELECT episode_no, '{ax.name}' AS axis, {ax.bit} AS bit, {ax.column} AS value "
                         f"FROM episodes WHERE {ax.column} IS NOT NULL")
    return " UNION ALL ".join(parts)


# Views: created by the import in the corpus file and by the Parquet reader over the exported tables.
# episode_values: one row per episode x facet axis x value (episode_no, axis, bit, value), generated.
VIEWS: dict[str, str] = {"episode_values": _episode_values()}

REQUIRED_TABLES = ("meta", "sessions", "turns", "episodes", "episode_values", "evidence", "taxonomy", "facet_dict",
                   "facet_rows", "facet_cube")
