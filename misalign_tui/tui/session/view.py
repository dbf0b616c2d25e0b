"""TranscriptView: a line-API scroll view over the blocks (turns) of a session.

Nothing is one widget per turn or per line: ``render_line(y)`` maps a row of the virtual canvas to
(block, row in block) by bisecting the block start rows, and builds that one row. Each block's text
is wrapped to row offsets once per width (lazily for collapsed long turns); a resize re-measures and
keeps the turn at the top of the view in place.

Block layout (rows): header · body (or head · "… K lines hidden" · tail when collapsed) · notes · blank.
The header carries the marks: evidence (▶ / ◆), the search hit (⌕), detected signals (⚑ ✗ ↻, with their
cue, shortened to fit) and other episodes (◇). In the body, quotes and search matches are emphasised.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .model import Block
from .render import COLLAPSE_AT, HEAD_ROWS, TAIL_ROWS, BlockRenderer
from .wrap import fold_estimate, wrap_offsets

__all__ = ["COLLAPSE_AT", "HEAD_ROWS", "TAIL_ROWS", "TranscriptView"]

GUTTER = 2
MIN_TEXT_WIDTH = 16


class TranscriptView(BlockRenderer, ScrollView, can_focus=True):
    """Scrollable transcript; the Session screen owns the blocks and the key bindings."""

    COMPONENT_CLASSES = {
        "transcript--header",
        "transcript--user",
        "transcript--agent",
        "transcript--ts",
        "transcript--rule",
        "transcript--cursor",
        "transcript--pushback",
        "transcript--evidence",
        "transcript--other",
        "transcript--quote",
        "transcript--note",
        "transcript--wsnote",
        "transcript--fold",
        "transcript--info",
        "transcript--loading",
        "transcript--match",
        "transcript--hit",
        "transcript--signal-pushback",
        "transcript--signal-failure",
        "transcript--signal-loop",
    }

    DEFAULT_CSS = """
    TranscriptView {
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    TranscriptView > .transcript--quote { text-style: bold reverse underline; }
    TranscriptView > .transcript--header { text-style: bold; }
    TranscriptView > .transcript--match { text-style: bold underline; color: $text; background: $accent 35%; }
    TranscriptView > .transcript--hit { text-style: bold; color: $text-accent; }
    TranscriptView > .transcript--signal-pushback { text-style: bold; color: $text-error; }
    TranscriptView > .transcript--signal-failure { text-style: bold; color: $text-warning; }
    TranscriptView > .transcript--signal-loop { text-style: bold; color: $text-primary; }
    """

    class Moved(Message):
        """The current block (the turn at the top of the view, or the one jumped to) changed."""

        def __init__(self, view: "TranscriptView", index: int | None) -> None:
            super().__init__()
            self.view = view
            self.index = index

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.blocks: list[Block] = []
        self.placeholder = "loading…"
        self._starts: list[int] = []
        self._heights: list[int] = []
        self._text_width = 0
        self._pin: int | None = None
        self._pin_y = -1
        self._pending_pin: int | None = None
        self._last_current: int | None = None
        self._styles: dict[str, Style] = {}

    # ----- content ----------------------------------------------------------------------
    def show_placeholder(self, text: str) -> None:
        """Show one line of text (e.g. "loading…") instead of blocks."""
        self.blocks = []
        self.placeholder = text
        self._starts, self._heights = [], []
        self._pin = None
        self.virtual_size = Size(self._content_width(), 1)
        self.refresh()

    def set_blocks(self, blocks: list[Block], pin: int | None = 0) -> None:
        """Show ``blocks`` and scroll block ``pin`` to the top of the view."""
        self.blocks = blocks
        self._pin = None
        self._pending_pin = pin
        self._layout(anchor=False)

    @property
    def ready(self) -> bool:
        """Blocks are laid out for the current width (False while loading or before the first resize)."""
        return bool(self.blocks) and bool(self._starts) and self._text_width > 0

    @property
    def total_rows(self) -> int:
        return (self._starts[-1] + self._heights[-1]) if self._starts else 0

    def block_start(self, index: int) -> int:
        return self._starts[index]

    def block_height(self, index: int) -> int:
        return self._heights[index]

    def block_at(self, y: int) -> int | None:
        if not self._starts:
            return None
        return max(0, bisect_right(self._starts, y) - 1)

    @property
    def current(self) -> int | None:
        """Index of the current block: the one jumped to while it is in view (near the end of a transcript the
        view cannot scroll it to the top, and a resize moves the bottom), else the one at the top of the view."""
        if not self.ready:
            return None
        y = round(self.scroll_y)
        pin = self._pin
        if pin is not None and pin < len(self.blocks):
            start = self._starts[pin]
            if y == self._pin_y or y <= start < y + max(1, self.scrollable_content_region.height):
                return pin
        return self.block_at(y)

    def unpin(self) -> None:
        """The reader scrolled: the current block is the one at the top of the view again."""
        if self._pin is not None:
            self._pin = None
            self._check_moved()

    def visible_blocks(self) -> range:
        if not self.ready:
            return range(0)
        top = round(self.scroll_y)
        first = self.block_at(top) or 0
        last = self.block_at(top + max(1, self.scrollable_content_region.height) - 1) or 0
        return range(first, last + 1)

    # ----- navigation -------------------------------------------------------------------
    def jump_to(self, index: int) -> None:
        """Scroll so block ``index`` starts at the top of the view and make it the current block."""
        if not self.ready:
            self._pending_pin = index
            return
        index = max(0, min(index, len(self.blocks) - 1))
        self._pin = index
        self.scroll_to(y=self._starts[index], animate=False, force=True)
        self._pin_y = round(self.scroll_y)
        self.refresh()
        self._check_moved()

    def toggle_expanded(self, index: int) -> bool:
        """Expand / collapse a long block (keeping the view steady); False when it is not long."""
        b = self.blocks[index]
        if not b.long:
            return False
        was_current = self.current == index
        b.expanded = not b.expanded
        self._layout(anchor=True)
        if was_current or round(self.scroll_y) > self._starts[index]:
            self.jump_to(index)
        return True

    def relayout(self) -> None:
        """Measure again (a block's notes changed), keeping the current block where it is."""
        if self.ready:
            self._layout(anchor=True)

    def set_all_expanded(self, expanded: bool) -> int:
        """Expand (or collapse) every long block; returns how many changed."""
        n = 0
        for b in self.blocks:
            if b.long and b.expanded != expanded:
                b.expanded = expanded
                n += 1
        if n:
            self._layout(anchor=True)
        return n

    # ----- layout -----------------------------------------------------------------------
    def _content_width(self) -> int:
        return max(0, self.scrollable_content_region.width)

    def _measure(self, b: Block, width: int) -> int:
        if b.cache_width != width:
            b.cache_width = width
            b.rows = None
            b.note_rows = None
            b.estimate = fold_estimate(b.text, width)
            if b.estimate > COLLAPSE_AT * 3 // 2:
                b.long = True
            else:
                b.rows = wrap_offsets(b.text, width)
                b.long = len(b.rows) > 2 * COLLAPSE_AT
        if b.note_rows is None:
            b.note_rows = [] if b.notes else ()
            for i, note in enumerate(b.notes):
                r = wrap_offsets(note, width)
                b.note_rows += [(i, r[k], r[k + 1]) for k in range(0, len(r), 2)]
        if b.long and not b.expanded:
            body = HEAD_ROWS + 1 + TAIL_ROWS
        else:
            body = len(self._rows(b)) // 2
        return 1 + body + len(b.note_rows) + 1

    def _rows(self, b: Block) -> tuple[int, ...]:
        """The block's wrapped rows, flat ``(start, end, …)`` (wrapped now if the layout skipped it)."""
        if b.rows is None:
            b.rows = wrap_offsets(b.text, self._text_width)
        return b.rows

    def _layout(self, anchor: bool = True) -> None:
        width = self._content_width()
        if width <= 0 or not self.blocks:
            if not self.blocks:
                self.show_placeholder(self.placeholder)
            return
        keep = None
        if anchor and self._starts:
            cur = self.current
            if cur is not None and cur < len(self._starts):
                keep = (cur, round(self.scroll_y) - self._starts[cur], cur == self._pin)
        self._text_width = max(MIN_TEXT_WIDTH, width - GUTTER)
        starts, heights, y = [], [], 0
        for b in self.blocks:
            h = self._measure(b, self._text_width)
            starts.append(y)
            heights.append(h)
            y += h
        self._starts, self._heights = starts, heights
        self.virtual_size = Size(width, y)
        if self._pending_pin is not None:
            pin, self._pending_pin = self._pending_pin, None
            self.jump_to(pin)
        elif keep is not None:
            idx, off, pinned = keep
            if pinned:
                self.jump_to(idx)
            else:
                self.scroll_to(y=starts[idx] + min(max(0, off), heights[idx] - 1), animate=False, force=True)
        self.refresh()
        self._check_moved()

    def on_resize(self, event: events.Resize) -> None:
        pin = self._pin
        if pin is not None and self.ready:
            # the block jumped to stays current: once the new size has settled (Textual clamps the scroll to
            # the old limits first), scroll it back into place
            self.call_after_refresh(self._repin, pin)
        if self.blocks and max(MIN_TEXT_WIDTH, self._content_width() - GUTTER) != self._text_width:
            self._layout(anchor=True)
        elif self.blocks and not self._starts:
            self._layout(anchor=False)
        elif self._pending_pin is not None and self.ready:
            pin, self._pending_pin = self._pending_pin, None
            self.jump_to(pin)

    def _repin(self, pin: int) -> None:
        if self._pin == pin and self.ready and pin < len(self.blocks):
            self.jump_to(pin)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.unpin()  # the reader scrolls: the block at the top becomes current

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.unpin()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_moved()

    def _check_moved(self) -> None:
        cur = self.current
        if cur != self._last_current:
            if self._last_current is not None and self._last_current < len(self._starts):
                self.refresh_lines(self._starts[self._last_current])
            if cur is not None:
                self.refresh_lines(self._starts[cur])
            self._last_current = cur
            self.post_message(self.Moved(self, cur))

    # ----- rendering --------------------------------------------------------------------
    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        st = self._styles.get(name)
        if st is None:
            st = self._styles[name] = self.get_component_rich_style(f"transcript--{name}")
        return st

    def render_line(self, y: int) -> Strip:
        return self.line_strip(round(self.scroll_y) + y)

    def line_strip(self, y: int) -> Strip:
        """The strip of row ``y`` of the whole (virtual) transcript."""
        width = self._content_width()
        base = self.rich_style
        if not self.ready:
            if y == 0:
                return Strip([Segment(" " + self.placeholder, self._style("loading"))]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if y < 0 or y >= self.total_rows:
            return Strip.blank(width, base)
        idx = bisect_right(self._starts, y) - 1
        return self._block_line(idx, y - self._starts[idx], width, base)

    def line_text(self, y: int) -> str:
        """Plain text of row ``y`` of the virtual transcript (for tests and debugging)."""
        return self.line_strip(y).text

    def block_lines(self, index: int) -> list[str]:
        """Plain text of every row of block ``index``."""
        s = self._starts[index]
        return [self.line_text(y) for y in range(s, s + self._heights[index])]

    # ----- mouse ------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if not self.ready:
            return
        y = round(self.scroll_y) + event.y
        idx = self.block_at(y)
        if idx is None or y >= self.total_rows:
            return
        b = self.blocks[idx]
        off = y - self._starts[idx]
        if off == 0 or (b.long and not b.expanded and off == 1 + HEAD_ROWS):
            self.toggle_expanded(idx)
