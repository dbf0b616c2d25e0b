"""The charts screen in a minimal App: loads in a worker, shows the chart of the filters, switches views,
axes and metrics, copies Markdown, drops stale results; snapshots of two charts in dark and light."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.charts import ChartsScreen
from misalign_tui.tui.charts.screen import VIEW_IDS, ChartsLoaded
from misalign_tui.tui.lanes import DbLanes

from .test_charts_util import independent, load


@pytest.fixture(scope="module")
def study(charts_study):
    return charts_study


@pytest.fixture
def corpus(study):
    c = Corpus.open(study / "c.duckdb")
    yield c
    c.close()


class ChartsApp(MisalignApp):
    """The explorer with the charts screen pushed on a blank screen."""

    def __init__(self, corpus: Corpus, filters: Filters, **kw):
        super().__init__(corpus, local_clipboard=False)
        self.filters, self.kw = filters, kw

    def get_default_screen(self) -> Screen:
        return Screen()

    def on_mount(self) -> None:
        self.push_screen(ChartsScreen(self.services, self.filters, **self.kw))


class CopyApp(ChartsApp):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.copied: list[tuple[str, str]] = []

    def copy(self, text: str, label: str) -> None:
        self.copied.append((text, label))


async def loaded(pilot) -> ChartsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChartsScreen)
    for _ in range(400):
        await pilot.pause()
        if screen.results is not None or screen.error:
            await pilot.pause()
            return screen
    raise AssertionError("the charts screen did not load")


async def settle(pilot, screen: ChartsScreen, cond, tries: int = 400) -> None:
    for _ in range(tries):
        await pilot.pause()
        if cond():
            return
    raise AssertionError("condition not reached")


async def test_opens_under_a_filter_and_shows_its_series(corpus, study):
    eps, sess = load(study)
    want = independent(eps, sess, keep_s=lambda s: s["session_type"] == "CLI", keep_e=lambda e: e["S3"])
    app = ChartsApp(corpus, Filters.parse(["platform=CLI", "symptom=S3"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.error is None
        chart = screen.shown_item()
        assert chart.kind == "monthly"
        assert [s.name for s in chart.series] == ["CLI"]
        assert list(chart.get("CLI").values) == want["episodes_month"]["CLI"]
        assert list(chart.x) == want["months"]
        plot = screen.query_one(PlotextPlot)
        assert plot.display and screen.query_one("#charts-switcher").current == "charts-plot"
        # the plot was drawn from the chart (its title is on the plotext figure)
        assert "Misalignment episodes per month" in plot.plt.build()
        # the symptom share view of the same filters
        screen.select_view("symptom-share")
        await pilot.pause()
        share = screen.shown_item()
        assert list(share.x) == want["symptom_share"]["months"]
        for code, vals in want["symptom_share"]["share"].items():
            for g, v in zip(share.get(code).values, vals):
                assert (g is None and v is None) or abs(g - v) < 1e-9


async def test_keys_switch_views_axes_metrics(corpus):
    app = ChartsApp(corpus, Filters())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("right_square_bracket")
        assert screen.view == VIEW_IDS[1]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.view == VIEW_IDS[-1]  # wraps around to the last table
        assert screen.query_one("#charts-switcher").current == "charts-table-view"
        assert screen.query_one(DataTable).row_count == len(screen.shown_item().rows)
        # a: next axis, computed in a worker and shown on the distribution view
        await pilot.press("a")
        assert screen.view == "distribution" and screen.axis == "cause"
        await settle(pilot, screen, lambda: screen.shown_item().kind == "distribution:cause")
        await pilot.press("a", "a")  # tier, severity
        await settle(pilot, screen, lambda: screen.shown_item().kind == "distribution:severity")
        await pilot.press("t")  # numbers of the chart as a table
        assert screen.query_one("#charts-switcher").current == "charts-table-view"
        assert screen.shown_table().kind == "distribution:severity"
        await pilot.press("t")
        # m: metric of the co-occurrence table
        screen.select_view("cooccurrence")
        await pilot.pause()
        assert screen.shown_item().extra["metric"] == "count"
        await pilot.press("m")
        assert screen.shown_item().extra["metric"] == "jaccard"
        table = screen.query_one(DataTable)
        assert table.row_count == 8 and len(table.columns) == 10
        # every view renders without error
        for view in VIEW_IDS:
            screen.select_view(view)
            await pilot.pause()
            assert screen.shown_item() is not None
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ChartsScreen)


async def test_y_copies_the_shown_table_as_markdown(corpus):
    app = CopyApp(corpus, Filters.parse(["platform=IDE"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        screen.select_view("sxc")
        await pilot.pause()
        await pilot.press("y")
        text, label = app.copied[-1]
        assert text == screen.shown_item().markdown()
        assert text.startswith("### Symptom × cause") and "platform = IDE" in text and "Markdown" in label
        screen.select_view("monthly")
        await pilot.pause()
        await pilot.press("y")
        assert app.copied[-1][0].startswith("### Misalignment episodes per month")


async def test_without_app_copy_uses_clipboard(corpus):
    app = ChartsApp(corpus, Filters())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        screen.select_view("persistence")
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard.startswith("### Persistence across adjacent sessions")


async def test_stale_results_are_dropped(corpus):
    app = ChartsApp(corpus, Filters())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        before = screen.results
        screen.post_message(ChartsLoaded(screen._gen - 1, {"monthly": None}, 1.0))
        await pilot.pause()
        assert screen.results is before
        screen.set_filters(Filters.parse(["platform=CLI"]))
        assert screen.results is None
        await loaded(pilot)
        assert [s.name for s in screen.results["monthly"].series] == ["CLI"]


async def test_runs_on_the_apps_charts_lane(corpus):
    calls = []

    class Lanes(DbLanes):
        def submit(self, lane, fn, *args, **kw):
            calls.append(lane)
            return super().submit(lane, fn, *args, **kw)

    app = ChartsApp(corpus, Filters())
    app.services.lanes = Lanes(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert calls == ["charts"]


async def test_theme_switch_redraws(corpus):
    app = ChartsApp(corpus, Filters())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        screen.select_view("sxc")
        await pilot.pause()
        dt = screen.query_one(DataTable)
        dark = str(dt.get_cell_at((0, 1)).style)
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        light = str(screen.query_one(DataTable).get_cell_at((0, 1)).style)
        assert dark != light and " on #" in light


# ----- snapshots ---------------------------------------------------------------------------------
def _snap(view: str):
    async def run_before(pilot):
        screen = await loaded(pilot)
        screen.select_view(view)
        await pilot.pause()
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("view", ["monthly", "symptom-share", "sxc"])
def test_snapshot_charts(snap_compare, study, theme, view):
    c = Corpus.open(study / "c.duckdb")
    try:
        app = ChartsApp(c, Filters())
        app.theme = theme
        assert snap_compare(app, terminal_size=(80, 24), run_before=_snap(view))
    finally:
        c.close()


async def test_wide_tables_scroll_with_the_arrows_and_never_switch_views(corpus):
    """Issue 15: a table wider than the terminal scrolls with Right; the view stays (tabs take [ ] only)."""
    app = ChartsApp(corpus, Filters(), view="sxc")
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await loaded(pilot)
        dt = screen.query_one(DataTable)
        assert dt.has_focus and dt.virtual_size.width > dt.size.width
        for _ in range(12):
            await pilot.press("right")
        await pilot.pause()
        assert screen.view == "sxc" and dt.scroll_x > 0


async def test_no_color_draws_series_with_distinct_markers(corpus, monkeypatch):
    import misalign_tui.tui.charts.screen as charts_screen

    calls = []
    real = charts_screen.draw
    monkeypatch.setattr(charts_screen, "draw", lambda plt, chart, width, plain=False: (
        calls.append(plain), real(plt, chart, width, plain=plain))[1])
    app = ChartsApp(corpus, Filters(), view="cause-share")
    app.no_color = True
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert calls and all(calls)
