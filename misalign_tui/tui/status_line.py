"""The browse screen's status line: "N of M episodes", the filters in words, the order, what is running."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from misalign_tui.data.filters import Filters

from .rich_text import safe_str


def status_text(count: int | None, scope: int | None, filters: Filters, *, order: str, busy: list[str],
                error: str = "") -> Text:
    """``N of M episodes · symptom ∈ {S3, S7} · platform = CLI · sorted by key ▲ · counting…``."""
    t = Text()
    if count is None:
        t.append("… of … episodes", "bold")
    else:
        t.append(f"{count:,} of {scope:,} episodes" if scope is not None else f"{count:,} episodes", "bold")
    words = filters.describe()
    if words:  # values come from the corpus (agent, licence, …) and the user: inert, never markup
        t.append(" · " + safe_str(words))
    t.append(" · " + order, "dim")
    if busy:
        t.append(" · " + " ".join(busy), "italic")
    if error:
        t.append(" · " + safe_str(error), "bold red")
    return t


class StatusLine(Static):
    """The filters in words and what is running in the background."""
