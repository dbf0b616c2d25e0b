"""``misalign-tui export-parquet CORPUS DIR``: write a Parquet copy of a corpus (the layout: ``reading.parquet``).

The export is written into a hidden temp folder beside DIR and renamed into place at the end, so DIR
is either the old export or the complete new one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import duckdb

from ..errors import CorpusError
from ..reading.corpus import Corpus
from ..reading.parquet import FORMAT, FORMAT_VERSION, MARKER, SQL_NAME, is_parquet_dir, sql_literal
from .builder import clean_stale_temps

PARTITION_BY = {"episodes": "month", "sessions": "month"}
ORDER_BY = {"turns": "session_no, turn_no", "evidence": "episode_no, seq", "facet_rows": "validation, episode_no", "facet_cube": "validation",
            "tool_calls": "session_no, turn_no, seq", "turn_signals": "session_no, turn_no",
            "episodes": "episode_no", "sessions": "session_no"}


def _check_target(out: Path, force: bool) -> None:
    if out.exists():
        if not out.is_dir():
            raise CorpusError("exists and is not a folder", path=str(out))
        if is_parquet_dir(out):
            if not force:
                raise CorpusError("a Parquet export exists here; pass --force to replace it", path=str(out))
        elif any(out.iterdir()):
            raise CorpusError("folder is not empty and not a Parquet export; choose a new folder", path=str(out))
    parent = out.parent
    if not parent.is_dir():
        raise CorpusError("output folder does not exist", path=str(parent))
    if not os.access(parent, os.W_OK):
        raise CorpusError("output folder is not writable", path=str(parent))


def _write_tables(cur, tmp: Path, progress=None) -> dict:
    tables = [r[0] for r in cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
    spec: dict[str, dict] = {}
    for i, t in enumerate(tables, 1):
        if not SQL_NAME.match(t):
            continue
        cols = [[r[0], r[1]] for r in cur.execute(f'DESCRIBE "{t}"').fetchall()]
        rows = cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        part = PARTITION_BY.get(t) if rows else None  # an empty table still gets one (empty) file
        sel = f'SELECT * FROM "{t}"' + (f" ORDER BY {ORDER_BY[t]}" if t in ORDER_BY else "")
        if part:
            cur.execute(f"COPY ({sel}) TO {sql_literal(tmp / t)} (FORMAT parquet, PARTITION_BY ({part}), "
                        "WRITE_PARTITION_COLUMNS true)")
            files = f"{t}/**/*.parquet"
        else:
            cur.execute(f"COPY ({sel}) TO {sql_literal(tmp / (t + '.parquet'))} (FORMAT parquet)")
            files = f"{t}.parquet"
        spec[t] = {"files": files, "rows": rows, "columns": cols, "partition_by": part}
        if progress:
            progress(i, len(tables))
    return spec


def export_parquet(corpus_path: str | Path, out: str | Path, *, force: bool = False, progress=None) -> dict:
    """Write the corpus at ``corpus_path`` as a Parquet folder ``out`` (atomically). Returns the manifest."""
    out = Path(out)
    if Path(corpus_path).resolve() == out.resolve():
        raise CorpusError("the export folder is the corpus being exported; choose another folder", path=str(out))
    _check_target(out, force)
    clean_stale_temps(out)  # temp folders of an export that was killed
    corpus = Corpus.open(corpus_path)
    tmp = out.parent / f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    old = None
    try:
        tmp.mkdir()
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                    "schema_version": corpus.meta.get("schema_version"), "build_id": corpus.meta.get("build_id"),
                    "tables": _write_tables(corpus.cursor(), tmp, progress)}
        (tmp / MARKER).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if out.exists() and is_parquet_dir(out):
            old = out.parent / f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.old"
            os.rename(out, old)
        try:
            os.replace(tmp, out)  # also replaces an empty folder
        except OSError:
            if old is not None:
                os.rename(old, out)
                old = None
            raise
        return manifest
    except duckdb.Error as e:
        raise CorpusError(f"could not write Parquet export: {str(e).splitlines()[0]}", path=str(out)) from None
    except OSError as e:
        raise CorpusError(f"could not write Parquet export: {e.strerror or e}", path=str(out)) from None
    finally:
        corpus.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
