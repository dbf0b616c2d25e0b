"""Commands that build or maintain corpora: ``import``, ``sample``, ``export-parquet`` (the scale-out copy)
and ``migrate`` (what to do with an old corpus)."""

from __future__ import annotations

import json
from pathlib import Path

from ..data.errors import CorpusError
from .common import corpus_inputs, output_target, progress, resolve_corpus, say


def import_corpus_arguments(p) -> None:
    p.description = ("Build a corpus from study files, Atlas text records and transcripts (files, folders or "
                     "globs; formats detected from content).")
    p.add_argument("sources", nargs="+")
    p.add_argument("--out", required=True, help="corpus file to write (.duckdb)")
    p.add_argument("--force", action="store_true", help="replace an existing corpus (never one of the sources)")
    p.add_argument("--source", default=None, help="source name for imported transcripts")


def import_corpus(args) -> int:
    from ..data.building.importer import run_import

    output_target(args.out, force=args.force, stream=False, what="corpus")  # before reading anything
    report = run_import(args.sources, Path(args.out), force=args.force, source_name=args.source,
                        progress=progress("import"))
    say("\n".join(report.lines()))  # file names and reasons come from the input: say() makes them inert
    return 0


def sample_arguments(p) -> None:
    p.description = "Generate a synthetic corpus in the study's formats."
    p.add_argument("--out", required=True, help="folder to write (data/core, atlas, workspace)")
    p.add_argument("--sessions", type=int, default=300)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-transcripts", action="store_true", help="labels and mapping only (large runs)")
    p.add_argument("--corpus", default=None, help="also import the output into this .duckdb")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty, replace --corpus")


def sample(args) -> int:
    from ..data.building.sample import generate

    if args.sessions < 1:
        raise CorpusError("--sessions must be at least 1")
    out = Path(args.out)
    output_target(args.out, force=args.force, folder=True, stream=False, what="sample folder")
    if args.corpus:  # (the import checks it again against the files it reads)
        output_target(args.corpus, force=args.force, stream=False, what="corpus")
    summary = generate(out, sessions=args.sessions, seed=args.seed, transcripts=not args.no_transcripts)
    say(json.dumps({k: v for k, v in summary.items() if not isinstance(v, (list, dict))}, default=str))
    if args.corpus:
        from ..data.building.importer import run_import

        report = run_import([str(out)], Path(args.corpus), force=args.force, progress=progress("import"))
        say("\n".join(report.lines()))
    return 0


def export_parquet_arguments(p) -> None:
    p.description = ("Write a partitioned Parquet copy of a corpus (episodes and sessions by month; one folder per "
                     "table) that misalign-tui, DuckDB, Polars or Spark read directly: misalign-tui DIR opens it.")
    p.add_argument("corpus", help="corpus .duckdb (or study sources, imported first)")
    p.add_argument("out", help="folder to write (created; replaced atomically with --force)")
    p.add_argument("--force", action="store_true", help="replace an existing Parquet export")


def export_parquet(args) -> int:
    from ..data.building.parquet_export import export_parquet as write

    path = resolve_corpus(args.corpus)
    # inputs first (never, even with --force); then the export's own rule: only an earlier Parquet export is
    # replaced, and only with --force (its messages say which)
    output_target(args.out, force=True, folder=True, stream=False, what="Parquet folder",
                  inputs=corpus_inputs(args.corpus, path))
    manifest = write(path, args.out, force=args.force)
    rows = {t: s["rows"] for t, s in manifest["tables"].items()}
    say(f"wrote {args.out}: {len(rows)} tables, {rows.get('episodes', 0):,} episodes, "
        f"{rows.get('sessions', 0):,} sessions, {rows.get('turns', 0):,} turns")
    return 0


def migrate_arguments(p) -> None:
    p.description = ("Check a corpus' schema version and say what to do. A corpus is derived data: an older one is "
                     "rebuilt from its sources with `misalign-tui import … --force` (there is no in-place upgrade). "
                     "Exit 0: current; 1: re-import needed.")
    p.add_argument("corpus")


def migrate(args) -> int:
    """Exit 0 when the corpus is current, 1 when it must be re-imported (and how); errors exit 2."""
    import duckdb

    from ..data.reading.corpus import Corpus, check_corpus_file
    from ..data.reading.dbfile import connect_readonly
    from ..data.reading.parquet import is_parquet_dir
    from ..data.schema import SCHEMA_VERSION

    path = Path(args.corpus)
    if is_parquet_dir(path):
        Corpus.open(path).close()  # raises on an old or newer schema, like any corpus
        say(f"{path}: schema version {SCHEMA_VERSION} is current; nothing to do")
        return 0
    check_corpus_file(path)
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
        say(f"{path}: schema version {version} is current; nothing to do")
        return 0
    if version > SCHEMA_VERSION:
        raise CorpusError(f"corpus schema version {version} is newer than this misalign-tui supports "
                          f"({SCHEMA_VERSION}); upgrade to a misalign-tui that reads schema version {version}",
                          path=str(path))
    try:
        sources = json.loads(meta.get("sources") or "{}")
    except ValueError:
        sources = {}
    say(f"{path}: schema version {raw} is older than {SCHEMA_VERSION}. A corpus is rebuilt from its "
        "sources (no in-place upgrade); re-import them:\n\n"
        f"  misalign-tui import SOURCES… --out {path} --force\n")
    if isinstance(sources, dict) and sources:
        say("sources recorded in the corpus:")
        for name, n in sources.items():
            say(f"  {name}  ({n} records)")
    else:
        say("the corpus does not record its sources.")
    return 1
