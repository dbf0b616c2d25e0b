"""Reading a Parquet copy of a corpus (the scale-out path; ``building.parquet_export`` writes it).

Layout of DIR: ``misalign-parquet.json`` (the marker: format, schema version, build id and, per
table, its files, row count and columns in order), then one entry per table: ``episodes/`` and
``sessions/`` partitioned by month (hive style ``month=YYYY-MM``, a missing month in
``month=__HIVE_DEFAULT_PARTITION__``; the column is also kept inside the files), the other tables one
``<table>.parquet`` each. Other tools (DuckDB, Polars, Spark, pandas) read the folders directly.

``Corpus.open(DIR)`` calls ``connect_parquet``: an
in-memory DuckDB with one view per table over ``read_parquet`` (same names, same column order), so
every query of ``queries/`` works unchanged; nothing is ever written back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from ..errors import CorpusError
from ..schema import VIEWS

MARKER = "misalign-parquet.json"
FORMAT = "misalign-tui-parquet"
FORMAT_VERSION = 1
SQL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The counting tables every refresh reads are loaded into memory once (a view over Parquet would decode the
# files on every refresh); facet_rows only up to this many rows (beyond, it stays a view: RSS stays bounded).
IN_MEMORY = ("facet_dict", "facet_cube", "facet_rows")
IN_MEMORY_MAX_ROWS = 2_000_000


def sql_literal(path: Path | str) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def is_parquet_dir(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / MARKER).is_file()


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
            if not SQL_NAME.match(str(t)) or not isinstance(cols, list) or not all(
                    isinstance(c, list) and c and SQL_NAME.match(str(c[0])) for c in cols):
                raise CorpusError(f"bad table entry {t!r} in {MARKER}", path=str(path))
            files = "[" + ", ".join(sql_literal(f) for f in _files(path, t, spec)) + "]"
            names = ", ".join(f'"{c[0]}"' for c in cols)
            rows = spec.get("rows") if isinstance(spec.get("rows"), int) else None
            kind = "TABLE" if t in IN_MEMORY and (rows or 0) <= IN_MEMORY_MAX_ROWS else "VIEW"
            con.execute(f'CREATE {kind} "{t}" AS SELECT {names} FROM read_parquet({files}, hive_partitioning = false)')
        for name, sql in VIEWS.items():  # the corpus' own views, over the tables
            if name not in m["tables"]:
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
    except CorpusError:
        con.close()
        raise
    except duckdb.Error as e:
        con.close()
        raise CorpusError(f"damaged Parquet export: {str(e).splitlines()[0]}", path=str(path)) from None
    return con
