"""Text from files is data: how the explorer shows it (the TUI end of the safe-text path, ``data/text.py``).

Build every cell, label, title and status line that holds a string from a file with these, never from a
markup string: ``safe_text`` (a Rich ``Text``), ``safe_content`` (a Textual ``Content``) or ``safe_str`` (a
plain string for line-API widgets that paint segments). Each makes every unsafe character visible first
(``data.text.visible``: ESC -> ␛, BEL -> ␇, RLO -> \\u202e) and never parses markup, so ``[bold red]`` in a
transcript stays literal. A widget that takes a ``str`` and parses it as markup (``Static``, ``Label``,
``notify``, a ``DataTable`` cell) must get one of these objects, or ``markup=False``.

``InertFilter`` is the last line of defence, installed by the app on every line it renders: a control
character that reached a rendered line anyway (a screen that forgot the above) is replaced by its
placeholder before it can reach the terminal, and counted in ``hits`` — the hostile-input tests assert the
count stays 0, so a forgotten screen fails a test instead of writing to the terminal.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.filter import LineFilter
from textual.strip import Strip

from misalign_tui.data.text import UNSAFE, one_line, placeholder, visible


def safe_str(text, width: int | None = None) -> str:
    """``text`` as an inert plain string (None -> ""); with ``width``, on one line cut to that width."""
    s = visible(text)
    return one_line(s, width) or "" if width is not None else s


def safe_text(text, style: str = "", width: int | None = None) -> Text:
    """A Rich Text of ``text`` shown literally: no markup parsing, no escape sequences."""
    return Text(safe_str(text, width), style=style)


def safe_content(text, width: int | None = None) -> Content:
    """A Textual Content of ``text`` shown literally (for Static / Label / border titles)."""
    return Content(safe_str(text, width))


class InertFilter(LineFilter):
    """Replaces any unsafe character left in a rendered line by its placeholder, keeping the line's width;
    ``hits`` counts the lines it had to change (``samples`` keeps the first few, for a failing test)."""

    def __init__(self) -> None:
        super().__init__(enabled=True)
        self.hits = 0
        self.samples: list[str] = []

    def apply(self, segments: list[Segment], background) -> list[Segment]:
        if not any(not seg.control and UNSAFE.search(seg.text) for seg in segments):
            return segments
        self.hits += 1
        if len(self.samples) < 20:
            self.samples.append(repr("".join(seg.text for seg in segments if not seg.control)))
        width = sum(cell_len(seg.text) for seg in segments if not seg.control)
        fixed = [seg if seg.control or not UNSAFE.search(seg.text)
                 else Segment(UNSAFE.sub(lambda m: placeholder(m.group(0)), seg.text), seg.style)
                 for seg in segments]
        return list(Strip(fixed).crop(0, width))
