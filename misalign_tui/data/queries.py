"""Loads the SQL statements shipped in ``misalign_tui/resources/queries`` (one statement per file, named
parameters), with the per-axis fragments (``{{name}}``) written out from the taxonomy by ``axis_sql``."""

from __future__ import annotations

from functools import cache

from .. import resources
from .axis_sql import expand


@cache
def query(name: str, active: frozenset[str] | None = None) -> str:
    """The text of ``queries/<name>.sql``, its fragments expanded (the facet fragments for the filter keys
    ``active``; None = every key)."""
    return expand(resources.read_text("queries", f"{name}.sql"), active)


def all_queries() -> dict[str, str]:
    return {n.removesuffix(".sql"): query(n.removesuffix(".sql")) for n in resources.names("queries", ".sql")}
