"""Command line: ``misalign-tui [CORPUS] …`` opens the explorer; ``misalign-tui COMMAND …`` runs a subcommand.

``COMMANDS`` is the one registry of subcommands. Each entry names the module of ``misalign_tui.cli`` that
implements it and the function there: ``<function>_arguments(parser)`` declares the arguments and
``<function>(args) -> int`` runs it. Only the chosen command's module is imported (so ``--help`` stays
fast); the other subparsers carry just their name and summary.

Every failure ends in one line on stderr (``error: …``) and exit code 2 — usage errors, bad input, an
unusable environment, an interrupt, and (as a last resort) an internal error; nothing prints a traceback
unless MISALIGN_TUI_DEBUG is set. ``migrate`` answers "re-import needed" with exit code 1 (not an error).
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass

from ..data.errors import CorpusError
from ..data.text import terminal_safe
from .common import Parser, tell

DEFAULT_COMMAND = "view"


@dataclass(frozen=True)
class Command:
    summary: str
    module: str  # misalign_tui.cli.<module>
    function: str  # <function>_arguments(parser) and <function>(args) there
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {
    "view": Command("open the explorer (the default: misalign-tui [CORPUS] …)", "explore", "view", ("review",)),
    "import": Command("build a corpus from study files, Atlas records and transcripts", "build", "import_corpus"),
    "stats": Command("the paper's tables for a (filtered) corpus", "report", "stats"),
    "export": Command("the selected episodes as CSV, JSONL or a Markdown case file", "report", "export"),
    "search": Command("full-text search over every turn, name, description and quote", "search", "search"),
    "chart": Command("a chart (plotext) or a table (Markdown), as on the charts screen", "charts", "chart"),
    "compare": Command("A/B comparison of two selections' label distributions", "charts", "compare"),
    "detect-eval": Command("recall and precision of the pushback detector", "report", "detect_eval"),
    "notes": Command("the reviewer workspace: export, merge, orphans, rounds, agreement, where", "notes", "notes"),
    "export-parquet": Command("a partitioned Parquet copy of a corpus", "build", "export_parquet"),
    "migrate": Command("is this corpus current? how to rebuild it (exit 1: re-import needed)", "build", "migrate"),
    "sample": Command("generate a synthetic corpus in the study's formats", "build", "sample"),
    "bench": Command("benchmark the data layer at 1x/10x/100x the paper's size", "bench", "bench"),
}
NAMES: dict[str, str] = {alias: name for name, c in COMMANDS.items() for alias in (name, *c.aliases)}


def build_parser(chosen: str | None = None) -> Parser:
    """The root parser; the subparser of ``chosen`` (a command name or alias) gets its arguments and handler."""
    root = Parser(prog="misalign-tui", description="Explore a misalignment corpus in the terminal. Without a "
                  "command, misalign-tui [CORPUS] [--filter …] opens the explorer (see misalign-tui view --help).")
    sub = root.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, aliases=list(cmd.aliases), help=cmd.summary, description=cmd.summary[0].upper()
                           + cmd.summary[1:] + ".")
        if chosen is not None and NAMES.get(chosen) == name:
            module = importlib.import_module(f"{__name__}.{cmd.module}")
            getattr(module, f"{cmd.function}_arguments")(p)
            p.set_defaults(handler=getattr(module, cmd.function))
    return root


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in NAMES and argv[0] not in ("-h", "--help")):
        argv = [DEFAULT_COMMAND, *argv]
    try:
        args = build_parser(argv[0]).parse_args(argv)
        return args.handler(args)
    except CorpusError as e:
        return _fail(str(e))  # paths and keys come from the input
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return 0
    except OSError as e:  # the environment (a folder without permission, a full disk)
        if os.environ.get("MISALIGN_TUI_DEBUG"):
            raise
        where = f"{e.filename}: " if e.filename else ""
        return _fail(where + (e.strerror or str(e)).lower())
    except Exception as e:  # last resort: never a traceback for the user
        if os.environ.get("MISALIGN_TUI_DEBUG"):
            raise
        first = str(e).splitlines()[0] if str(e) else ""
        return _fail(f"internal error ({type(e).__name__}: {first}); set MISALIGN_TUI_DEBUG=1 for details")


def _fail(message: str) -> int:
    tell(f"error: {' '.join(terminal_safe(message).split())}")
    return 2
