"""What every subcommand shares: the argument parser with one-line errors, the filter and workspace
arguments, opening the corpus an argument names, the progress bar, and writing output to a file or stdout.

Imports nothing heavy at module level (``misalign-tui --help`` loads this module only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..data.errors import CorpusError
from ..data.filters import axis_names
from ..data.text import terminal_safe


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are CorpusErrors: one line on stderr, exit code 2."""

    def error(self, message):
        raise CorpusError(f"{self.prog}: {message}")


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """``--filter AXIS=V1,V2`` (the axes from the taxonomy), ``--licensed-only``, ``--search`` / ``--regex``."""
    p.add_argument("--filter", action="append", default=[], metavar="AXIS=V1,V2",
                   help=f"OR within an axis, repeat for AND across axes (axes: {axis_names()})")
    p.add_argument("--licensed-only", action="store_true", help="hide NO_LICENSE / NOASSERTION sessions")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--search", default="", metavar="TEXT", help="text in names, descriptions and evidence quotes")
    g.add_argument("--regex", default="", metavar="RE", help="regular expression instead of --search")


def add_workspace_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workspace", default=None, metavar="PATH",
                   help="reviewer workspace file or folder (default: CORPUS.review.duckdb beside the corpus, or the "
                        "user data folder when that is read-only; env MISALIGN_TUI_WORKSPACE)")
    p.add_argument("--reviewer", default=None, metavar="NAME", help="name on notes, tags and codings "
                   "(default: $MISALIGN_TUI_REVIEWER or $USER)")


def parse_filters(corpus, args, warnings: list[str] | None = None):
    """The Filters of ``add_filter_args``' arguments, checked against the corpus' values. A value this corpus
    lacks on an open-ended axis (agent, source, licence, repo, month) is a warning — printed on stderr, or
    appended to ``warnings`` when given — and matches nothing; the filter still applies."""
    found: list[str] = []
    f = corpus.parse_filters(args.filter, text=args.regex or args.search, regex=bool(args.regex),
                             licensed_only=args.licensed_only, warnings=found)
    if warnings is not None:
        warnings.extend(found)
    else:
        for w in found:
            sys.stderr.write(f"warning: {terminal_safe(w)}\n")
    return f


def progress(label: str):
    """A one-line progress bar on stderr when it is a terminal; None (silent) otherwise."""
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


def resolve_corpus(arg: str | None) -> Path:
    """The corpus file (or Parquet folder) for a CORPUS argument: study sources are imported into the cache
    first; None is the bundled sample."""
    from ..data.building.import_cache import resolve

    removed: list[tuple[str, int]] = []
    path = resolve(arg, progress("importing"), removed)
    if removed:
        mb = sum(n for _, n in removed) / 1e6
        sys.stderr.write(f"removed {len(removed)} stale cache file{'s' if len(removed) != 1 else ''} "
                         f"({mb:.1f} MB): {', '.join(name for name, _ in removed)}\n")
    return path


def open_corpus(arg: str | None):
    """The corpus a CORPUS argument names, opened read-only."""
    from ..data.reading.corpus import Corpus

    return Corpus.open(resolve_corpus(arg))


def write_output(text: str, out: str | None) -> None:
    """``text`` to the file ``out`` ("wrote FILE" on stderr), or to stdout when out is None or "-"."""
    if out and out != "-":
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as e:
            raise CorpusError(f"cannot write: {e.strerror or e}", path=out) from None
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
