"""Subcommands added by later features (search, charts, detector evaluation, benchmarks).

Each entry maps a subcommand name to ``fn(argv) -> exit code``; raising CorpusError prints one line.
"""

from __future__ import annotations



def _bench(argv):
    from .bench import main

    return main(argv)


COMMANDS: dict = {"bench": _bench}
