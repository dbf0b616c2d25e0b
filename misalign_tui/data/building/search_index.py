"""The full-text index of a corpus (SQLite FTS5, see ``reading.search``): written at import beside the corpus,
rebuilt into the cache folder when that sidecar is missing or stale."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from ..dirs import writable_cache_dir
from ..reading.search import EPISODE_ROLE, index_is_current, sidecar_path


def build_index(path: Path, build_id: str, turns, episodes) -> None:
    """Write the index to ``path`` (atomically). turns: (session_no, turn_no, role, text);
    episodes: (session_no, episode_no, text)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(text, session_no UNINDEXED, turn_no UNINDEXED, "
                    "role UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
        con.executemany("INSERT INTO docs (session_no, turn_no, role, text) VALUES (?, ?, ?, ?)", turns)
        con.executemany(f"INSERT INTO docs (session_no, turn_no, role, text) VALUES (?, ?, '{EPISODE_ROLE}', ?)",
                        episodes)
        con.execute("INSERT INTO meta VALUES ('build_id', ?)", (build_id,))
        con.commit()
        con.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_index(corpus) -> Path:
    """The corpus' index: the sidecar when current, else one rebuilt in the cache folder."""
    build_id = corpus.meta.get("build_id", "")
    side = sidecar_path(corpus.path)
    if index_is_current(side, build_id):
        return side
    cached = writable_cache_dir() / f"fts-{build_id or 'unknown'}.sqlite"
    if not index_is_current(cached, build_id):
        cur = corpus.cursor()
        turns = cur.execute("SELECT session_no, turn_no, role, text FROM turns").fetchall()
        eps = cur.execute("SELECT session_no, episode_no, concat_ws(' ', name, description, "
                          "(SELECT string_agg(quote, ' ') FROM evidence v WHERE v.episode_no = e.episode_no)) "
                          "FROM episodes e").fetchall()
        build_index(cached, build_id, turns, eps)
    return cached
