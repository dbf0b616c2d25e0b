"""A Parquet copy of a corpus, the scale-out path: ``misalign-tui export-parquet CORPUS DIR``.

Layout of DIR: ``misalign-parquet.json`` (the marker: format, schema version, build id and, per
table, its files, row count and columns in order), then one entry per table: ``episodes/`` and
``sessions/`` partitioned by month (hive style ``month=YYYY-MM``, a missing month in
``month=__HIVE_DEFAULT_PARTITION__``; the column is also kept inside the files), the other tables one
``<table>.parquet`` each. Other tools (DuckDB, Polars, Spark, pandas) read the folders directly.

The export is written into a hidden temp folder beside DIR and renamed into place at the end, so DIR
is either the old export or the complete new one. ``Corpus.open(DIR)`` calls ``connect_parquet``: an
in-memory DuckDB with one view per table over ``read_parquet`` (same names, same column order), so
every query of ``queries/`` works unchanged; nothing is ever written back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path

import duckdb

from .errors import CorpusError

MARKER = "misalign-parquet.json"
FORMAT = "misalign-tui-parquet"
FORMAT_VERSION = 1
PARTITION_BY = {"episodes": "month", "sessions": "month"}
ORDER_BY = {"turns": "session_no, turn_no", "evidence": "episode_no, seq", "episode_values": "episode_no",
            "tool_calls": "session_no, turn_no, seq", "turn_signals": "session_no, turn_no",
            "episodes": "episode_no", "sessions": "session_no"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _lit(path: Path | str) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def is_parquet_dir(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / MARKER).is_file()


# ----- writing ----------------------------------------------------------------------------
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
        "AND table_catalog = current_database() ORDER BY table_name").fetchall()]
    spec: dict[str, dict] = {}
    for i, t in enumerate(tables, 1):
        if not _NAME.match(t):
            continue
        cols = [[r[0], r[1]] for r in cur.execute(f'DESCRIBE "{t}"').fetchall()]
        rows = cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        part = PARTITION_BY.get(t) if rows else None  # an empty table still gets one (empty) file
        sel = f'SELECT * FROM "{t}"' + (f" ORDER BY {ORDER_BY[t]}" if t in ORDER_BY else "")
        if part:
            cur.execute(f"COPY ({sel}) TO {_lit(tmp / t)} (FORMAT parquet, PARTITION_BY ({part}), "
                        "WRITE_PARTITION_COLUMNS true)")
            files = f"{t}/**/*.parquet"
        else:
            cur.execute(f"COPY ({sel}) TO {_lit(tmp / (t + '.parquet'))} (FORMAT parquet)")
            files = f"{t}.parquet"
        spec[t] = {"files": files, "rows": rows, "columns": cols, "partition_by": part}
        if progress:
            progress(i, len(tables))
    return spec


def export_parquet(corpus_path: str | Path, out: str | Path, *, force: bool = False, progress=None) -> dict:
    """Write the corpus at ``corpus_path`` as a Parquet folder ``out`` (atomically). Returns the manifest."""
    from .corpus import Corpus

    out = Path(out)
    if Path(corpus_path).resolve() == out.resolve():
        raise CorpusError("the export folder is the corpus being exported; choose another folder", path=str(out))
    _check_target(out, force)
    from .builder import clean_stale_temps

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


# ----- reading ----------------------------------------------------------------------------
def _manifest(path: Path) -> dict:
    try:
        m = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except PermissionError:
        raise CorpusError("permission denied", path=str(path / MARKER)) from None
    except (OSError, ValueError, RecursionError) as e:
        raise CorpusError(f"unreadable Parquet export marker ({type(e).__name__})", path=str(path / MARKER)) from None
    if not isinstance(m, dict) or m.get("format") != FORMAT or not isinstance(m.get("tables"), dict):
        raise CorpusError(f"not a misalign-tui Parquet export (bad {MARKER})", path=str(path))
    version = m.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CorpusError(f"Parquet export format {version!r} is newer than this misalign-tui reads "
                          f"({FORMAT_VERSION}); upgrade misalign-tui", path=str(path))
    return m


def _files(path: Path, t: str, spec) -> list[str]:
    pattern = spec.get("files") if isinstance(spec, dict) else None
    if not isinstance(pattern, str) or pattern.startswith("/") or ".." in Path(pattern).parts:
        raise CorpusError(f"bad file pattern for table {t} in {MARKER}", path=str(path))
    files = sorted(str(f) for f in path.glob(pattern) if f.is_file())
    if not files:
        raise CorpusError(f"Parquet export is incomplete: no files for table {t} ({pattern})", path=str(path))
    return files


def connect_parquet(path: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view per table of the Parquet export at ``path``."""
    path = Path(path)
    m = _manifest(path)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET parquet_metadata_cache = true")
        for t, spec in m["tables"].items():
            cols = spec.get("columns") if isinstance(spec, dict) else None
            if not _NAME.match(str(t)) or not isinstance(cols, list) or not all(
                    isinstance(c, list) and c and _NAME.match(str(c[0])) for c in cols):
                raise CorpusError(f"bad table entry {t!r} in {MARKER}", path=str(path))
            files = "[" + ", ".join(_lit(f) for f in _files(path, t, spec)) + "]"
            names = ", ".join(f'"{c[0]}"' for c in cols)
            con.execute(f'CREATE VIEW "{t}" AS SELECT {names} FROM read_parquet({files}, hive_partitioning = false)')
    except CorpusError:
        con.close()
        raise
    except duckdb.Error as e:
        con.close()
        raise CorpusError(f"damaged Parquet export: {str(e).splitlines()[0]}", path=str(path)) from None
    return con
