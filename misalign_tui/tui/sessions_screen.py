"""The sessions view (``v`` on the browse screen): every imported session with its repository, time, agent,
turns, detected signals and candidate / annotated episodes — also the sessions with no episode at all, which
the episode table cannot reach. Enter opens the transcript. The browse screen's session-level filters apply
(platform, agent, source, licence, repository, month, signal, dates, licensed only); episode-level ones do not.

The list is a line-API widget over the loaded rows (``data.reading.sessions_overview``, a job on the
"session" lane); ``s`` / ``S`` sort it in place.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Static

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.sessions_overview import SessionSummary, sessions_overview
from misalign_tui.data.taxonomy import AXIS_BY_NAME
from misalign_tui.data.text import one_line, visible

from .columns import fit, short_session
from .services import JobFailed, Services, ServiceScreen

# (sort key, title, width; 0 = the rest)
SESSION_COLUMNS = (("key", "Session", 24), ("time", "Time", 16), ("agent", "Agent", 12), ("turns", "Turns", 6),
                   ("pushback", "⚑ push", 6), ("failures", "✗ fail", 6), ("loops", "↻ loop", 6),
                   ("candidates", "Cand.", 5), ("episodes", "Ep.", 4), ("title", "Title", 0))
SORTS = tuple(c[0] for c in SESSION_COLUMNS)
_SORT_KEY = {
    "key": lambda s: s.key, "time": lambda s: (s.ts is None, s.ts or 0, s.key), "agent": lambda s: (s.agent or "", s.key),
    "turns": lambda s: (s.n_turns or 0, s.key), "pushback": lambda s: (s.pushback, s.key),
    "failures": lambda s: (s.tool_failures, s.key), "loops": lambda s: (s.loops, s.key),
    "candidates": lambda s: (s.candidates, s.key), "episodes": lambda s: (s.episodes, s.key),
    "title": lambda s: ((s.title or "").lower(), s.key),
}
SESSION_AXES = tuple(a.name for a in AXIS_BY_NAME.values() if a.level == "session")


def session_filters(f: Filters) -> Filters:
    """The part of ``f`` that applies to sessions."""
    return Filters(tuple((k, v) for k, v in f.selections if k in SESSION_AXES), licensed_only=f.licensed_only,
                   scope=f.scope)


def session_cells(s: SessionSummary) -> list[str]:
    sub = "↳ " if s.parent else ""
    return [sub + short_session(visible(s.key)), s.ts.strftime("%Y-%m-%d %H:%M") if s.ts else "—",
            one_line(visible(s.agent), 40) or "—", f"{s.n_turns:,}" if s.n_turns is not None else "—",
            f"{s.pushback:,}", f"{s.tool_failures:,}", f"{s.loops:,}", f"{s.candidates:,}", f"{s.episodes:,}",
            one_line(visible(s.title), 200) or "—"]


class SessionTable(ScrollView, can_focus=True):
    """The sessions, one line each; a cursor; Enter asks to open the highlighted one."""

    COMPONENT_CLASSES = {"session-table--header", "session-table--cursor"}
    DEFAULT_CSS = """
    SessionTable { background: $surface; }
    SessionTable > .session-table--header { text-style: bold; background: $panel; color: $text; }
    SessionTable > .session-table--cursor { background: $panel-lighten-1; text-style: bold; }
    SessionTable:focus > .session-table--cursor { background: $accent; color: $text; }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, id="sessions.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="sessions.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="sessions.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="sessions.page_up"),
        Binding("g,home", "top", "Top", show=False, id="sessions.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="sessions.bottom"),
        Binding("enter", "open", "Open transcript", id="sessions.open"),
    ]

    class OpenRequested(Message):
        def __init__(self, row: SessionSummary) -> None:
            super().__init__()
            self.row = row

    class Moved(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: list[SessionSummary] = []
        self.cursor = 0
        self.message = "loading…"

    def set_rows(self, rows: list[SessionSummary], keep: str | None = None) -> None:
        self.rows = rows
        keys = [r.key for r in rows]
        self.cursor = keys.index(keep) if keep in keys else 0
        self.virtual_size = Size(0, len(rows) + 1)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved())

    @property
    def current(self) -> SessionSummary | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _widths(self, width: int) -> list[int]:
        fixed = sum(w + 1 for _, _, w in SESSION_COLUMNS if w)
        return [w or max(10, width - fixed) for _, _, w in SESSION_COLUMNS]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        widths = self._widths(width)
        if y == 0:
            text = " ".join(fit(t, w) for (_, t, _), w in zip(SESSION_COLUMNS, widths))
            style = base + self.get_component_rich_style("session-table--header")
        else:
            index = round(self.scroll_y) + y - 1
            if not self.rows:
                text, style = ("  " + self.message if y == 1 else ""), base
            elif index >= len(self.rows):
                text, style = "", base
            else:
                cells = session_cells(self.rows[index])
                text = " ".join(fit(c, w, left=False) if i not in (3, 4, 5, 6, 7, 8) else c.rjust(w)
                                for i, (c, w) in enumerate(zip(cells, widths)))
                style = base + (self.get_component_rich_style("session-table--cursor") if index == self.cursor
                                else Style())
        return Strip([Segment(text, style)]).crop_extend(0, width, style)

    @property
    def body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self.body_height:
            self.scroll_to(y=self.cursor - self.body_height + 1, animate=False)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved())

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * self.body_height)

    def action_top(self) -> None:
        self.move_to(0)

    def action_bottom(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.OpenRequested(self.current))


