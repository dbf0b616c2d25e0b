"""Transcript and episode text is data: Rich ``Text`` built from it shows it literally.

``safe_text`` makes every unsafe character visible first (``data.text.visible``: ESC -> ␛, BEL -> ␇, RLO ->
\\u202e) and builds the Text with ``Text(...)`` (never ``Text.from_markup``), so ``[bold red]`` in a
transcript stays literal.
"""

from __future__ import annotations

from rich.text import Text

from misalign_tui.data.text import visible


def safe_text(text: str | None, style: str = "") -> Text:
    """A Rich Text of ``text`` shown literally: no markup parsing, no escape sequences."""
    return Text(visible(text), style=style)
