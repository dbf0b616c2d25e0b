"""What every subcommand shares: the argument parser with one-line errors, the filter and workspace
arguments, opening the corpus an argument names, the progress bar, and all output.

Output: a command prints only through ``say`` (stdout) and ``tell`` (stderr) and writes files only through
``output_target`` + ``write_output`` — so every line passes the safe-text path (``data.text.terminal_safe``:
no escape sequence from a file reaches the terminal) and every file written passes the write guard
(``data.outputs``: never over an existing file without ``--force``, never over the command's own inputs,
devices and ``-`` streamed to). ``tests/test_hostile_cli.py`` checks that no other module prints.

Imports nothing heavy at module level (``misalign-tui --help`` loads this module only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..data.errors import CorpusError
from ..data.filters import axis_names
from ..data.outputs import FILE, Protected, Target, check_output, opened, protect
from ..data.text import keep_colours, terminal_safe


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are CorpusErrors: one line on stderr, exit code 2."""

    def error(self, message):
        raise CorpusError(f"{self.prog}: {message}")


# ----- output: the only way a command prints ---------------------------------------------------------
def say(text: str = "", *, colours: bool = False) -> None:
    """``text`` and a newline on stdout, inert (``colours``: SGR colour codes of our own kept)."""
    sys.stdout.write((keep_colours(text) if colours else terminal_safe(text)) + "\n")
    sys.stdout.flush()


def tell(text: str) -> None:
    """``text`` and a newline on stderr (progress notes, "wrote FILE"), inert."""
    sys.stderr.write(terminal_safe(text) + "\n")
    sys.stderr.flush()


def output_target(out: str | None, *, force: bool = False, inputs: list[Protected] = (), folder: bool = False,
                  stream: bool = True, what: str = "output") -> Target:
    """Where ``--out`` may be written (``data.outputs.check_output``); check before computing anything."""
    return check_output(out, force=force, inputs=inputs, folder=folder, stream=stream, what=what)


def write_output(text: str, target: Target, *, colours: bool = False) -> None:
    """``text`` to ``target`` (stdout, a device, or a file written atomically; "wrote FILE" on stderr).
    What goes to stdout or a device is made inert; a file gets ``text`` as it is (callers escape)."""
    if target.kind != FILE:
        text = text.replace("\r\n", "\n")  # CSV's row ends: a terminal's line ends, not an escaped \x0d
    inert = keep_colours(text) if colours else terminal_safe(text)
    with opened(target) as fh:
        fh.write(text if target.kind == FILE else inert)
    if target.kind == FILE:
        tell(f"wrote {target.path}")


def corpus_inputs(arg: str | None, corpus_path: Path | None, workspace: Path | None = None) -> list[Protected]:
    """The inputs of a command that reads the corpus ``arg`` names: never written over (see data.outputs)."""
    from ..data.reading.search import sidecar_path

    out = protect(arg, "the corpus (or source) this command reads") if arg else []
    if arg is None:
        from ..data.building.import_cache import sample_sources

        out += protect(sample_sources(), "the bundled sample")
    if corpus_path is not None:
        out += protect(corpus_path, "the corpus this command reads")
        out += protect(sidecar_path(Path(corpus_path)), "the corpus' full-text index")
        from ..data.workspace.paths import workspace_path

        out += protect(workspace or workspace_path(corpus_path), "the corpus' reviewer workspace")
    return out


# ----- arguments -----------------------------------------------------------------------------------------
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


def add_out_args(p: argparse.ArgumentParser, help_text: str = "write to FILE instead of stdout") -> None:
    p.add_argument("--out", default=None, metavar="FILE", help=help_text + " (an existing file needs --force)")
    p.add_argument("--force", action="store_true", help="replace an existing --out")


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
            tell(f"warning: {w}")
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
        tell(f"removed {len(removed)} stale cache file{'s' if len(removed) != 1 else ''} "
             f"({mb:.1f} MB): {', '.join(name for name, _ in removed)}")
    return path


def open_corpus(arg: str | None):
    """The corpus a CORPUS argument names, opened read-only."""
    from ..data.reading.corpus import Corpus

    return Corpus.open(resolve_corpus(arg))
