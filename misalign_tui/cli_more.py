"""Subcommands added by later features (search, charts, detector evaluation, benchmarks).

Each entry maps a subcommand name to ``fn(argv) -> exit code``; raising CorpusError prints one line.
"""

from __future__ import annotations



def _bench(argv):
    from .bench import main

    return main(argv)


def _search(argv):
    from .search_cli import search_main

    return search_main(argv)


def _detect_eval(argv):
    from .search_cli import detect_eval_main

    return detect_eval_main(argv)


def _notes(argv):
    from .workspace_cli import notes_main

    return notes_main(argv)


def _review(argv):
    from .workspace_cli import review_main

    return review_main(argv)


def _export_parquet(argv):
    from .maint_cli import export_parquet_main

    return export_parquet_main(argv)


def _migrate(argv):
    from .maint_cli import migrate_main

    return migrate_main(argv)


COMMANDS: dict = {"notes": _notes, "review": _review, "bench": _bench, "search": _search, "detect-eval": _detect_eval,
                  "chart": lambda argv: __import__("misalign_tui.chart_cli", fromlist=["main"]).main(argv),
                  "compare": lambda argv: __import__("misalign_tui.chart_cli", fromlist=["compare_main"])
                  .compare_main(argv),
                  "export-parquet": _export_parquet, "migrate": _migrate}
