"""SearchScreen: full-text search over every turn and episode text, scoped by the browse screen's filters.

The same search as ``misalign-tui search`` (``Searcher.search`` with the same filters, mode, human-only
switch and limit, so the same hits in the same order). Queries are jobs on the "search" database lane,
debounced while typing and at once on Enter or when the mode or the human-only switch changes; results
of superseded queries are dropped (a generation counter).
Errors (an invalid regular expression, a query without words) are shown in the status line.

Enter on a hit opens the Session screen on the hit's turn with the search carried along (``n`` / ``N``
step through this query's hits of that session, matches emphasised); an episode-text hit opens its
episode at the first pushback. Esc there comes back here with the query and the cursor as they were.

Everything from the corpus (snippets, keys, filter values) is cleaned by ``data.text.visible`` before it is
shown; the snippet's match markers become «…» plus a style after cleaning. The result list (``HitList``,
``snippet_text``, ``scope_text``) lives in ``search_results``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static

from misalign_tui import resources
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.search import EPISODE_ROLE, MODES, Hit, fts_query
from misalign_tui.data.text import visible

from .search_results import HitList, scope_text
from .services import ServiceScreen, Services
from .session import SearchContext, SessionScreen

SEARCH_LIMIT = 200  # hits shown (``misalign-tui search --limit 200`` gives the same list)
DEBOUNCE = 0.25  # seconds of quiet typing before a query runs
HINT = 'words (all must occur) · "a phrase" · prefix* · OR · NOT'
MODE_HINT = {"ranked": HINT, "substring": "exact text, any case", "regex": "regular expression, any case"}


@dataclass(frozen=True)
class SearchRequest:
    text: str
    mode: str
    human_only: bool


class SearchScreen(ServiceScreen):
    """Full-text search; ``filters`` (the browse screen's facets) scope it."""

    CSS_PATH = resources.path("styles", "search.tcss")

    BINDINGS = [
        Binding("ctrl+r", "cycle_mode", "Mode", id="search.mode", tooltip="ranked → substring → regex"),
        Binding("ctrl+u", "toggle_human", "Human turns only", id="search.human", priority=True),
        Binding("ctrl+f", "focus_query", "Edit query", id="search.focus_query"),
        Binding("down", "focus_results", "Go to the results", id="search.focus_results", show=False),
        Binding("escape", "back", "Back", id="search.back"),
    ]

    class Done(Message):
        def __init__(self, gen: int, request: SearchRequest, hits: list[Hit] | None, error: str | None = None,
                     seconds: float = 0.0) -> None:
            super().__init__()
            self.gen, self.request, self.hits, self.error, self.seconds = gen, request, hits, error, seconds

    def __init__(self, services: Services, filters: Filters | None = None, *, query: str = "", mode: str = "ranked",
                 human_only: bool = False, limit: int = SEARCH_LIMIT, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(services, name=name, id=id, classes=classes)
        if mode not in MODES:
            raise CorpusError(f"unknown search mode {mode!r}; valid: {', '.join(MODES)}")
        self.filters = filters or Filters()
        self.limit = limit
        self.mode = mode
        self.human_only = human_only
        self._initial_query = query
        self.hits: list[Hit] = []
        self.request: SearchRequest | None = None  # what ``hits`` answer
        self.error: str | None = None
        self.searching = False
        self.timings: dict[str, float] = {}
        self._gen = 0
        self._timer: Timer | None = None
        self._focus_results_when_done = False
        self._inflight: SearchRequest | None = None

    # ----- composition ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        query = Input(value=self._initial_query, placeholder=f"Search turns and episodes: {HINT}", id="search-query")
        query.border_title = "Full-text search"
        yield query
        yield Static(self._options_content(), id="search-options")
        yield Static("", id="search-status")
        yield HitList(id="search-results", markup=False)
        yield Footer()

    @property
    def query_input(self) -> Input:
        return self.query_one("#search-query", Input)

    @property
    def results(self) -> HitList:
        return self.query_one("#search-results", HitList)

    def on_mount(self) -> None:
        self.query_input.focus()
        if self._initial_query.strip():
            self.run_search()
        else:
            self._show_status()

    def on_unmount(self) -> None:
        self._gen += 1
        if self._timer is not None:
            self._timer.stop()

    # ----- running queries --------------------------------------------------------------
    def current_request(self) -> SearchRequest:
        return SearchRequest(self.query_input.value, self.mode, self.human_only)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search-query":
            return
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._debounced)

    def _debounced(self) -> None:
        self._timer = None
        req = self.current_request()
        if req == (self._inflight if self.searching else self.request) and self.error is None:
            return  # typed back to what is shown (or running) already
        self.run_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search-query":
            return
        event.stop()
        req = self.current_request()
        if self.searching and req == self._inflight:  # running already: focus the hits when they come
            self._focus_results_when_done = True
            return
        if req == self.request and not self.searching and self.error is None:
            if self.hits:
                self.results.focus()
            return
        self._focus_results_when_done = True
        self.run_search()

    def run_search(self) -> None:
        """Run the query as it is now (superseding any query still running)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        req = self.current_request()
        self._gen += 1
        problem = self._check(req)
        if problem is not None:  # nothing to run: an empty query ("") or an error message
            self._finish(req, [], problem or None)
            return
        self.searching = True
        self._inflight = req
        self._show_status()
        self._search(self._gen, req)

    def _check(self, req: SearchRequest) -> str | None:
        """"" for an empty query (no hits, no error), an error message, or None when the query can run."""
        if not req.text.strip():
            return ""
        if req.mode == "regex":
            try:
                re.compile(req.text, re.IGNORECASE)
            except re.error as e:
                return f"invalid regular expression: {e}"
        elif req.mode == "ranked":
            try:
                fts_query(req.text)
            except CorpusError as e:
                return str(e)
        return None

    def _search(self, gen: int, req: SearchRequest) -> None:
        services, filters, limit, t0 = self.services, self.filters, self.limit, time.perf_counter()

        def job():
            return services.searcher().search(req.text, filters, human_only=req.human_only, mode=req.mode,
                                              limit=limit)

        self.run_job("search", job, done=lambda hits: self.Done(gen, req, hits, None, time.perf_counter() - t0),
                     job="search", gen=gen, exclusive=True,
                     failed=lambda f: self.Done(gen, req, None, "search cancelled" if f.cancelled else f.error))

    def on_search_screen_done(self, msg: Done) -> None:
        msg.stop()
        if msg.gen != self._gen:  # a newer query superseded this one
            return
        self.timings["search"] = msg.seconds
        self._finish(msg.request, msg.hits or [], msg.error)

    def _finish(self, req: SearchRequest, hits: list[Hit], error: str | None) -> None:
        self.searching = False
        self.request, self.hits, self.error = req, hits, error
        self.results.show_hits(hits)
        self._show_status()
        if self._focus_results_when_done and hits:
            self.results.focus()
        self._focus_results_when_done = False

    # ----- status -----------------------------------------------------------------------
    def _show_status(self) -> None:
        t = Text()
        req = self.request
        if self.searching:
            t.append("searching…", "italic")
        elif self.error:
            t.append(f"⚠ {visible(self.error)}", "bold")
        elif req is None or not req.text.strip():
            t.append(f"Type to search every turn, episode name, description and quote ({MODE_HINT[self.mode]})")
        else:
            n = len(self.hits)
            t.append(f"{n:,} hit{'s' if n != 1 else ''}", "bold")
            if n >= self.limit:
                t.append(f" (the first {self.limit}: refine the query)")
        t.append(f" · {self.mode}")
        if self.human_only:
            t.append(" · human turns only")
        t.append(" · " + scope_text(self.filters), "dim")
        self.query_one("#search-status", Static).update(t)

    @property
    def status_text(self) -> str:
        return str(self.query_one("#search-status", Static).render())

    # ----- switches ---------------------------------------------------------------------
    def _options_content(self) -> Content:
        """``mode ◉ ranked ○ substring ○ regex (ctrl+r) │ ☐ human turns only (ctrl+u)``: the state in glyphs
        (and style), each choice clickable. Constant text only, so markup is safe here."""
        parts = ["[dim]mode[/] "]
        for m in MODES:
            on = m == self.mode
            parts.append(f"[@click=screen.set_mode('{m}')]{'[b]◉ ' if on else '○ '}{m}{'[/b]' if on else ''}[/] ")
        parts.append("[dim](ctrl+r)[/]   │   ")
        box = "[b]☑ human turns only[/b]" if self.human_only else "☐ human turns only"
        parts.append(f"[@click=screen.toggle_human]{box}[/] [dim](ctrl+u)[/]")
        return Content.from_markup("".join(parts))

    def set_options(self, mode: str | None = None, human_only: bool | None = None) -> None:
        """Switch the mode and / or the human-only switch; the query runs again at once."""
        mode = self.mode if mode is None else mode
        human_only = self.human_only if human_only is None else human_only
        if mode not in MODES:
            raise CorpusError(f"unknown search mode {mode!r}; valid: {', '.join(MODES)}")
        if (mode, human_only) != (self.mode, self.human_only):
            self.mode, self.human_only = mode, human_only
            self.query_one("#search-options", Static).update(self._options_content())
            self.run_search()

    def action_set_mode(self, mode: str) -> None:
        self.set_options(mode=mode)

    def action_cycle_mode(self) -> None:
        self.set_options(mode=MODES[(MODES.index(self.mode) + 1) % len(MODES)])

    def action_toggle_human(self) -> None:
        self.set_options(human_only=not self.human_only)

    def action_focus_query(self) -> None:
        self.query_input.focus()

    def action_focus_results(self) -> None:
        if self.hits:
            self.results.focus()

    def action_back(self) -> None:
        if self.app.screen is self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # ----- opening a hit ----------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_hit(event.option_index)

    def open_hit(self, index: int) -> None:
        """Push the Session screen for hit ``index`` (on its turn; n / N step through its session's hits)."""
        if not 0 <= index < len(self.hits) or self.request is None:
            return
        hit, req = self.hits[index], self.request
        turns = tuple(sorted({h.turn_no for h in self.hits
                              if h.session_no == hit.session_no and h.turn_no is not None}))
        ctx = SearchContext(req.text, req.mode, req.human_only, turns, hit.turn_no)
        key = hit.episode_key if hit.role == EPISODE_ROLE and hit.episode_key else hit.session_key
        self.app.push_screen(SessionScreen(self.services, key, search=ctx))

    # ----- palette ----------------------------------------------------------------------
    def palette_commands(self) -> list[tuple[str, str, object, bool]]:
        nxt = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        return [
            (f"Search mode: {nxt}", f"now {self.mode} (ctrl+r)", self.action_cycle_mode, True),
            (f"Human turns only: {'off' if self.human_only else 'on'}", "ctrl+u", self.action_toggle_human, True),
        ]


# The app's help screen (``?``) lists these sections' bindings.
SearchScreen.HELP_SECTIONS = [("Search", SearchScreen), ("Results", HitList)]
