"""The browse screen's status line: "N of M episodes", the filters in words, the order, what is running."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from misalign_tui.data.filters import Filters

from .rich_text import safe_str


def status_text(count: int | None, scope: int | None, filters: Filters, *, order: str, busy: list[str],
                error: str = "", row: int | None = None, rule: str | None = None) -> Text:
    """``N of M episodes · row 37 of N · symptom ∈ {S3, S7} · platform = CLI · sorted by key ▲ · counting…``
    (``rule``: the facets' OR/AND rule, when the facet panel that shows it is hidden)."""
    t = Text()
    if count is None:
        t.append("… of … episodes", "bold")
    else:
        t.append(f"{count:,} of {scope:,} episodes" if scope is not None else f"{count:,} episodes", "bold")

    if row is not None and count:  # early on the line: at 80 columns the end is cut
        t.append(f" · row {min(row, count):,} of {count:,}")
    words = filters.describe()
    if words:  # values come from the corpus (agent, licence, …) and the user: inert, never markup
        t.append(" · " + safe_str(words))
    t.append(" · " + order, "dim")
    if busy:
        t.append(" · " + " ".join(busy), "italic")
    if rule:
        t.append(" · " + rule, "dim")
    if error:
        t.append(" · " + safe_str(error), "bold red")
    return t


class StatusLine(Static):
    """The filters in words and what is running in the background."""
