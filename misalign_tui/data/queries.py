"""Loads the SQL statements shipped in ``misalign_tui/resources/queries`` (one statement per file, named
parameters), with the per-axis fragments (``{{name}}``) written out from the taxonomy by ``axis_sql``."""

from __future__ import annotations

from functools import cache

from .. import resources
from .axis_sql import expand


@cache
def query(name: str) -> str:
    """The text of ``queries/<name>.sql``, its fragments expanded."""
    return expand(resources.read_text("queries", f"{name}.sql"))


def all_queries() -> dict[str, str]:
    return {n.removesuffix(".sql"): query(n.removesuffix(".sql")) for n in resources.names("queries", ".sql")}
