"""``misalign-tui export-parquet`` (the scale-out copy) and ``misalign-tui migrate`` (what to do with an old corpus)."""

from __future__ import annotations

import json
import sys

from .cli import _Parser, _progress
from .data.errors import CorpusError
from .text_safety import terminal_safe


def export_parquet_main(argv: list[str]) -> int:
    from .data.locate import resolve
    from .data.parquet import export_parquet

    p = _Parser(prog="misalign-tui export-parquet", description="Write a partitioned Parquet copy of a corpus "
                "(episodes and sessions by month; one folder per table) that misalign-tui, DuckDB, Polars or "
                "Spark read directly: misalign-tui DIR opens it.")
    p.add_argument("corpus", help="corpus .duckdb (or study sources, imported first)")
    p.add_argument("out", help="folder to write (created; replaced atomically with --force)")
    p.add_argument("--force", action="store_true", help="replace an existing Parquet export")
    a = p.parse_args(argv)
    manifest = export_parquet(resolve(a.corpus, _progress("importing")), a.out, force=a.force)
    rows = {t: s["rows"] for t, s in manifest["tables"].items()}
    print(f"wrote {a.out}: {len(rows)} tables, {rows.get('episodes', 0):,} episodes, "
          f"{rows.get('sessions', 0):,} sessions, {rows.get('turns', 0):,} turns")
    return 0


def migrate_main(argv: list[str]) -> int:
    """Exit 0 when the corpus is current, 1 when it must be re-imported (and how); errors exit 2."""
    from pathlib import Path

    import duckdb

    from .data.corpus import _check_file
    from .data.dbfile import connect_readonly
    from .data.parquet import is_parquet_dir
    from .data.schema import SCHEMA_VERSION

    p = _Parser(prog="misalign-tui migrate", description="Check a corpus' schema version and say what to do. "
                "A corpus is derived data: an older one is rebuilt from its sources with `misalign-tui import "
                "… --force` (there is no in-place upgrade). Exit 0: current; 1: re-import needed.")
    p.add_argument("corpus")
    a = p.parse_args(argv)
    path = Path(a.corpus)
    if is_parquet_dir(path):
        from .data.corpus import Corpus

        Corpus.open(path).close()  # raises on an old or newer schema, like any corpus
        print(f"{path}: schema version {SCHEMA_VERSION} is current; nothing to do")
        return 0
    _check_file(path)
    con = connect_readonly(path)
    try:
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.Error:  # no meta table: not our corpus
            raise CorpusError("not a misalign-tui corpus (no meta table)", path=str(path)) from None
    finally:
        con.close()
    raw = meta.get("schema_version", "0")
    version = int(raw) if str(raw).isdigit() else 0
    if version == SCHEMA_VERSION:
        print(f"{path}: schema version {version} is current; nothing to do")
        return 0
    if version > SCHEMA_VERSION:
        raise CorpusError(f"corpus schema version {version} is newer than this misalign-tui supports "
                          f"({SCHEMA_VERSION}); upgrade to a misalign-tui that reads schema version {version}",
                          path=str(path))
    try:
        sources = json.loads(meta.get("sources") or "{}")
    except ValueError:
        sources = {}
    out = sys.stdout
    out.write(f"{path}: schema version {raw} is older than {SCHEMA_VERSION}. A corpus is rebuilt from its "
              "sources (no in-place upgrade); re-import them:\n\n"
              f"  misalign-tui import SOURCES… --out {path} --force\n\n")
    if isinstance(sources, dict) and sources:
        out.write("sources recorded in the corpus:\n")
        for name, n in sources.items():
            out.write(f"  {terminal_safe(str(name))}  ({n} records)\n")
    else:
        out.write("the corpus does not record its sources.\n")
    return 1
