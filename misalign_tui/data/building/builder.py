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
from .search_index import build_index

# Columns staged from the importer's rows (the rest of each table is derived in SQL).
SESSION_COLS = tuple(c for c, _ in SESSION_COLUMNS if c not in ("month", "licensed", "n_episodes", "signals"))
TURN_COLS = ("session_no", "turn_no", "role", "ts", "n_messages", "text")
TOOL_COLS = ("session_no", "turn_no", "seq", "name", "input_summary", "is_error")
SIGNAL_COLS = ("session_no", "turn_no", "kind", "cue", "score")
EPISODE_COLS = tuple(c for c, _ in EPISODE_CORE + EPISODE_AXIS_COLUMNS + WIDE_COLUMNS + EPISODE_TEXT_COLUMNS) + (
    "quotes",)
EVIDENCE_COLS = ("episode_no", "seq", "turn_ref", "turn_no", "role", "quote", "context")
VALIDATION_COLS = ("episode_key", "count_id", "label", "invalid_category")

_TYPES = {c: t.split(" ")[0] for c, t in SESSION_COLUMNS + EPISODE_COLUMNS}
_TYPES.update({"turn_no": "INTEGER", "n_messages": "INTEGER", "seq": "INTEGER", "is_error": "BOOLEAN",
               "score": "DOUBLE"})


PAUSE_ENV = "MISALIGN_TUI_TEST_PAUSE_AT"
PHASES = ("temp-created", "loaded", "derived", "index-built", "sidecar-renamed")


def checkpoint(phase: str) -> None:
    """Test hook for the atomicity tests: when ``$MISALIGN_TUI_TEST_PAUSE_AT`` names this phase, say so
    on stderr and wait (to be killed there). A no-op otherwise."""
    if os.environ.get(PAUSE_ENV) == phase:
        sys.stderr.write(f"paused at {phase}\n")
        sys.stderr.flush()
        time.sleep(3600)