class SessionsLoaded(Message):
    def __init__(self, gen: int, rows: list[SessionSummary]) -> None:
        super().__init__()
        self.gen, self.rows = gen, rows


class SessionsScreen(ServiceScreen):
    """Every session of the corpus under the session-level filters; Enter opens one, Esc goes back."""

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="sessions.back"),
        Binding("s", "sort_next", "Sort", id="sessions.sort", tooltip="Sort by the next column"),
        Binding("S", "sort_flip", "Reverse sort", show=False, id="sessions.sort_flip"),
        Binding("y", "copy_key", "Copy key", id="sessions.copy_key"),
    ]
    DEFAULT_CSS = """
    SessionsScreen #sessions-title, SessionsScreen #sessions-status { height: 1; padding: 0 1; background: $panel; }
    SessionsScreen SessionTable { height: 1fr; }
    """

    def __init__(self, services: Services, filters: Filters) -> None:
        super().__init__(services)
        self.filters = session_filters(filters)
        self.ignored = [k for k, _ in filters.selections if k not in SESSION_AXES] + (["text"] if filters.text else [])
        self.sort, self.desc = "time", False
        self.all_rows: list[SessionSummary] = []
        self.loaded = False
        self._gen = 0

    def compose(self):
        yield Static(self._title(), id="sessions-title")
        yield SessionTable(id="sessions-table")
        yield Static("", id="sessions-status")
        yield Footer()

    def _title(self) -> Text:
        t = Text("Sessions", "bold")
        words = self.filters.describe().replace(f"validation = {self.filters.scope} (default)", "").strip(" ·")
        t.append("  ·  " + one_line(visible(words or "all sessions"), 160), "dim")
        if self.ignored:
            t.append(f"  ·  not applied here (episode-level): {', '.join(self.ignored)}", "dim italic")
        return t

    @property
    def table(self) -> SessionTable:
        return self.query_one(SessionTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._gen += 1
        gen, corpus, f = self._gen, self.corpus, self.filters
        self.run_job("session", lambda: sessions_overview(corpus, f), job="sessions", gen=gen,
                     done=lambda rows: SessionsLoaded(gen, rows))

    def on_sessions_loaded(self, msg: SessionsLoaded) -> None:
        if msg.gen != self._gen:
            return
        self.all_rows, self.loaded = msg.rows, True
        self.table.message = "No session matches these filters."
        self._sort()

    def on_job_failed(self, msg: JobFailed) -> None:
        self.table.message = f"⚠ {msg.error}"
        self.table.refresh()
        super().on_job_failed(msg)

    def _sort(self) -> None:
        keep = self.table.current.key if self.table.current else None
        rows = sorted(self.all_rows, key=_SORT_KEY[self.sort], reverse=self.desc)
        self.table.set_rows(rows, keep)

    def on_session_table_moved(self, _msg: SessionTable.Moved) -> None:
        rows = self.all_rows
        t = Text(f"{len(rows):,} sessions", "bold")
        if rows:
            with_cand = sum(1 for r in rows if r.candidates or r.episodes)
            t.append(f" · {with_cand:,} with episodes · {len(rows) - with_cand:,} without")
            t.append(f" · row {self.table.cursor + 1:,} of {len(rows):,}")
        t.append(f" · sorted by {self.sort} {'▼' if self.desc else '▲'}", "dim")
        self.query_one("#sessions-status", Static).update(t)

    def on_session_table_open_requested(self, msg: SessionTable.OpenRequested) -> None:
        from .session import SessionScreen

        self.app.push_screen(SessionScreen(self.services, msg.row.key))  # a session key: any session opens

    def action_back(self) -> None:
        self.dismiss(None)

    def action_sort_next(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.desc = self.sort in ("turns", "pushback", "failures", "loops", "candidates", "episodes")  # most first
        self._sort()

    def action_sort_flip(self) -> None:
        self.desc = not self.desc
        self._sort()

    def action_copy_key(self) -> None:
        if self.table.current is not None:
            self.services.copy(self.table.current.key, "session key")


SessionsScreen.HELP_SECTIONS = [("Sessions", SessionsScreen), ("Session list", SessionTable)]
