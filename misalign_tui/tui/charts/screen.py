"""The charts screen: monthly counts, share timelines, per-user-turn trend, distributions and the
cross-tables for the current filters, one view at a time (fits 80×24).

Every query is a job on the "charts" database lane and comes back as a message stamped with a
generation; results of an older generation are dropped.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Footer, Static, Tab, Tabs
from textual_plotext import PlotextPlot

from misalign_tui import resources
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.charts import (COOCCURRENCE_METRICS, DISTRIBUTION_AXES, METRIC_TITLES, Chart,
                                              ChartData, Table)
from misalign_tui.data.taxonomy import AXIS_BY_NAME
from misalign_tui.data.text import one_line, visible
from misalign_tui.plots import draw

from ..services import JobFailed, Services, ServiceScreen
from .heat import fill_table

# (view id, tab label): charts first, then tables.
VIEWS: tuple[tuple[str, str], ...] = (
    ("monthly", "Episodes"), ("monthly-sessions", "Sessions"), ("symptom-share", "S share"),
    ("cause-share", "C share"), ("per-user-turn", "Per turn"), ("distribution", "Distrib."),
    ("sxc", "S×C"), ("cooccurrence", "Co-occur"), ("severity-locus", "Sev×Loc"),
    ("symptom-resolver", "S×RV"), ("lift", "Lift"), ("persistence", "Persist"),
)
VIEW_IDS = tuple(v for v, _ in VIEWS)
METRIC_VIEWS = ("cooccurrence", "lift")


class ChartsLoaded(Message):
    """Every chart and table for the filters of generation ``gen``."""

    def __init__(self, gen: int, results: dict, ms: float) -> None:
        super().__init__()
        self.gen, self.results, self.ms = gen, results, ms


class AxisLoaded(Message):
    """The distribution chart and table of ``axis`` (request ``axis_gen``)."""

    def __init__(self, gen: int, axis_gen: int, axis: str, chart: Chart, table: Table) -> None:
        super().__init__()
        self.gen, self.axis_gen, self.axis, self.chart, self.table = gen, axis_gen, axis, chart, table


class ChartsScreen(ServiceScreen):
    """Charts and cross-tables of ``corpus`` under ``filters``."""

    CSS_PATH = resources.path("styles", "charts.tcss")
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="charts.back"),
        Binding("right_square_bracket", "next_view", "Next view", key_display="]", id="charts.next"),
        Binding("left_square_bracket", "previous_view", "Previous view", key_display="[", show=False,
                id="charts.previous"),
        Binding("a", "next_axis", "Axis", id="charts.axis", tooltip="Distribution: next facet axis"),
        Binding("A", "previous_axis", "Previous axis", show=False, id="charts.axis_previous"),
        Binding("m", "next_metric", "Metric", id="charts.metric",
                tooltip="Co-occurrence / lift: count, Jaccard, lift, P(column | row)"),
        Binding("t", "toggle_numbers", "Numbers", id="charts.numbers", tooltip="Show a chart's numbers as a table"),
        Binding("y", "copy_markdown", "Copy MD", id="charts.copy", tooltip="Copy the shown table as Markdown"),
    ]

    def __init__(self, services: Services, filters: Filters, *, view: str = "monthly", axis: str = "symptom",
                 name: str | None = None, id: str | None = None) -> None:  # noqa: A002 — Textual's signature
        super().__init__(services, name=name, id=id)
        self.filters = filters
        self.view = view if view in VIEW_IDS else "monthly"
        self.axis = axis if axis in DISTRIBUTION_AXES else "symptom"
        self.metric = {"cooccurrence": "count", "lift": "lift"}
        self.numbers = False  # show a chart's numbers instead of the plot
        self.results: dict | None = None
        self.error: str | None = None
        self.last_ms: float | None = None
        self._gen = 0
        self._axis_gen = 0
        self._data: ChartData | None = None

    # ----- layout -------------------------------------------------------------------------------
    def compose(self):
        yield Static(self._title_text(), id="charts-title")
        yield Tabs(*[Tab(label, id=f"tab-{v}") for v, label in VIEWS], active=f"tab-{self.view}", id="charts-tabs")
        with ContentSwitcher(initial="charts-message", id="charts-switcher"):
            yield Static("Computing charts…", id="charts-message")
            yield PlotextPlot(id="charts-plot")
            with Vertical(id="charts-table-view"):
                yield Static("", id="charts-table-title")
                yield DataTable(id="charts-table", zebra_stripes=False, cursor_type="cell")
                yield Static("", id="charts-table-note")
        yield Static("", id="charts-status")
        yield Footer()

    def on_mount(self) -> None:
        # the tabs are switched with [ ] (and the mouse), never by arrow keys: Left / Right scroll a wide table
        self.query_one("#charts-tabs", Tabs).can_focus = False
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        self.reload()

    def _title_text(self) -> Text:
        t = Text("Charts", style="bold")
        t.append("  ·  " + one_line(visible(self.filters.describe() or "all episodes"), 200), style="dim")
        return t

    # ----- loading ------------------------------------------------------------------------------
    def set_filters(self, filters: Filters) -> None:
        """Show the charts of other filters (results of the old ones are dropped)."""
        self.filters = filters
        self.query_one("#charts-title", Static).update(self._title_text())
        self.reload()

    def reload(self) -> None:
        self._gen += 1
        self.results = None
        self.error = None
        self._data = ChartData(self.corpus, self.filters)
        self._show_message("Computing charts…")
        gen, data, axis, t0 = self._gen, self._data, self.axis, time.perf_counter()
        self.run_job("charts", lambda: data.compute_all(axis), job="charts", gen=gen, exclusive=True,
                     done=lambda results: ChartsLoaded(gen, results, (time.perf_counter() - t0) * 1000))

    def _load_axis(self, gen: int, axis_gen: int, data: ChartData, axis: str) -> None:
        self.run_job("charts", lambda: (data.distribution(axis), data.distribution_table(axis)), job="charts axis",
                     gen=gen, exclusive=True, done=lambda r: AxisLoaded(gen, axis_gen, axis, *r))

    @on(ChartsLoaded)
    def _loaded(self, msg: ChartsLoaded) -> None:
        if msg.gen != self._gen:
            return
        self.results = msg.results
        self.last_ms = msg.ms
        self.show()

    @on(AxisLoaded)
    def _axis_loaded(self, msg: AxisLoaded) -> None:
        if msg.gen != self._gen or msg.axis_gen != self._axis_gen or self.results is None:
            return
        self.results["distribution"] = msg.chart
        self.results["distribution-table"] = msg.table
        if self.view == "distribution":
            self.show()

    def on_job_failed(self, msg: JobFailed) -> None:
        if msg.gen != self._gen:
            return
        self.error = "query cancelled" if msg.cancelled else msg.error
        if self.results is None:
            self._show_message(f"Could not compute the charts: {self.error}")
        self._status(f"error: {self.error}")

    # ----- showing ------------------------------------------------------------------------------
    def shown_item(self) -> Chart | Table | None:
        """The Chart or Table of the current view (None while loading)."""
        if self.results is None:
            return None
        item = self.results[self.view]
        if self.view in METRIC_VIEWS:
            item = item[self.metric[self.view]]
        return item

    def shown_table(self) -> Table | None:
        """The table that ``y`` copies: a table view, or the numbers of a chart view."""
        item = self.shown_item()
        if item is None:
            return None
        if isinstance(item, Chart):
            return self.results["distribution-table"] if self.view == "distribution" else item.table()
        return item

    def show(self) -> None:
        item = self.shown_item()
        if item is None:
            return
        if isinstance(item, Chart) and not self.numbers:
            self.query_one("#charts-switcher", ContentSwitcher).current = "charts-plot"
            self._draw(item)
        else:
            table = self.shown_table()
            self.query_one("#charts-switcher", ContentSwitcher).current = "charts-table-view"
            self._fill(table)
            self.query_one("#charts-table", DataTable).focus()  # arrows move through the table, scrolling it
        self._status(self._status_text(item))

    def _draw(self, chart: Chart) -> None:
        plot = self.query_one("#charts-plot", PlotextPlot)
        # labels come from the corpus (agent, repository, …): inert before plotext draws them
        # NO_COLOR: series told apart by their marker characters (the monochrome greys alone merge them)
        draw(plot.plt, chart.inert(visible, 30), plot.size.width or self.size.width or 80, plain=self.app.no_color)
        plot.refresh()

    def _fill(self, table: Table) -> None:
        table = table.inert(visible)
        title = Text(table.title, style="bold")
        title.append(f"  n = {table.n:,} {table.n_label}", style="dim")
        self.query_one("#charts-table-title", Static).update(title)
        fill_table(self.query_one("#charts-table", DataTable), table, self.app, width=self.size.width or None)
        self.query_one("#charts-table-note", Static).update(Text(table.note, style="dim"))

    def _status_text(self, item) -> str:
        hints = []
        if self.view == "distribution":
            hints.append(f"axis: {AXIS_BY_NAME[self.axis].title} (a)")
        if self.view in METRIC_VIEWS:
            hints.append(f"metric: {METRIC_TITLES[self.metric[self.view]]} (m)")
        if isinstance(item, Chart) and item.note and not self.numbers:
            hints.append(item.note)
        if self.view == "per-user-turn" and isinstance(item, Chart) and item.extra.get("slope") is not None:
            hints.insert(0, f"trend {item.extra['slope']:+.6f} per month")
        if not hints:
            hints.append("t: numbers · y: copy as Markdown" if isinstance(item, Chart) else "y: copy as Markdown")
        return " · ".join(hints)

    def _status(self, text: str) -> None:
        self.query_one("#charts-status", Static).update(Text(one_line(visible(text), 400), style="dim"))

    def _show_message(self, text: str) -> None:
        self.query_one("#charts-message", Static).update(Text(visible(text)))
        self.query_one("#charts-switcher", ContentSwitcher).current = "charts-message"

    def _on_theme_changed(self, _theme) -> None:
        if self.results is not None:
            self.show()

    def on_resize(self) -> None:
        if self.results is not None:  # x tick spacing and row label widths follow the width
            self.call_after_refresh(self.show)

    # ----- actions ------------------------------------------------------------------------------
    @on(Tabs.TabActivated, "#charts-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "").removeprefix("tab-")
        if view in VIEW_IDS and view != self.view:
            self.view = view
            self.show()

    def select_view(self, view: str) -> None:
        if view not in VIEW_IDS:
            raise ValueError(view)
        self.query_one("#charts-tabs", Tabs).active = f"tab-{view}"
        self.view = view
        self.show()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_next_view(self) -> None:
        self.select_view(VIEW_IDS[(VIEW_IDS.index(self.view) + 1) % len(VIEW_IDS)])

    def action_previous_view(self) -> None:
        self.select_view(VIEW_IDS[(VIEW_IDS.index(self.view) - 1) % len(VIEW_IDS)])

    def _step_axis(self, step: int) -> None:
        self.axis = DISTRIBUTION_AXES[(DISTRIBUTION_AXES.index(self.axis) + step) % len(DISTRIBUTION_AXES)]
        if self.view != "distribution":
            self.select_view("distribution")
        if self._data is None:
            return
        self._axis_gen += 1
        self._status(f"axis: {AXIS_BY_NAME[self.axis].title} (computing…)")
        self._load_axis(self._gen, self._axis_gen, self._data, self.axis)

    def action_next_axis(self) -> None:
        self._step_axis(1)

    def action_previous_axis(self) -> None:
        self._step_axis(-1)

    def action_next_metric(self) -> None:
        if self.view not in METRIC_VIEWS:
            self.notify("m switches the metric of the co-occurrence and lift tables", timeout=3)
            return
        cur = self.metric[self.view]
        self.metric[self.view] = COOCCURRENCE_METRICS[(COOCCURRENCE_METRICS.index(cur) + 1) % len(COOCCURRENCE_METRICS)]
        self.show()

    def action_toggle_numbers(self) -> None:
        self.numbers = not self.numbers
        self.show()

    def action_copy_markdown(self) -> None:
        table = self.shown_table()
        if table is None:
            self.notify("Nothing to copy yet", timeout=2)
            return
        self.services.copy(table.markdown(), f"{table.title} (Markdown)")


ChartsScreen.HELP_SECTIONS = [("Charts", ChartsScreen)]
