"""The workspace file's schema (a DuckDB database of its own; the corpus is never written).

Keys are the corpus' canonical keys: episode ``{source}/{repo}/{session_id}/{misalignment_id}``, session
``{source}/{repo}/{session_id}`` (turn notes: session key + turn number). Timestamps are ISO 8601 UTC
strings. ``ws_meta.schema_version`` is checked on open: a newer file is refused, older ones migrate.
"""

from __future__ import annotations

WS_SCHEMA_VERSION = 1

DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS ws_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS bookmarks (
        episode_key VARCHAR NOT NULL, reviewer VARCHAR NOT NULL, created_at VARCHAR NOT NULL,
        PRIMARY KEY (episode_key, reviewer))""",
    """CREATE TABLE IF NOT EXISTS tags (
        episode_key VARCHAR NOT NULL, tag VARCHAR NOT NULL, reviewer VARCHAR NOT NULL, created_at VARCHAR NOT NULL,
        PRIMARY KEY (episode_key, tag, reviewer))""",
    """CREATE TABLE IF NOT EXISTS notes (
        note_id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,          -- episode / turn
        target VARCHAR NOT NULL,        -- episode key (episode notes) or session key (turn notes)
        turn_no INTEGER,                -- turn notes
        episode_key VARCHAR,            -- the episode (for a turn note: the one it was written from)
        reviewer VARCHAR NOT NULL, body VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS views (
        name VARCHAR PRIMARY KEY, reviewer VARCHAR NOT NULL,
        spec VARCHAR NOT NULL,          -- JSON: filters, workspace selection, sort
        created_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rounds (
        name VARCHAR PRIMARY KEY, seed INTEGER NOT NULL, size INTEGER NOT NULL,
        scope VARCHAR,                  -- the filters the sample was drawn from, in words
        created_by VARCHAR NOT NULL, created_at VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS round_items (
        round VARCHAR NOT NULL, pos INTEGER NOT NULL, episode_key VARCHAR NOT NULL, PRIMARY KEY (round, pos))""",
    """CREATE TABLE IF NOT EXISTS codings (
        round VARCHAR NOT NULL, episode_key VARCHAR NOT NULL, reviewer VARCHAR NOT NULL,
        symptoms VARCHAR[] NOT NULL, causes VARCHAR[] NOT NULL,
        tiers VARCHAR[] NOT NULL,       -- aligned with causes; NULL for C7
        severity VARCHAR, locus VARCHAR, status VARCHAR, resolver VARCHAR,
        complete BOOLEAN NOT NULL, coded_at VARCHAR NOT NULL,
        PRIMARY KEY (round, episode_key, reviewer))""",
)

# Column order of every table (dump, merge and export use them).
COLUMNS: dict[str, tuple[str, ...]] = {
    "bookmarks": ("episode_key", "reviewer", "created_at"),
    "tags": ("episode_key", "tag", "reviewer", "created_at"),
    "notes": ("note_id", "kind", "target", "turn_no", "episode_key", "reviewer", "body", "created_at",
              "updated_at"),
    "views": ("name", "reviewer", "spec", "created_at", "updated_at"),
    "rounds": ("name", "seed", "size", "scope", "created_by", "created_at"),
    "round_items": ("round", "pos", "episode_key"),
    "codings": ("round", "episode_key", "reviewer", "symptoms", "causes", "tiers", "severity", "locus", "status",
                "resolver", "complete", "coded_at"),
}
TABLES = tuple(COLUMNS)