def _default(o):
    if isinstance(o, datetime):
        return o.isoformat(sep=" ")
    raise TypeError(type(o).__name__)


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
    """Collects rows and writes them to ``target`` atomically (``force`` replaces an existing file)."""

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
        self.sessions: list[tuple] = []
        self.turns: list[tuple] = []
        self.tool_calls: list[tuple] = []
        self.signals: list[tuple] = []
        self.episodes: list[tuple] = []
        self.evidence: list[tuple] = []
        self.validations: list[tuple] = []
        self.sources: Counter = Counter()  # source description -> records read
        self.skipped: Counter = Counter()  # reason -> count

    # ------------------------------------------------------------------------------------
    def write(self, progress=None) -> dict[str, int]:
        """Build the temp file, then rename it over the target. Returns rows per table."""
        clean_stale_temps(self.target)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name}.{os.getpid()}.", suffix=".tmp", dir=self.target.parent)
        os.close(fd)
        os.unlink(tmp)  # DuckDB wants to create the file itself
        stage = Path(tmp + ".stage.jsonl")
        self.build_id = uuid.uuid4().hex
        side = sidecar_path(self.target)
        side_tmp = side.with_name(f".{side.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.building")
        fts_error: list[BaseException] = []
        fts = threading.Thread(target=self._build_index, args=(side_tmp, fts_error), daemon=True)
        fts.start()  # the FTS5 sidecar builds on the other core while DuckDB loads
        try:
            con = duckdb.connect(tmp)
            try:
                counts = self._fill(con, stage, progress)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            fts.join()
            if fts_error:
                raise fts_error[0]
            checkpoint("index-built")
            os.replace(side_tmp, side)  # a sidecar never matches an older corpus: build ids differ
            checkpoint("sidecar-renamed")
            os.replace(tmp, self.target)
            return counts
        except duckdb.Error as e:
            msg = str(e).splitlines()[0]
            raise CorpusError(f"could not write corpus: {msg}", path=str(self.target)) from None
        except OSError as e:
            raise CorpusError(f"could not write corpus: {e.strerror or e}", path=str(self.target)) from None
        finally:
            fts.join()
            for p in (Path(tmp), Path(tmp + ".wal"), stage, side_tmp):
                try:
                    p.unlink()
                except FileNotFoundError:
                    pass

    def _build_index(self, path: Path, errors: list) -> None:
        try:
            i_name, i_desc, i_quotes = (EPISODE_COLS.index(c) for c in ("name", "description", "quotes"))
            docs = ((e[2], e[0], " ".join(x for x in (e[i_name], e[i_desc], e[i_quotes]) if x)) for e in self.episodes)
            build_index(path, self.build_id, ((t[0], t[1], t[2], t[5]) for t in self.turns), docs)
        except BaseException as e:  # reported by write()
            errors.append(e)

    def _load(self, con, stage: Path, table: str, cols: tuple[str, ...], rows: list[tuple], *, into=None):
        if not rows:
            return
        dumps = json.JSONEncoder(default=_default, ensure_ascii=False).encode
        with open(stage, "w", encoding="utf-8") as f:
            f.write("\n".join(map(dumps, rows)))
            f.write("\n")
        sel = ", ".join(
            f"CAST(j->>'$[{i}]' AS {_TYPES.get(c, 'VARCHAR')}) AS {c}"
            if not _TYPES.get(c, "").endswith("[]")
            else f"CAST(j->'$[{i}]' AS {_TYPES[c]}) AS {c}"
            for i, c in enumerate(cols)
        )
        src = (f"(SELECT {sel} FROM (SELECT json AS j FROM read_json('{stage}', format='newline_delimited', "
               f"records=false, columns={{'json': 'JSON'}}, maximum_object_size=1073741824)))")
        con.execute(f"INSERT INTO {into or table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {src}")

    def _fill(self, con, stage: Path, progress) -> dict[str, int]:
        steps = ["schema", "sessions", "turns", "episodes", "derive", "index"]

        def tick(i):
            if progress:
                progress(i, len(steps))

        for ddl in DDL:
            con.execute(ddl)
        con.executemany("INSERT INTO taxonomy VALUES (?, ?, ?, ?)", taxonomy_rows())
        checkpoint("temp-created")
        tick(1)
        self._load(con, stage, "sessions", SESSION_COLS, self.sessions)
        tick(2)
        self._load(con, stage, "turns", TURN_COLS, self.turns)
        self._load(con, stage, "tool_calls", TOOL_COLS, self.tool_calls)
        self._load(con, stage, "turn_signals", SIGNAL_COLS, self.signals)
        tick(3)
        derived = ", ".join(c for c, _ in EPISODE_SESSION_COLUMNS + EPISODE_DERIVED_COLUMNS)
        con.execute(f"CREATE TEMP TABLE ep_stage AS SELECT * EXCLUDE ({derived}), ''::VARCHAR AS quotes "
                    "FROM episodes LIMIT 0")
        self._load(con, stage, "ep_stage", EPISODE_COLS, self.episodes)
        self._load(con, stage, "evidence", EVIDENCE_COLS, self.evidence)
        self._load(con, stage, "validations", VALIDATION_COLS, self.validations)
        tick(4)
        checkpoint("loaded")
        self._derive(con)
        checkpoint("derived")
        tick(5)
        for ix in INDEXES:
            con.execute(ix)
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
        tick(6)
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("sessions", "turns", "episodes", "evidence", "validations", "tool_calls", "turn_signals")}

    def _derive(self, con) -> None:
        con.execute("""UPDATE sessions SET month = strftime(ts, '%Y-%m'),
            licensed = coalesce(license NOT IN ('NO_LICENSE', 'NOASSERTION') AND trim(license) <> '', false)""")
        con.execute("""UPDATE sessions SET signals = coalesce(
            (SELECT list(DISTINCT kind ORDER BY kind) FROM turn_signals t WHERE t.session_no = sessions.session_no),
            []::VARCHAR[])""")
        repeated = ", ".join(f"s.{c}" for c, _ in EPISODE_SESSION_COLUMNS)
        con.execute(f"""
            INSERT INTO episodes BY NAME
            SELECT e.* EXCLUDE (quotes), {repeated},
                   lower(concat_ws(' ', e.name, e.description, e.quotes)) AS search_text
            FROM ep_stage e JOIN sessions s USING (session_no)""")
        con.execute("""UPDATE sessions SET n_episodes = coalesce((SELECT count(*) FROM episodes e
            WHERE e.session_no = sessions.session_no AND e.validation = 'VALID'), 0)""")
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
