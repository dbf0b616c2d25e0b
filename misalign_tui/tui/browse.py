"""The browse screen: facets (left), episode table (centre), detail card (right or below), status line.

State lives here: the filters, the sort, and two generations — ``gen`` (filters; counts and facets)
and ``view`` (filters + sort; table pages). Workers (``browse_workers``) post results tagged with
the generation they were asked for; handlers drop stale ones.
"""

from __future__ import annotations

from time import perf_counter

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import EpisodeDetail, FacetValue

from .browse_actions import BrowseActions
from .browse_workers import BrowseWorkers
from .commands import ScreenCommands
from .detail import DetailPane, citation
from .facet_modal import FacetValuesScreen
from .facets import RULE, SHORT_RULE, WS_AXIS, FacetList
from .messages import CountsLoaded, DetailLoaded, FacetsLoaded, GotoResolved, PageLoaded
from .review.browse_hooks import WorkspaceBrowse
from .search_bar import SearchBar, SearchInput, parse_search
from .services import JobFailed, Services
from .status_line import StatusLine, status_text
from .table import EpisodeTable

LABEL_COLUMNS = {"symptoms": "symptom", "causes": "cause", "severity": "severity", "resolution": "status"}
WIDE = 220  # from this width the detail card sits right of the table, else below it
NARROW = 100  # below this width the facet panel is narrower and its rule shorter
TINY = 70  # below this width the facet panel starts collapsed (the status line then names the rule)
SEARCH_DEBOUNCE = 0.2  # seconds of quiet typing before ``/`` applies the text


