"""Command line: ``misalign-tui [CORPUS] …`` opens the explorer; subcommands import, stats, export, …

Every failure the user can cause ends in one line on stderr (``error: …``) and exit code 2; nothing
prints a traceback unless MISALIGN_TUI_DEBUG is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .data.errors import CorpusError
from .text_safety import terminal_safe

SUBCOMMANDS = ("import", "stats", "export", "search", "chart", "compare", "detect-eval", "notes", "review",
               "export-parquet", "migrate", "sample", "bench")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other error
        raise CorpusError(f"{self.prog}: {message}")


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", action="append", default=[], metavar="AXIS=V1,V2",
                   help="OR within an axis, repeat for AND across axes (axes: symptom, cause, tier, severity, "
                        "locus, status, resolver, goal, confidence, validation, invalid_category, platform, agent, "
                        "source, license, repo, month, signal, since, until)")
    p.add_argument("--licensed-only", action="store_true", help="hide NO_LICENSE / NOASSERTION sessions")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--search", default="", metavar="TEXT", help="text in names, descriptions and evidence quotes")
    g.add_argument("--regex", default="", metavar="RE", help="regular expression instead of --search")


def build_parser() -> dict[str, argparse.ArgumentParser]:
    view = _Parser(prog="misalign-tui", description="Explore a misalignment corpus in the terminal. "
                   f"Subcommands: {', '.join(SUBCOMMANDS)} (misalign-tui SUBCOMMAND --help).")
    view.add_argument("corpus", nargs="?", help="corpus .duckdb, or study sources to import into a cache "
                      "corpus; default: the bundled sample")
    _filter_args(view)
    view.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    view.add_argument("--theme", default=None, help="dark (default), light, ansi, or any Textual theme name")
    view.add_argument("--workspace", default=None, metavar="PATH",
                      help="reviewer workspace file (default: CORPUS.review.duckdb beside the corpus)")
    view.add_argument("--reviewer", default=None, metavar="NAME", help="name on notes, tags and codings "
                      "(default: $MISALIGN_TUI_REVIEWER or $USER)")

    imp = _Parser(prog="misalign-tui import", description="Build a corpus from study files, Atlas text "
                  "records and transcripts (files, folders or globs; formats detected from content).")
    imp.add_argument("sources", nargs="+")
    imp.add_argument("--out", required=True, help="corpus file to write (.duckdb)")
    imp.add_argument("--force", action="store_true", help="replace an existing corpus")
    imp.add_argument("--source", default=None, help="source name for imported transcripts")

    stats = _Parser(prog="misalign-tui stats", description="The paper's tables for a (filtered) corpus.")
    stats.add_argument("corpus", nargs="?", help="corpus or study sources (default: the bundled sample)")
    _filter_args(stats)
    stats.add_argument("--json", action="store_true", help="one JSON object (percentages in percent, unrounded)")

    exp = _Parser(prog="misalign-tui export", description="Export the selected episodes.")
    exp.add_argument("corpus", nargs="?", help="corpus or study sources (default: the bundled sample)")
    _filter_args(exp)
    exp.add_argument("--format", choices=("csv", "jsonl", "md"), required=True)
    exp.add_argument("--out", default=None, help="file to write (default: stdout)")

    smp = _Parser(prog="misalign-tui sample", description="Generate a synthetic corpus in the study's formats.")
    smp.add_argument("--out", required=True, help="folder to write (data/core, atlas, workspace)")
    smp.add_argument("--sessions", type=int, default=300)
    smp.add_argument("--seed", type=int, default=7)
    smp.add_argument("--no-transcripts", action="store_true", help="labels and mapping only (large runs)")
    smp.add_argument("--corpus", default=None, help="also import the output into this .duckdb")
    return {"view": view, "import": imp, "stats": stats, "export": exp, "sample": smp}


def _progress(label: str):
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(stage, done, total):
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{label} {stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if stage == "writing" and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _open(path: str | None):
    from .data.corpus import Corpus
    from .data.locate import resolve

    return Corpus.open(resolve(path, _progress("importing")))


def _filters(corpus, args):
    return corpus.parse_filters(args.filter, text=args.regex or args.search, regex=bool(args.regex),
                                licensed_only=args.licensed_only)


def cmd_view(args) -> int:
    from .data.corpus import Corpus
    from .data.locate import resolve

    corpus_path = resolve(args.corpus, _progress("importing"))
    probe = Corpus.open(corpus_path)  # validate filters (and the file) before the screen switches
    try:
        f = _filters(probe, args)
        if f.regex:
            probe.count(f)
    finally:
        probe.close()
    from .tui.app import run_app

    return run_app(corpus_path, filters=f, mouse=not args.no_mouse, theme=args.theme, workspace=args.workspace,
                   reviewer=args.reviewer)


def cmd_import(args) -> int:
    from .data.importer import run_import

    report = run_import(args.sources, Path(args.out), force=args.force, source_name=args.source,
                        progress=_progress("import"))
    print(terminal_safe("\n".join(report.lines())))  # file names and reasons come from the input
    return 0


def cmd_stats(args) -> int:
    from .data import stats
    from .stats_text import render

    corpus = _open(args.corpus)
    result = stats.compute(corpus, _filters(corpus, args))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(terminal_safe(render(result)))  # agent / licence names come from the corpus
    return 0


def cmd_export(args) -> int:
    from .data.export import export_episodes

    corpus = _open(args.corpus)
    n = export_episodes(corpus, _filters(corpus, args), args.format, args.out)
    if args.out and args.out != "-":
        print(f"wrote {n} episodes to {args.out}", file=sys.stderr)
    return 0


def cmd_sample(args) -> int:
    from .data.sample import generate

    if args.sessions < 1:
        raise CorpusError("--sessions must be at least 1")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CorpusError("exists and is not a folder", path=str(out))
    summary = generate(out, sessions=args.sessions, seed=args.seed, transcripts=not args.no_transcripts)
    print(json.dumps({k: v for k, v in summary.items() if not isinstance(v, (list, dict))}, default=str))
    if args.corpus:
        from .data.importer import run_import

        report = run_import([str(out)], Path(args.corpus), force=True, progress=_progress("import"))
        print(terminal_safe("\n".join(report.lines())))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parsers = build_parser()
    try:
        if argv and argv[0] in parsers and argv[0] != "view":
            name = argv[0]
            args = parsers[name].parse_args(argv[1:])
        else:
            from . import cli_more

            if argv and argv[0] in cli_more.COMMANDS:
                return cli_more.COMMANDS[argv[0]](argv[1:])
            name = "view"
            args = parsers["view"].parse_args(argv)
        return {"view": cmd_view, "import": cmd_import, "stats": cmd_stats, "export": cmd_export,
                "sample": cmd_sample}[name](args)
    except CorpusError as e:
        print(f"error: {terminal_safe(str(e))}", file=sys.stderr)  # paths and keys come from the input
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # the environment (a folder without permission, a full disk): one line, no traceback
        if os.environ.get("MISALIGN_TUI_DEBUG"):
            raise
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {terminal_safe(where + (e.strerror or str(e)).lower())}", file=sys.stderr)
        return 2
    except Exception as e:  # last resort: never a traceback for the user
        if os.environ.get("MISALIGN_TUI_DEBUG"):
            raise
        print(f"error: internal error ({type(e).__name__}: {terminal_safe(str(e).splitlines()[0]) if str(e) else ''}); "
              "set MISALIGN_TUI_DEBUG=1 for details", file=sys.stderr)
        return 70
