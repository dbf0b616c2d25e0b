"""The reviewer workspace: bookmarks, tags, notes and saved views in a DuckDB file beside the corpus.

The corpus is opened read-only everywhere and never written: everything here goes to the workspace file
(``paths.workspace_path``). Connections are opened per operation and closed at once — a write is one short
transaction, a read one short read-only connection — so several viewers (and ``misalign-tui notes …``) can
share a workspace: DuckDB lets one process hold a file open for writing at a time, and an operation that
meets another process' lock waits and retries for up to ``LOCK_WAIT`` seconds. Within a process, one lock
per file serialises the operations. Reads of a workspace never written return nothing and create no file.

Bookmarks, tags and notes belong to a reviewer (``reviewer``, default ``$USER``); reads return everyone's
(a merged workspace shows both reviewers'), writes change only the current reviewer's.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .model import Note, OrphanReport, Snapshot, WorkspaceError, clean_tag, now, session_of
from .paths import default_reviewer, workspace_path
from .schema import COLUMNS, DDL, WS_SCHEMA_VERSION

LOCK_WAIT = 5.0
_LOCKS: dict[str, threading.RLock] = {}
_GUARD = threading.Lock()
CORPUS_TABLES = {"meta", "episodes", "sessions", "turns"}


__all__ = ["Note", "OrphanReport", "ReviewStore", "Snapshot", "WorkspaceError", "clean_tag", "now", "session_of"]


def _note(row) -> Note:
    return Note(*row)


class ReviewStore:
    """One workspace file and the reviewer writing to it."""

    def __init__(self, path: str | Path, reviewer: str | None = None):
        self.path = Path(path)
        self.reviewer = " ".join((reviewer or default_reviewer()).split()) or "reviewer"

    @classmethod
    def for_corpus(cls, corpus_path: str | Path, override: str | Path | None = None,
                   reviewer: str | None = None) -> "ReviewStore":
        path = workspace_path(corpus_path, override)
        try:
            same = path.exists() and path.resolve() == Path(corpus_path).resolve()
        except OSError:
            same = False
        if same:
            raise WorkspaceError("the workspace cannot be the corpus file itself", path=str(path))
        return cls(path, reviewer)

    @property
    def exists(self) -> bool:
        return self.path.exists()

    # ----- connections ----------------------------------------------------------------------
    def _lock(self) -> threading.RLock:
        key = str(self.path.resolve()) if self.path.parent.exists() else str(self.path.absolute())
        with _GUARD:
            return _LOCKS.setdefault(key, threading.RLock())

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        from ..reading.dbfile import not_a_duckdb_file

        problem = not_a_duckdb_file(self.path)
        if problem:
            raise WorkspaceError(f"cannot open the reviewer workspace: it {problem}", path=str(self.path))
        deadline, delay = time.monotonic() + LOCK_WAIT, 0.02
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as e:
                msg = str(e).splitlines()[0] if str(e) else repr(e)
                if "lock" in msg.lower() and time.monotonic() < deadline:
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
                    continue
                raise WorkspaceError(f"cannot open the reviewer workspace: {msg}", path=str(self.path)) from None

    @staticmethod
    def _tables(con) -> set[str]:
        return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}

    def _check(self, con, tables: set[str]) -> int:
        if "ws_meta" not in tables:
            if tables & CORPUS_TABLES:
                raise WorkspaceError("is a corpus, not a reviewer workspace (it is never written)", path=str(self.path))
            if tables:
                raise WorkspaceError("not a reviewer workspace", path=str(self.path))
            return 0
        row = con.execute("SELECT value FROM ws_meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > WS_SCHEMA_VERSION:
            raise WorkspaceError(f"workspace schema version {version} is newer than this misalign-tui supports "
                                 f"({WS_SCHEMA_VERSION}); upgrade misalign-tui", path=str(self.path))
        return version

    @contextmanager
    def reading(self):
        """A read-only connection, or None when the workspace has never been written."""
        with self._lock():
            if not self.path.exists():
                yield None
                return
            con = self._connect(read_only=True)
            try:
                tables = self._tables(con)
                yield con if self._check(con, tables) else None
            except duckdb.Error as e:
                raise WorkspaceError(f"cannot read the reviewer workspace: {str(e).splitlines()[0]}",
                                     path=str(self.path)) from None
            finally:
                con.close()

    @contextmanager
    def writing(self):
        """A connection in a transaction, committed when the block ends (rolled back on error)."""
        with self._lock():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise WorkspaceError(f"cannot create the workspace folder: {e.strerror or e}",
                                     path=str(self.path.parent)) from None
            con = self._connect(read_only=False)
            try:
                version = self._check(con, self._tables(con))
                for ddl in DDL:
                    con.execute(ddl)
                if version < WS_SCHEMA_VERSION:
                    con.execute("INSERT OR REPLACE INTO ws_meta VALUES ('schema_version', ?)", [str(WS_SCHEMA_VERSION)])
                    con.execute("INSERT OR IGNORE INTO ws_meta VALUES ('created_at', ?)", [now()])
                con.execute("BEGIN TRANSACTION")
                try:
                    yield con
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
            except duckdb.Error as e:
                raise WorkspaceError(f"cannot write the reviewer workspace: {str(e).splitlines()[0]}",
                                     path=str(self.path)) from None
            finally:
                con.close()

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with self.reading() as con:
            return [] if con is None else con.execute(sql, params or []).fetchall()

    # ----- bookmarks ------------------------------------------------------------------------
    def toggle_bookmark(self, key: str) -> bool:
        """Bookmark ``key`` for this reviewer, or remove the bookmark; the new state."""
        with self.writing() as con:
            args = [key, self.reviewer]
            if con.execute("SELECT 1 FROM bookmarks WHERE episode_key = ? AND reviewer = ?", args).fetchone():
                con.execute("DELETE FROM bookmarks WHERE episode_key = ? AND reviewer = ?", args)
                return False
            con.execute("INSERT INTO bookmarks VALUES (?, ?, ?)", [*args, now()])
            return True

    def bookmarks(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for key, reviewer in self.rows("SELECT episode_key, reviewer FROM bookmarks ORDER BY episode_key, reviewer"):
            out.setdefault(key, []).append(reviewer)
        return {k: tuple(v) for k, v in out.items()}

    # ----- tags -----------------------------------------------------------------------------
    def add_tag(self, key: str, tag: str) -> str:
        """Tag ``key`` (an existing tag's spelling wins over case differences); the tag as stored."""
        tag = clean_tag(tag)
        with self.writing() as con:
            same = con.execute("SELECT tag FROM tags WHERE lower(tag) = lower(?) ORDER BY created_at LIMIT 1",
                               [tag]).fetchone()
            tag = same[0] if same else tag
            con.execute("INSERT INTO tags VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [key, tag, self.reviewer, now()])
        return tag

    def remove_tag(self, key: str, tag: str) -> bool:
        tag = " ".join(tag.split())
        with self.writing() as con:
            n = con.execute("SELECT count(*) FROM tags WHERE episode_key = ? AND lower(tag) = lower(?) "
                            "AND reviewer = ?", [key, tag, self.reviewer]).fetchone()[0]
            con.execute("DELETE FROM tags WHERE episode_key = ? AND lower(tag) = lower(?) AND reviewer = ?",
                        [key, tag, self.reviewer])
        return n > 0

    def tag_names(self) -> list[str]:
        """Every tag in the workspace, most used first (for autocompletion)."""
        return [r[0] for r in self.rows("SELECT tag FROM tags GROUP BY tag ORDER BY count(*) DESC, tag")]

    def tags_of(self, key: str) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for tag, reviewer in self.rows("SELECT tag, reviewer FROM tags WHERE episode_key = ? ORDER BY tag, reviewer",
                                       [key]):
            out.setdefault(tag, []).append(reviewer)
        return {t: tuple(r) for t, r in out.items()}

    # ----- notes ----------------------------------------------------------------------------
    @staticmethod
    def _target(key: str | None, session_key: str | None, turn_no: int | None) -> tuple[str, str, int | None]:
        if turn_no is not None:
            if not session_key and not key:
                raise WorkspaceError("a turn note needs a session key")
            return "turn", session_key or session_of(key), int(turn_no)
        if not key:
            raise WorkspaceError("an episode note needs an episode key")
        return "episode", key, None

    def my_note(self, key: str | None = None, *, session_key: str | None = None,
                turn_no: int | None = None) -> Note | None:
        """This reviewer's latest note on the episode ``key`` (or on turn ``turn_no`` of a session)."""
        kind, target, turn = self._target(key, session_key, turn_no)
        rows = self.rows("SELECT * FROM notes WHERE kind = ? AND target = ? AND turn_no IS NOT DISTINCT FROM ? "
                         "AND reviewer = ? ORDER BY updated_at DESC, note_id LIMIT 1",
                         [kind, target, turn, self.reviewer])
        return _note(rows[0]) if rows else None

    def save_note(self, body: str, key: str | None = None, *, session_key: str | None = None,
                  turn_no: int | None = None) -> Note | None:
        """Create or replace this reviewer's note; an empty body deletes it. The note as stored (or None)."""
        kind, target, turn = self._target(key, session_key, turn_no)
        body = body.replace("\r\n", "\n").rstrip()
        sel = ("SELECT * FROM notes WHERE kind = ? AND target = ? AND turn_no IS NOT DISTINCT FROM ? AND reviewer = ? "
               "ORDER BY updated_at DESC, note_id LIMIT 1")
        with self.writing() as con:
            old = con.execute(sel, [kind, target, turn, self.reviewer]).fetchone()
            if not body.strip():
                if old:
                    con.execute("DELETE FROM notes WHERE note_id = ?", [old[0]])
                return None
            stamp = now()
            if old:
                con.execute("UPDATE notes SET body = ?, updated_at = ? WHERE note_id = ?", [body, stamp, old[0]])
                return Note(*old[:6], body, old[7], stamp)
            note = Note(uuid.uuid4().hex, kind, target, turn, key, self.reviewer, body, stamp, stamp)
            con.execute("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(note.__dict__.values()))
            return note

    def notes(self) -> list[Note]:
        return [_note(r) for r in self.rows("SELECT * FROM notes ORDER BY target, turn_no NULLS FIRST, created_at")]

    # ----- saved views ----------------------------------------------------------------------
    def save_view(self, name: str, spec: dict) -> None:
        name = " ".join(name.split())
        if not name:
            raise WorkspaceError("a saved view needs a name")
        stamp = now()
        with self.writing() as con:
            con.execute("INSERT INTO views VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                        "reviewer = excluded.reviewer, spec = excluded.spec, updated_at = excluded.updated_at",
                        [name, self.reviewer, json.dumps(spec, sort_keys=True), stamp, stamp])

    def views(self) -> dict[str, dict]:
        return {n: json.loads(s) for n, s in self.rows("SELECT name, spec FROM views ORDER BY name")}

    def delete_view(self, name: str) -> bool:
        with self.writing() as con:
            n = con.execute("SELECT count(*) FROM views WHERE name = ?", [name]).fetchone()[0]
            con.execute("DELETE FROM views WHERE name = ?", [name])
        return n > 0

    # ----- whole-workspace reads ------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        snap = Snapshot()
        with self.reading() as con:
            if con is None:
                return snap
            marks: dict[str, list[str]] = {}
            for key, reviewer in con.execute("SELECT episode_key, reviewer FROM bookmarks ORDER BY 1, 2").fetchall():
                marks.setdefault(key, []).append(reviewer)
            snap.bookmarks = {k: tuple(v) for k, v in marks.items()}
            tag_rows = con.execute("SELECT episode_key, tag, reviewer FROM tags ORDER BY 2, 1, 3").fetchall()
            for key, tag, reviewer in tag_rows:
                snap.tags.setdefault(tag, set()).add(key)
                by = snap.key_tags.setdefault(key, {})
                by[tag] = by.get(tag, ()) + (reviewer,)
            for row in con.execute("SELECT * FROM notes ORDER BY target, turn_no NULLS FIRST, created_at").fetchall():
                n = _note(row)
                (snap.notes if n.kind == "episode" else snap.turn_notes).setdefault(n.target, []).append(n)
            views = con.execute("SELECT name, spec FROM views ORDER BY 1").fetchall()
            snap.views = {n: json.loads(s) for n, s in views}
        return snap

    def dump(self) -> dict[str, list[dict]]:
        """Every table as a list of dicts (for merge and export)."""
        out: dict[str, list[dict]] = {t: [] for t in COLUMNS}
        with self.reading() as con:
            if con is None:
                return out
            for table, cols in COLUMNS.items():
                rows = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
                out[table] = [dict(zip(cols, r)) for r in rows]
        return out

    def load(self, dump: dict[str, list[dict]]) -> None:
        """Insert the rows of a dump (into an empty workspace: merge writes a new file)."""
        with self.writing() as con:
            for table, cols in COLUMNS.items():
                rows = [[r.get(c) for c in cols] for r in dump.get(table, ())]
                if rows:
                    con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                    rows)

    def orphans(self, corpus) -> OrphanReport:
        """Entries whose episode, session or turn the corpus (``data.corpus.Corpus``) no longer has."""
        episodes, sessions = set(), {}
        for kind, key, n_turns in corpus.run("ws_all_keys"):
            if kind == "episode":
                episodes.add(key)
            else:
                sessions[key] = n_turns
        rep = OrphanReport()
        d = self.dump()
        rep.bookmarks = [(r["episode_key"], r["reviewer"]) for r in d["bookmarks"] if r["episode_key"] not in episodes]
        rep.tags = [(r["episode_key"], r["tag"], r["reviewer"]) for r in d["tags"] if r["episode_key"] not in episodes]
        for r in d["notes"]:
            n = Note(**r)
            if n.kind == "episode" and n.target not in episodes:
                rep.notes.append(n)
            elif n.kind == "turn" and (n.target not in sessions
                                       or (sessions[n.target] is not None and n.turn_no > sessions[n.target])):
                rep.notes.append(n)
        rep.codings = sorted({(r["round"], r["episode_key"]) for r in d["codings"] if r["episode_key"] not in episodes})
        return rep