class BrowseScreen(BrowseActions, BrowseWorkers, WorkspaceBrowse):  # WorkspaceBrowse (a ServiceScreen): m t a u U
    """Filter, sort and read episodes; Enter opens the session."""

    COMMANDS = {ScreenCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="browse.quit"),
        Binding("escape", "escape", "Cancel query / close search", show=False, id="browse.escape"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="browse.focus_next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="browse.focus_previous"),
        # footer words are short (80 columns fit them all); the help shows the tooltip
        Binding("slash", "search", "Search", id="browse.search", tooltip="Search names, descriptions and quotes (live)"),
        Binding("x", "clear", "Clear", id="browse.clear", tooltip="Clear filters"),
        Binding("f", "toggle_facets", "Facets", id="browse.facets", tooltip="Show / hide the facet panel"),
        Binding("L", "toggle_licensed", "Licensed", show=False, id="browse.licensed", tooltip="Licensed only"),
        Binding("R", "random_order", "Random order", show=False, id="browse.random"),
        Binding("y", "copy_key", "Copy", show=False, id="browse.copy_key", tooltip="Copy the episode key"),
        Binding("Y", "copy_citation", "Copy citation", show=False, id="browse.copy_citation"),
        Binding("ctrl+y", "copy_view", "Copy view as a command", show=False, id="browse.copy_view"),
        Binding("ctrl+g", "goto", "Go to key", show=False, id="browse.goto"),
        Binding("ctrl+f", "full_text", "Full text", show=False, id="browse.full_text",
                tooltip="Full-text search of every turn"),
        Binding("v", "sessions", "Sessions", id="browse.sessions",
                tooltip="Sessions (also those without an episode) and their signals"),
        Binding("c", "charts", "Charts", id="browse.charts"),
        Binding("A", "pin_a", "Pin selection as A", show=False, id="browse.pin_a"),
        Binding("B", "compare", "Compare A with this selection", show=False, id="browse.compare"),
    ]

    def __init__(self, services: Services, filters: Filters | None = None) -> None:
        super().__init__(services)
        self.filters = filters or Filters()
        self.gen = self.view = 0
        self.sort, self.desc, self.random, self.seed = "key", False, False, 42
        self.count: int | None = None
        self.scope: int | None = None
        self.facets: dict[str, list[FacetValue]] = {}
        self.denominators: dict[str, int] = {}
        self.detail: EpisodeDetail | None = None
        self.detail_wanted: str | None = None
        self.pending: set[str] = set()
        self.pages_pending: set[int] = set()
        self.error = ""
        self.timings: dict[str, float] = {}  # ms: first paint, and after the last filter change
        self._t_apply = perf_counter()
        self._timed_view = -1
        self._rule_set = False
        self._search_timer = None
        self.ws_init()

    def compose(self):
        with Horizontal(id="main"):
            with Vertical(id="facet-panel"):
                yield Static(Text(RULE), id="facet-rule", markup=False)
                yield FacetList(id="facets")
            with Container(id="work"):
                with Vertical(id="centre"):
                    yield SearchBar(id="search-bar")
                    yield EpisodeTable(id="table")
                yield DetailPane(id="detail")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def table(self) -> EpisodeTable:
        return self.query_one(EpisodeTable)

    @property
    def facet_list(self) -> FacetList:
        return self.query_one(FacetList)

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        if self.app.size.width < TINY:
            self.query_one("#facet-panel").display = False
        self.table.focus()
        self.apply_filters(self.filters)
        self.ws_reload()
        started = self.services.started
        self.call_after_refresh(lambda: self.timings.__setitem__("first_paint_ms", (perf_counter() - started) * 1000))

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#work").set_class(width < WIDE, "stacked")
        self.query_one(Footer).compact = width < NARROW  # every key of the footer fits 80 columns
        narrow = width < NARROW
        panel = self.query_one("#facet-panel")
        if panel.has_class("narrow") != narrow or not self._rule_set:
            panel.set_class(narrow, "narrow")
            self.query_one("#facet-rule", Static).update(Text(SHORT_RULE if narrow else RULE))
            self._rule_set = True

    # ----- state changes --------------------------------------------------------------------
    def apply_filters(self, filters: Filters) -> None:
        """New filters: count, facets and the table's first page, all in workers."""
        self.ws_filters_changing(filters)
        self.filters = filters
        self.gen += 1
        self._t_apply = perf_counter()
        self._timed_view = -1
        self.error = ""
        self.count = None
        self.pending |= {"counting…", "facets…"}
        self.facet_list.set_filters(filters)
        self._new_view()
        self.load_counts(self.gen, filters)
        self.load_facets(self.gen, filters)
        self.ws_count(self.gen, filters)

    def set_order(self, sort: str | None = None, desc: bool = False, random: bool = False) -> None:
        if sort is not None:
            self.sort = sort
        self.desc, self.random = desc, random
        self._new_view(keep_total=True)

    def _new_view(self, keep_total: bool = False) -> None:
        self.view += 1
        self.pages_pending.clear()
        self.pending.discard("loading…")
        self.table.reset(self.count if keep_total else None)
        self.table.show_sort(self.sort, self.desc, self.random)
        if self.table.request_page(0):  # in parallel with the count (at once: not after the next repaint)
            self._load_page(0)
        self.detail_wanted = None
        self.refresh_status()

    @property
    def order_words(self) -> str:
        if self.random:
            return f"random order, seed {self.seed}"
        return f"sorted by {self.sort} {'▼' if self.desc else '▲'}"

    def refresh_status(self) -> None:
        busy = sorted(self.pending, key=("counting…", "facets…", "loading…").index)
        row = self.table.cursor + 1 if self.count else None
        rule = None if self.query_one("#facet-panel").display else SHORT_RULE
        # the status line is one row high (browse.tcss): new text never needs a layout of the whole screen
        self.query_one(StatusLine).update(status_text(self.count, self.scope, self.ws_shown_filters(self.filters),
                                                      order=self.order_words, busy=busy, error=self.error,
                                                      row=row, rule=rule),
                                          layout=False)
        panel = self.query_one("#facet-panel")
        title = "Facets · counting…" if "facets…" in self.pending else "Facets"
        if panel.border_title != title:  # setting it repaints the whole panel, even when unchanged
            panel.border_title = title

    # ----- worker results -------------------------------------------------------------------
    def on_counts_loaded(self, msg: CountsLoaded) -> None:
        if msg.gen != self.gen:
            return
        self.count, self.scope = msg.count, msg.scope
        self.timings["counts_ms"] = (perf_counter() - self._t_apply) * 1000
        self.pending.discard("counting…")
        self.table.set_total(msg.count)
        if msg.count == 0:
            self.detail = None
            self.query_one(DetailPane).show(Text("No episode in this selection.", "dim"))
        self.refresh_status()

    def on_facets_loaded(self, msg: FacetsLoaded) -> None:
        if msg.gen != self.gen:
            return
        self.facets, self.denominators = msg.facets, msg.denominators
        self.timings["facets_ms"] = (perf_counter() - self._t_apply) * 1000
        self.pending.discard("facets…")
        self.facet_list.set_facets(msg.facets, msg.denominators, self.filters, msg.present)
        if msg.present is not None:
            self.table.set_absent(frozenset(col for col, axis in LABEL_COLUMNS.items() if axis not in msg.present))
        modal = self.app.screen
        if isinstance(modal, FacetValuesScreen):
            modal.update(msg.facets.get(modal.axis, []), msg.denominators.get(modal.axis, 0),
                         self.filters.get(modal.axis))
        self.refresh_status()

    def on_episode_table_page_needed(self, msg: EpisodeTable.PageNeeded) -> None:
        self._load_page(msg.page)

    def _load_page(self, page: int) -> None:
        self.pages_pending.add(page)
        self.pending.add("loading…")
        self.refresh_status()
        seed = self.seed
        sort = "random" if self.random else self.sort
        self.load_page(self.view, page, self.filters, sort, self.desc and not self.random, seed, EpisodeTable.PAGE)

    def on_page_loaded(self, msg: PageLoaded) -> None:
        if msg.view != self.view:
            return
        self.pages_pending.discard(msg.page)
        if self._timed_view != self.view:  # first page since the last change of filters or sort
            self._timed_view = self.view
            self.timings["page_ms"] = (perf_counter() - self._t_apply) * 1000
        if not self.pages_pending:
            self.pending.discard("loading…")
        self.table.set_page(msg.page, msg.rows)
        self.refresh_status()

    def on_episode_table_cursor_moved(self, msg: EpisodeTable.CursorMoved) -> None:
        self.refresh_status()  # "row 37 of 235"
        if msg.row is None:
            return
        if self.detail is not None and self.detail.key == msg.row.key:
            return
        self.detail_wanted = msg.row.key
        self.load_detail(msg.row.key)

    def on_detail_loaded(self, msg: DetailLoaded) -> None:
        if msg.purpose == "cite":
            if msg.detail is not None:
                self.app.copy(citation(msg.detail), "citation")
            return
        if msg.key != self.detail_wanted or msg.detail is None:
            return
        self.detail = msg.detail
        self.show_detail(msg.detail)

    def on_job_failed(self, msg: JobFailed) -> None:
        if msg.gen != self.gen:
            return
        self.pending.clear()
        self.pages_pending.clear()
        self.error = "query cancelled — change a filter to run it again" if msg.cancelled else msg.error
        if not msg.cancelled:
            self.notify(msg.error, title=f"{msg.job.capitalize()} failed", severity="error", markup=False)
        self.refresh_status()

    def on_goto_resolved(self, msg: GotoResolved) -> None:
        self.goto_done(msg)

    # ----- widget events --------------------------------------------------------------------
    def on_facet_list_toggled(self, msg: FacetList.Toggled) -> None:
        if msg.axis == WS_AXIS:
            self.ws_toggle(msg.value)
            return
        self.apply_filters(self.filters.toggled(msg.axis, msg.value))

    def on_facet_list_more_requested(self, msg: FacetList.MoreRequested) -> None:
        self.app.push_screen(FacetValuesScreen(
            msg.axis, self.facets.get(msg.axis, []), self.denominators.get(msg.axis, 0),
            self.filters.get(msg.axis), lambda axis, value: self.apply_filters(self.filters.toggled(axis, value))))

    def on_episode_table_sort_requested(self, msg: EpisodeTable.SortRequested) -> None:
        self.set_order(msg.column, msg.desc, random=False)

    def on_episode_table_open_requested(self, msg: EpisodeTable.OpenRequested) -> None:
        self.open_session(msg.row.key)

    @on(Input.Changed, "#search-input")
    def search_changed(self, event: Input.Changed) -> None:
        """``/`` is live, as ctrl+f is: the text applies after a short pause in typing."""
        if self._search_timer is not None:
            self._search_timer.stop()
        if self.query_one(SearchBar).display:
            self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._apply_search(quiet=True))

    @on(Input.Submitted, "#search-input")
    def search_submitted(self, event: Input.Submitted) -> None:
        if self._apply_search(quiet=False):
            self.close_search()

    def _apply_search(self, quiet: bool) -> bool:
        """Apply the search box's text (an invalid regex waits for more typing, or says why on Enter)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        bar = self.query_one(SearchBar)
        text, regex, err = parse_search(self.query_one("#search-input", Input).value, bar.regex)
        if err:
            if not quiet:
                self.notify(err, title="Search", severity="error", markup=False)
            return False
        bar.set_mode(regex)
        if (text, regex) != (self.filters.text, self.filters.regex):
            self.apply_filters(self.filters.with_text(text, regex))
        return True

    def close_search(self) -> None:
        """Hide the search box (its text stays applied; x clears it) and give the table the focus back."""
        if self._search_timer is not None:
            self._apply_search(quiet=True)
        self.query_one(SearchBar).display = False
        self.table.focus()

    def on_search_input_closed(self, event: SearchInput.Closed) -> None:
        self.close_search()

    def on_search_input_regex_toggled(self, event: SearchInput.RegexToggled) -> None:
        self.call_after_refresh(lambda: self._apply_search(quiet=True))

    # ----- keys -----------------------------------------------------------------------------
    def action_quit(self) -> None:
        self.app.exit_saving(0)

    def action_escape(self) -> None:
        if self.query_one(SearchBar).display:
            self.close_search()
        elif self.services.lanes.busy:
            self.services.lanes.interrupt()

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        bar.display = True
        field = self.query_one("#search-input", Input)
        field.value = ("re:" if self.filters.regex else "") + self.filters.text
        field.cursor_position = len(field.value)  # typing goes on from the end
        bar.set_mode(self.filters.regex)
        field.focus()

    def action_clear(self) -> None:
        bar = self.query_one(SearchBar)
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.query_one("#search-input", Input).value = ""  # no stale query left in the box …
        if bar.display:  # … and it closes: Tab never lands in it
            bar.display = False
            self.table.focus()
        if self.filters.selections or self.filters.text:
            self.apply_filters(self.filters.cleared())

    def action_toggle_facets(self) -> None:
        panel = self.query_one("#facet-panel")
        panel.display = not panel.display
        if panel.display:
            self.facet_list.focus()
        elif self.facet_list.has_focus or self.focused is None:
            self.table.focus()
        self.refresh_status()

    def action_toggle_licensed(self) -> None:
        self.apply_filters(self.filters.with_licensed(not self.filters.licensed_only))

    def action_random_order(self) -> None:
        self.set_order(desc=self.desc, random=not self.random)  # leaving random order restores the sort as it was


BrowseScreen.HELP_SECTIONS = [("Browse", BrowseScreen), ("Facet panel", FacetList), ("Episode table", EpisodeTable),
                              ("Workspace", WorkspaceBrowse), ("Detail pane", DetailPane),
                              ("Search box", SearchInput)]
