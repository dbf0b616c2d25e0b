"""Writes a corpus file atomically: build in a temp file beside the target, rename on success.

Rows are staged in Python lists and bulk-loaded through newline-delimited JSON (DuckDB's JSON reader
is far faster than row inserts); derived columns (session fields on episodes, label lists, sort
ranks, the facet-counting tables) are computed in SQL at the end.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ..errors import CorpusError
from ..reading.search import sidecar_path
from ..schema import (DDL, EPISODE_AXIS_COLUMNS, EPISODE_COLUMNS, EPISODE_CORE, EPISODE_DERIVED_COLUMNS,
                      EPISODE_SESSION_COLUMNS, EPISODE_TEXT_COLUMNS, INDEXES, SCHEMA_VERSION, SESSION_COLUMNS,
                      VIEWS, WIDE_COLUMNS)
from .. import facet_sql
from ..taxonomy import taxonomy_rows
from . import study as st
from .search_index import build_index

# Columns of the staged sessions (stage.sessions_src) that the sessions table takes as they are.
SESSION_COLS = tuple(c for c, _ in SESSION_COLUMNS if c not in ("session_no", "month", "licensed", "n_episodes",
                                                                "signals"))
COUNTED = ("sessions", "turns", "episodes", "evidence", "validations", "tool_calls", "turn_signals")
BATCH_ROWS = 4096


def _rows(cur):
    """The rows of a cursor in batches (memory stays flat)."""
    while batch := cur.fetchmany(BATCH_ROWS):
        yield from batch


def staged_tables(con) -> None:
    """The staging area the importer fills besides the study's tables (``study_load``): turns, tool calls
    and signals of transcripts, keyed by session key."""
    con.execute("CREATE SCHEMA stage")
    con.execute("CREATE TABLE stage.turns_src (session_key VARCHAR, turn_no INTEGER, role VARCHAR, ts TIMESTAMP, "
                "n_messages INTEGER, text VARCHAR)")
    con.execute("CREATE TABLE stage.tool_calls_src (session_key VARCHAR, turn_no INTEGER, seq INTEGER, name VARCHAR, "
                "input_summary VARCHAR, is_error BOOLEAN)")
    con.execute("CREATE TABLE stage.signals_src (session_key VARCHAR, turn_no INTEGER, kind VARCHAR, cue VARCHAR, "
                "score DOUBLE)")


# "TURN 7 | USER" (turns.parse_turn_ref); a reference with other than ASCII is resolved in Python.
_REF = r"(?i)TURN\s*#?\s*([0-9]+)\s*(?:\|\s*([A-Za-z]+))?"


def resolve_evidence(con, skipped: Counter) -> None:
    """``evidence`` from the staged episodes' evidence lists: the turn number and role of each reference
    (``study.resolve_evidence``), past-the-end and unknown references counted in ``skipped``."""
    con.execute(f"""INSERT INTO evidence SELECT episode_no, seq, ref, CASE WHEN n_turns IS NULL OR num BETWEEN 1
        AND n_turns THEN num END, role, quote, context FROM (
        SELECT e.episode_no, u.seq, u.item.turn AS ref, u.item.quote AS quote, u.item.context AS context, e.n_turns,
            TRY_CAST(nullif(regexp_extract(u.item.turn, '{_REF}', 1), '') AS INTEGER) AS num,
            CASE upper(nullif(regexp_extract(u.item.turn, '{_REF}', 2), '')) WHEN 'USER' THEN 'USER'
                WHEN 'AGENT' THEN 'AGENT' WHEN 'HUMAN' THEN 'USER' WHEN 'DEVELOPER' THEN 'USER' WHEN NULL THEN NULL
                ELSE CASE WHEN regexp_extract(u.item.turn, '{_REF}', 2) <> '' THEN 'AGENT' END END AS role
        FROM stage.ep_numbered e, LATERAL (SELECT unnest(e.evidence) AS item,
            generate_subscripts(e.evidence, 1) AS seq) u)""")
    odd = con.execute("SELECT DISTINCT e.episode_no, e.seq, e.turn_ref, n.n_turns FROM evidence e JOIN "
                      "stage.ep_numbered n USING (episode_no) WHERE NOT regexp_full_match(e.turn_ref, '[ -~]*')"
                      ).fetchall()
    for episode_no, seq, ref, n_turns in odd:
        num, role, _ = st.resolve_evidence(ref, None, n_turns)
        con.execute("UPDATE evidence SET turn_no = $n, role = $r WHERE episode_no = $e AND seq = $s",
                    {"n": num, "r": role, "e": episode_no, "s": seq})
    for problem, where in (("evidence turn unknown", "turn_no IS NULL AND NOT regexp_matches(coalesce(e.turn_ref, "
                            f"''), '{_REF}')"),
                           ("evidence turn past the last turn", f"turn_no IS NULL AND regexp_matches(e.turn_ref, "
                            f"'{_REF}')")):
        n = con.execute(f"SELECT count(*) FROM evidence e WHERE {where}").fetchone()[0]
        if n:
            skipped[problem] += n


PAUSE_ENV = "MISALIGN_TUI_TEST_PAUSE_AT"
PHASES = ("temp-created", "loaded", "derived", "index-built", "sidecar-renamed")


def checkpoint(phase: str) -> None:
    """Test hook for the atomicity tests: when ``$MISALIGN_TUI_TEST_PAUSE_AT`` names this phase, say so
    on stderr and wait (to be killed there). A no-op otherwise."""
    if os.environ.get(PAUSE_ENV) == phase:
        sys.stderr.write(f"paused at {phase}\n")
        sys.stderr.flush()
        time.sleep(3600)


def _pad_to_header(path: Path) -> None:
    """DuckDB may cut free blocks off the end of the file while its header still counts them; the reader
    takes a file shorter than the header promises for a partial copy (``dbfile.truncated``), so the corpus
    is extended (with zeros, in free blocks) to the size its header gives."""
    from ..reading.dbfile import _expected_size

    expected = _expected_size(path)
    if expected is not None and path.stat().st_size < expected:
        os.truncate(path, expected)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clean_stale_temps(target: Path) -> int:
    """Remove what a killed import (or Parquet export) of ``target`` left beside it; returns the count.

    Temp names carry the writer's PID (``.NAME.PID.xxxx.tmp`` + ``.wal`` / ``.stage.jsonl``,
    ``.NAME.fts.PID.xxxx.building``, Parquet ``.NAME.PID.xxxx.tmp/``); only those of processes that no
    longer exist are removed, so a concurrent writer's files are left alone.
    """
    pat = re.compile(r"^\.{1,2}" + re.escape(target.name) + r"(?:\.fts)?\.(\d+)\..*\.(?:tmp|wal|jsonl|building|old)$")
    removed = 0
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return 0
    for p in entries:
        m = pat.match(p.name)
        if not m or _pid_alive(int(m.group(1))):
            continue
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed += 1
        except OSError:
            pass
    return removed


class CorpusBuilder:
    """Builds a corpus in a temp file beside ``target`` and renames it over the target at the end (``force``
    replaces an existing corpus). ``open()`` creates the temp file; the sources are staged into its schema
    ``stage`` (``stage.sessions_src``, ``turns_src``, ``tool_calls_src``, ``signals_src``, ``episodes_src``,
    ``validations_src``: see ``StagedTables``); ``finish()`` numbers and writes the corpus' tables in SQL,
    builds the full-text sidecar and renames; ``close()`` removes whatever is left of an unfinished build."""

    def __init__(self, target: Path, *, force: bool = False):
        self.target = Path(target)
        if self.target.is_dir():
            raise CorpusError("output path is a directory, expected a .duckdb file name", path=str(target))
        if self.target.exists() and not force:
            raise CorpusError("corpus exists; pass --force to replace it", path=str(target))
        parent = self.target.parent
        if not parent.is_dir():
            raise CorpusError("output folder does not exist", path=str(parent))
        if not os.access(parent, os.W_OK):
            raise CorpusError("output folder is not writable", path=str(parent))
        self.sources: Counter = Counter()  # source description -> records read
        self.skipped: Counter = Counter()  # reason -> count
        self.con: duckdb.DuckDBPyConnection | None = None
        self.build_id = uuid.uuid4().hex
        self._tmp: str | None = None
        self._side_tmp: Path | None = None

    # ------------------------------------------------------------------------------------
    def open(self) -> duckdb.DuckDBPyConnection:
        """Create the temp corpus with the schema and an empty staging area; returns its connection."""
        clean_stale_temps(self.target)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name}.{os.getpid()}.", suffix=".tmp", dir=self.target.parent)
        os.close(fd)
        os.unlink(tmp)  # DuckDB wants to create the file itself
        self._tmp = tmp
        side = sidecar_path(self.target)
        self._side_tmp = side.with_name(f".{side.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.building")
        try:
            con = self.con = duckdb.connect(tmp)
            con.execute("SET enable_progress_bar = false")
            con.execute("SET preserve_insertion_order = true")
            # bounded memory whatever the input size: DuckDB spills to <corpus>.tmp beyond this
            con.execute(f"SET memory_limit = '{os.environ.get('MISALIGN_TUI_IMPORT_MEMORY', '1GB')}'")
            for ddl in DDL:
                con.execute(ddl)
            con.executemany("INSERT INTO taxonomy VALUES (?, ?, ?, ?)", taxonomy_rows())
            staged_tables(con)
        except duckdb.Error as e:
            raise CorpusError(f"could not write corpus: {str(e).splitlines()[0]}", path=str(self.target)) from None
        checkpoint("temp-created")
        return con

    def finish(self, progress=None) -> dict[str, int]:
        """Write the corpus' tables from the staged rows, derive, index, and rename into place."""
        con = self.con
        side = sidecar_path(self.target)
        fts_error: list[BaseException] = []
        fts = None
        try:
            self._fill(con, progress)
            checkpoint("loaded")
            fts = threading.Thread(target=self._build_index, args=(self._side_tmp, fts_error), daemon=True)
            fts.start()  # the FTS5 sidecar builds on the other core while DuckDB derives
            self._derive(con)
            for ix in INDEXES:
                con.execute(ix)
            fts.join()
            con.execute("DROP SCHEMA stage CASCADE")
            self._meta(con)
            con.execute("CHECKPOINT")
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
            checkpoint("derived")
            if fts_error:
                raise fts_error[0]
            con.close()
            self.con = None
            _pad_to_header(Path(self._tmp))
            checkpoint("index-built")
            os.replace(self._side_tmp, side)  # a sidecar never matches an older corpus: build ids differ
            checkpoint("sidecar-renamed")
            os.replace(self._tmp, self.target)
            return counts
        except duckdb.Error as e:
            msg = str(e).splitlines()[0]
            raise CorpusError(f"could not write corpus: {msg}", path=str(self.target)) from None
        except OSError as e:
            raise CorpusError(f"could not write corpus: {e.strerror or e}", path=str(self.target)) from None
        finally:
            if fts is not None:
                fts.join()

    def close(self) -> None:
        """Remove the temp files of a build that did not finish (a no-op after ``finish``)."""
        if self.con is not None:
            try:
                self.con.close()
            except duckdb.Error:
                pass
            self.con = None
        for p in (self._tmp, self._tmp and self._tmp + ".wal", self._side_tmp):
            if p:
                try:
                    Path(p).unlink()
                except FileNotFoundError:
                    pass

    def _build_index(self, path: Path, errors: list) -> None:
        try:
            turns = _rows(self.con.cursor().execute("SELECT session_no, turn_no, role, text FROM turns"))
            docs = _rows(self.con.cursor().execute(
                "SELECT session_no, episode_no, concat_ws(' ', name, description, nullif(quotes, '')) "
                "FROM stage.ep_stage"))
            build_index(path, self.build_id, turns, docs)
        except BaseException as e:  # reported by finish()
            errors.append(e)

    def _fill(self, con, progress) -> dict[str, int]:
        """The corpus' tables from the staged rows: sessions and episodes numbered by key order."""
        steps = 4

        def tick(i):
            if progress:
                progress(i, steps)

        cols = ", ".join(SESSION_COLS)
        con.execute(f"""INSERT INTO sessions ({cols}, session_no, signals, month, licensed)
            SELECT {", ".join("s." + c for c in SESSION_COLS)}, row_number() OVER (ORDER BY s.session_key),
                []::VARCHAR[], strftime(s.ts, '%Y-%m'), coalesce(s.license NOT IN ('NO_LICENSE', 'NOASSERTION')
                AND trim(s.license) <> '', false)
            FROM (SELECT * EXCLUDE (unannotated) FROM stage.sessions_src) s""")
        tick(1)
        con.execute("""INSERT INTO turns SELECT s.session_no, t.turn_no, t.role, t.ts, t.n_messages, t.text
            FROM stage.turns_src t JOIN sessions s USING (session_key) ORDER BY s.session_no, t.turn_no""")
        con.execute("""INSERT INTO tool_calls SELECT s.session_no, t.turn_no, t.seq, t.name, t.input_summary,
            t.is_error FROM stage.tool_calls_src t JOIN sessions s USING (session_key)""")
        con.execute("""INSERT INTO turn_signals SELECT s.session_no, t.turn_no, t.kind, t.cue, t.score
            FROM stage.signals_src t JOIN sessions s USING (session_key)""")
        tick(2)
        derived = ", ".join(c for c, _ in EPISODE_SESSION_COLUMNS + EPISODE_DERIVED_COLUMNS)
        con.execute(f"CREATE TABLE stage.ep_stage AS SELECT * EXCLUDE ({derived}), ''::VARCHAR AS quotes "
                    "FROM episodes LIMIT 0")
        con.execute("""CREATE TABLE stage.ep_numbered AS SELECT e.*, row_number() OVER (ORDER BY e.episode_key)
            AS episode_no, s.session_no, s.n_turns FROM stage.episodes_src e JOIN sessions s USING (session_key)""")
        resolve_evidence(con, self.skipped)
        tick(3)
        con.execute(f"""INSERT INTO stage.ep_stage BY NAME SELECT e.* EXCLUDE (evidence, n_turns),
            coalesce(q.quotes, '') AS quotes FROM stage.ep_numbered e LEFT JOIN (SELECT episode_no,
            string_agg(quote, ' ' ORDER BY seq) AS quotes FROM evidence GROUP BY ALL) q USING (episode_no)""")
        con.execute("INSERT INTO validations SELECT * FROM stage.validations_src")
        tick(4)

    def _meta(self, con) -> None:
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "build_id": self.build_id,
            "default_validation": con.execute(
                "SELECT CASE WHEN count(*) FILTER (WHERE validation = 'VALID') = 0 "
                "AND count(*) FILTER (WHERE validation = 'CANDIDATE') > 0 THEN 'CANDIDATE' ELSE 'VALID' END "
                "FROM episodes").fetchone()[0],
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sources": json.dumps(dict(self.sources)),
            "skipped": json.dumps(dict(self.skipped)),
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))

    def _derive(self, con) -> None:
        # only the sessions that have some (an UPDATE of every row rewrites the whole table)
        con.execute("""UPDATE sessions SET signals = t.kinds FROM (SELECT session_no, list(DISTINCT kind ORDER BY
            kind) AS kinds FROM turn_signals GROUP BY ALL) t WHERE sessions.session_no = t.session_no""")
        repeated = ", ".join(f"s.{c}" for c, _ in EPISODE_SESSION_COLUMNS)
        con.execute(f"""
            INSERT INTO episodes BY NAME
            SELECT e.* EXCLUDE (quotes), {repeated},
                   lower(concat_ws(' ', e.name, e.description, e.quotes)) AS search_text
            FROM stage.ep_stage e JOIN sessions s USING (session_no)""")
        con.execute("""UPDATE sessions SET n_episodes = e.n FROM (SELECT session_no, count(*) AS n FROM episodes
            WHERE validation = 'VALID' GROUP BY ALL) e WHERE sessions.session_no = e.session_no""")
        con.execute("""UPDATE episodes SET
            ord_key = r.k, ord_time = r.t, ord_platform = r.p, ord_agent = r.a, ord_symptoms = r.sy,
            ord_causes = r.c, ord_severity = r.sv, ord_resolution = r.rs, ord_name = r.n
            FROM (SELECT episode_no,
                rank() OVER (ORDER BY source, try_cast(repo AS BIGINT) NULLS LAST, repo, session_id, misalignment_id) k,
                rank() OVER (ORDER BY ts NULLS LAST) t,
                rank() OVER (ORDER BY platform NULLS LAST) p,
                rank() OVER (ORDER BY agent NULLS LAST) a,
                rank() OVER (ORDER BY array_to_string(symptoms, ' ') NULLS LAST) sy,
                rank() OVER (ORDER BY array_to_string(causes, ' ') NULLS LAST) c,
                rank() OVER (ORDER BY severity NULLS LAST) sv,
                rank() OVER (ORDER BY status NULLS LAST, resolver NULLS LAST) rs,
                rank() OVER (ORDER BY lower(name) NULLS LAST) n
            FROM episodes) r WHERE episodes.episode_no = r.episode_no""")
        derive_facets(con)


def derive_facets(con) -> None:
    """The facet-counting tables (``facet_sql``) and the views, from the finished ``episodes``."""
    for name, sql in VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {sql}")
    con.execute(facet_sql.facet_dict_sql())
    for ddl in facet_sql.enum_types_sql():
        con.execute(ddl)
    con.execute(facet_sql.facet_rows_sql())
    for ddl in facet_sql.drop_enum_types_sql():
        con.execute(ddl)
    con.execute(facet_sql.facet_cube_sql())
