"""The episode table: a line-API widget over the full row count, filled page by page from DuckDB.

The widget never holds the corpus: it knows the total, keeps at most ``MAX_PAGES`` pages of
``PAGE`` rows, and asks its screen for a missing page (``PageNeeded``) when a row of it is drawn.
Sorting is the screen's decision: the table shows the sort and asks for a new one (``SortRequested``).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from misalign_tui.data.reading.corpus import EpisodeRow
from misalign_tui.data.text import visible

from .columns import COLUMNS, KEY_MIN, NAME_MIN, NAME_STEP, Column, cells, fit, layout, short_key, sort_cycle


class EpisodeTable(ScrollView, can_focus=True):
    """Rows of the current selection; ``total`` is the row count (None while counting)."""

    PAGE = 200
    MAX_PAGES = 12

    COMPONENT_CLASSES = {"episode-table--header", "episode-table--cursor", "episode-table--dim"}
    DEFAULT_CSS = """
    EpisodeTable { background: $surface; }
    EpisodeTable > .episode-table--header { text-style: bold; background: $panel; color: $text; }
    EpisodeTable > .episode-table--cursor { background: $panel-lighten-1; text-style: bold; }
    EpisodeTable:focus > .episode-table--cursor { background: $accent; color: $text; }
    EpisodeTable > .episode-table--dim { color: $text-muted; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("g,home", "top", "Top", show=False, id="table.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="table.bottom"),
        Binding("left,h", "scroll_left", "Scroll left", show=False, id="table.left"),
        Binding("right,l", "scroll_right", "Scroll right", show=False, id="table.right"),
        Binding("enter", "open", "Open", id="table.open", tooltip="Open session"),
        Binding("s", "sort_next", "Sort", show=False, id="table.sort", tooltip="Sort by the next column on screen"),
        Binding("S", "sort_flip", "Reverse sort", show=False, id="table.sort_flip"),
        Binding("greater_than_sign", "widen_name", "Widen the Name column", show=False, key_display=">",
                id="table.widen"),
        Binding("less_than_sign", "narrow_name", "Narrow the Name column", show=False, key_display="<",
                id="table.narrow"),
        Binding("K", "toggle_full_key", "Full episode keys on/off", show=False, id="table.full_key"),
    ]

    class PageNeeded(Message):
        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    class CursorMoved(Message):
        def __init__(self, index: int, row: EpisodeRow | None) -> None:
            super().__init__()
            self.index, self.row = index, row

    class OpenRequested(Message):
        def __init__(self, row: EpisodeRow) -> None:
            super().__init__()
            self.row = row

    class SortRequested(Message):
        def __init__(self, column: str, desc: bool) -> None:
            super().__init__()
            self.column, self.desc = column, desc

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.total: int | None = None
        self.cursor = 0
        self.sort, self.desc, self.random = "key", False, False
        self._pages: dict[int, list[EpisodeRow]] = {}
        self._requested: set[int] = set()
        self._key_width = KEY_MIN
        self.hidden: frozenset[str] = frozenset()  # columns the user turned off (palette)
        self.absent: frozenset[str] = frozenset()  # label columns with no value in this corpus (never shown)
        self.name_extra = 0  # cells the user gave the Name column (> / <)
        self.full_key = False  # K: the canonical key instead of repo/session/M-id
        self._layout: list[tuple[int, int]] = [(i, c.width or NAME_MIN) for i, c in enumerate(COLUMNS)]

    # ----- data in --------------------------------------------------------------------------
    def reset(self, total: int | None = None) -> None:
        """Forget every page (new filters or sort); ``total`` None shows "counting…"."""
        self._pages.clear()
        self._requested.clear()
        self.total = total
        self.cursor = 0
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def set_total(self, total: int) -> None:
        self.total = total
        self.cursor = min(self.cursor, max(total - 1, 0))
        self._update_virtual_size()
        self.refresh()
        row = self.row_at(self.cursor)  # asks for its page if missing; if the page came first, say so
        if row is not None:
            self.post_message(self.CursorMoved(self.cursor, row))

    def set_page(self, page: int, rows: list[EpisodeRow]) -> None:
        self._pages[page] = rows
        self._requested.discard(page)
        if self._widen_key(rows):
            self._update_virtual_size()
        if len(self._pages) > self.MAX_PAGES:  # keep the pages nearest the cursor
            here = self.cursor // self.PAGE
            for p in sorted(self._pages, key=lambda p: -abs(p - here))[: len(self._pages) - self.MAX_PAGES]:
                del self._pages[p]
        self.refresh()
        if page == self.cursor // self.PAGE:
            self.post_message(self.CursorMoved(self.cursor, self.row_at(self.cursor)))

    def show_sort(self, sort: str, desc: bool, random: bool) -> None:
        self.sort, self.desc, self.random = sort, desc, random
        self.refresh()

    def row_at(self, index: int) -> EpisodeRow | None:
        """The row at ``index`` if its page is loaded (else asks for the page and returns None)."""
        if self.total is None or not 0 <= index < self.total:
            return None
        page = index // self.PAGE
        rows = self._pages.get(page)
        if rows is None:
            self._need(page)
            return None
        off = index - page * self.PAGE
        return rows[off] if off < len(rows) else None

    @property
    def current(self) -> EpisodeRow | None:
        return self.row_at(self.cursor)

    def loaded_rows(self) -> int:
        return sum(len(r) for r in self._pages.values())

    def request_page(self, page: int) -> bool:
        """Claim a page before it is drawn (the first page, while the count still runs): True when it is
        neither loaded nor asked for, and the caller loads it now (no ``PageNeeded`` round trip)."""
        if page in self._pages or page in self._requested:
            return False
        self._requested.add(page)
        return True

    def _need(self, page: int) -> None:
        if page not in self._pages and page not in self._requested:
            self._requested.add(page)
            self.post_message(self.PageNeeded(page))

    def _widen_key(self, rows: list[EpisodeRow]) -> bool:
        """Grow the Episode column to the widest key shown so far (never shrinks while scrolling)."""
        widest = max((len(visible(r.key)) if self.full_key else len(short_key(visible(r.key))) for r in rows), default=0)
        if widest > self._key_width:
            self._key_width = min(widest, 60)
            return True
        return False

    # ----- columns (user choices) -----------------------------------------------------------
    def set_columns(self, *, hidden: frozenset[str] | None = None, name_extra: int | None = None,
                    full_key: bool | None = None) -> None:
        if hidden is not None:
            self.hidden = frozenset(hidden) - {"key", "name"}
        if name_extra is not None:
            self.name_extra = max(-NAME_MIN + 8, name_extra)
        if full_key is not None and full_key != self.full_key:
            self.full_key = full_key
            self._key_width = KEY_MIN
            for rows in self._pages.values():
                self._widen_key(rows)
        self._update_virtual_size()
        self.refresh()

    def set_absent(self, absent: frozenset[str]) -> None:
        """Label columns this corpus has no value for (a corpus of raw transcripts): left out, not all "—"."""
        if absent != self.absent:
            self.absent = absent
            self._update_virtual_size()
            self.refresh()

    def action_widen_name(self) -> None:
        self.set_columns(name_extra=self.name_extra + NAME_STEP)

    def action_narrow_name(self) -> None:
        self.set_columns(name_extra=self.name_extra - NAME_STEP)

    def action_toggle_full_key(self) -> None:
        self.set_columns(full_key=not self.full_key)

    # ----- geometry -------------------------------------------------------------------------
    @property
    def body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _update_virtual_size(self) -> None:
        # plan for the vertical scrollbar even before it shows, so no horizontal one appears with it
        width = self.size.width - self.styles.scrollbar_size_vertical
        self._layout = layout(width, self._key_width, hidden=self.hidden | self.absent, name_extra=self.name_extra)
        total_width = sum(w for _, w in self._layout) + len(self._layout) - 1
        self.virtual_size = Size(total_width, (self.total or 0) + 1)

    @property
    def shown_columns(self) -> list[Column]:
        return [COLUMNS[i] for i, _ in self._layout]

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    # ----- rendering ------------------------------------------------------------------------
    def _line_text(self, parts: list[str]) -> str:
        return " ".join(fit(parts[i], w, i == 0 and self.full_key) for i, w in self._layout)

    def _header(self) -> str:
        titles = []
        for i, w in self._layout:
            c = COLUMNS[i]
            if c.sort == self.sort and not self.random:  # the arrow always shows, the title gives way
                titles.append(fit(c.title, w - 2).rstrip() + (" ▼" if self.desc else " ▲"))
            else:
                titles.append(c.title)
        return " ".join(fit(t, w) for t, (_, w) in zip(titles, self._layout))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            text, style = self._header(), self.get_component_rich_style("episode-table--header")
        else:
            index = scroll_y + y - 1
            text, style = self._body_line(index, y)
        segments = [Segment(text, base + style)]
        strip = Strip(segments, len(text)).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, base + style)

    def _body_line(self, index: int, y: int) -> tuple[str, Style]:
        dim = self.get_component_rich_style("episode-table--dim")
        if self.total is None:
            return ("  counting…" if y == 1 else ""), dim
        if self.total == 0:
            return ("  No episode matches these filters (x clears them)" if y == 1 else ""), dim
        if index >= self.total:
            return "", Style()
        row = self.row_at(index)
        style = self.get_component_rich_style("episode-table--cursor") if index == self.cursor else Style()
        if row is None:
            return "  loading…", dim + style
        return self._line_text(cells(row, self.full_key)), style

    # ----- cursor ---------------------------------------------------------------------------
    def move_cursor(self, index: int, *, center: bool = False) -> None:
        """Highlight row ``index`` (scrolled into view; ``center`` for jumps such as go-to)."""
        if not self.total:
            return
        index = max(0, min(index, self.total - 1))
        old, self.cursor = self.cursor, index
        if center:
            self.scroll_to(y=max(index - self.body_height // 2, 0), animate=False)
        self._scroll_to_cursor()
        self.refresh_line_of(old)
        self.refresh_line_of(index)
        self.post_message(self.CursorMoved(index, self.row_at(index)))

    def refresh_line_of(self, index: int) -> None:
        self.refresh_line(index + 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self.body_height:
            self.scroll_to(y=self.cursor - self.body_height + 1, animate=False)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.body_height)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.body_height)

    def action_top(self) -> None:
        self.move_cursor(0)

    def action_bottom(self) -> None:
        if self.total:
            self.move_cursor(self.total - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.OpenRequested(row))

    def action_sort_next(self) -> None:
        if self.random:
            self.post_message(self.SortRequested("key", False))
            return
        self.post_message(self.SortRequested(sort_cycle(self.sort, [c.sort for c in self.shown_columns]), False))

    def action_sort_flip(self) -> None:
        self.post_message(self.SortRequested(self.sort, not self.desc))

    # ----- mouse ----------------------------------------------------------------------------
    def column_at(self, x: int) -> Column | None:
        edge = 0
        for i, w in self._layout:
            if edge <= x < edge + w + 1:
                return COLUMNS[i]
            edge += w + 1
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            col = self.column_at(offset.x + round(self.scroll_x))
            if col is not None:
                same = col.sort == self.sort and not self.random
                self.post_message(self.SortRequested(col.sort, not self.desc if same else False))
            return
        index = round(self.scroll_y) + offset.y - 1
        if self.total and index < self.total:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()
