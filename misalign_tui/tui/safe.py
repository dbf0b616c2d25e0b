"""Transcript and episode text is data: make it safe to put on a terminal.

ANSI/OSC escape sequences, C0/C1 control characters and bidi overrides are replaced by visible
placeholders; the result is a ``rich.text.Text`` built with ``Text(...)`` (never ``Text.from_markup``),
so ``[bold red]`` in a transcript stays literal.
"""

from __future__ import annotations

import re

from rich.text import Text

from ..text_safety import UNSAFE as _UNSAFE


def _placeholder(m: re.Match) -> str:
    ch = m.group(0)
    o = ord(ch)
    if ch == "\x1b":
        return "␛"
    if o < 0x20:
        return chr(0x2400 + o)  # ␀ … ␟ control pictures
    if o == 0x7F:
        return "␡"
    return f"\\u{o:04x}"


def clean(text: str | None) -> str:
    """Plain string with every unsafe character made visible (ESC -> ␛, BEL -> ␇, RLO -> \\u202e)."""
    if not text:
        return ""
    return _UNSAFE.sub(_placeholder, text.replace("\r\n", "\n").replace("\r", "\n"))


def safe_text(text: str | None, style: str = "") -> Text:
    """A Rich Text of ``text`` shown literally: no markup parsing, no escape sequences."""
    return Text(clean(text), style=style)


def one_line(text: str | None, width: int = 120) -> str:
    """First line, cleaned and shortened with an ellipsis, for table cells and toasts."""
    s = clean(text).replace("\n", " ").replace("\t", " ")
    return s if len(s) <= width else s[: width - 1] + "…"
