"""Loads the SQL statements of ``queries/`` (one statement per file, named parameters).

Installed wheels carry them as ``misalign_tui/queries``; a source checkout keeps them at the top level.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parents[1]


def resource_dir(name: str) -> Path:
    """``queries`` or ``styles``: inside the installed package, else beside it in the checkout."""
    for cand in (_PKG / name, _PKG.parent / name):
        if cand.is_dir():
            return cand
    raise FileNotFoundError(f"{name}/ not found beside {_PKG}")


@cache
def query(name: str) -> str:
    """The text of ``queries/<name>.sql``."""
    return (resource_dir("queries") / f"{name}.sql").read_text(encoding="utf-8")


def all_queries() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(resource_dir("queries").glob("*.sql"))}
