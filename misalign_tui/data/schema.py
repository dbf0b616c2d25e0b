"""The corpus file: one DuckDB database with a versioned schema.

Sessions, turns, episodes (wide: one boolean per symptom, one tier per cause; plus list columns),
``episode_values`` (long: one row per episode x facet axis x value, for single-query facet counts),
evidence, validation rows, tool calls, turn signals and the taxonomy. ``meta`` holds
``schema_version``, creation time and the sources imported with their counts.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

# Sortable columns of the episode table: name -> dense rank column (computed at import).
SORT_COLUMNS = ("key", "time", "platform", "agent", "symptoms", "causes", "severity", "resolution", "name")

DDL: tuple[str, ...] = (
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE TABLE taxonomy (axis VARCHAR, code VARCHAR, gloss VARCHAR, ord INTEGER, PRIMARY KEY (axis, code))",
    """CREATE TABLE sessions (
        session_no INTEGER PRIMARY KEY,
        session_key VARCHAR NOT NULL UNIQUE,   -- {source}/{repo}/{session_id}
        source VARCHAR NOT NULL,
        repo VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,           -- session_### for the study; file id for imports
        session_count_id INTEGER,
        session_sha VARCHAR,
        ts TIMESTAMP,
        month VARCHAR,                         -- YYYY-MM of ts
        platform VARCHAR,                      -- IDE / CLI
        agent VARCHAR,
        model VARCHAR,
        user_turns INTEGER,
        agent_turns INTEGER,
        num_commits INTEGER,
        license VARCHAR,
        licensed BOOLEAN,
        title VARCHAR,
        origin VARCHAR,                        -- file the transcript came from
        parent_session_key VARCHAR,            -- sub-agent transcripts
        n_turns INTEGER,                       -- merged turns in the transcript (NULL: no transcript)
        n_episodes INTEGER NOT NULL DEFAULT 0, -- VALID episodes
        signals VARCHAR[]                      -- pushback / tool_failure / loop
    )""",
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
    """CREATE TABLE episodes (
        episode_no INTEGER PRIMARY KEY,
        episode_key VARCHAR NOT NULL UNIQUE,   -- {source}/{repo}/{session_id}/{misalignment_id}
        session_no INTEGER NOT NULL,
        session_key VARCHAR NOT NULL,
        misalignment_id VARCHAR NOT NULL,
        count_id INTEGER,
        validation VARCHAR NOT NULL,           -- VALID / INVALID
        invalid_category VARCHAR,
        goal VARCHAR, confidence VARCHAR,
        s1 BOOLEAN, s2 BOOLEAN, s3 BOOLEAN, s4 BOOLEAN, s5 BOOLEAN, s6 BOOLEAN, s7 BOOLEAN, s8 BOOLEAN,
        symptom_other VARCHAR,
        c1 VARCHAR, c2 VARCHAR, c3 VARCHAR, c4 VARCHAR, c5 VARCHAR, c6 VARCHAR, c7 VARCHAR,
        symptoms VARCHAR[], causes VARCHAR[], tiers VARCHAR[],
        severity VARCHAR, locus VARCHAR, status VARCHAR, resolver VARCHAR,
        -- session columns repeated for single-table filtering and paging
        source VARCHAR, repo VARCHAR, session_id VARCHAR, platform VARCHAR, agent VARCHAR,
        license VARCHAR, licensed BOOLEAN, ts TIMESTAMP, month VARCHAR, signals VARCHAR[],
        name VARCHAR, description VARCHAR, validation_note VARCHAR,
        symptom_reasoning VARCHAR, cause_reasoning VARCHAR, outcome_reasoning VARCHAR,
        resolution_reasoning VARCHAR,
        search_text VARCHAR,                   -- lower(name, description, quotes) for / search
        ord_key INTEGER, ord_time INTEGER, ord_platform INTEGER, ord_agent INTEGER,
        ord_symptoms INTEGER, ord_causes INTEGER, ord_severity INTEGER, ord_resolution INTEGER,
        ord_name INTEGER
    )""",
    """CREATE TABLE episode_values (
        episode_no INTEGER NOT NULL, axis VARCHAR NOT NULL, bit INTEGER NOT NULL, value VARCHAR NOT NULL
    )""",
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

REQUIRED_TABLES = ("meta", "sessions", "turns", "episodes", "episode_values", "evidence", "taxonomy")
