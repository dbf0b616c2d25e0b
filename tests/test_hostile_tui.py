"""Hostile identifiers on every screen of the explorer: keys, repository, agent, licence, category, reviewer
names, tags, notes, saved-view and round names and transcript file names full of escape sequences, C1
controls, bidi overrides and Rich markup never reach the terminal raw, and markup is shown, not obeyed.

Each test opens a screen on the hostile corpus (``tests/hostile_data.py``) with the app's last line of
defence (``InertFilter``) switched off, so what the screen's widgets render is checked as it is: the
composited lines must hold no raw control character. ``test_the_last_line_of_defence`` checks the filter
itself. Also here: NULLs where the schema promises values (a NULL key, a NULL in a list column, a turn count
that is not a number) render instead of crashing.
"""

from __future__ import annotations

import duckdb
import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp

from . import hostile_data as H
from .conftest import shared_build

SIZE = (160, 48)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    corpus = shared_build(tmp_path_factory, "hostile", H.build)
    return corpus, corpus.parent / "ws.duckdb"


def rendered(app) -> str:
    """Every line the active screen shows now (composited), as text."""
    return "\n".join("".join(seg.text for seg in strip if not seg.control)
                     for strip in app.screen._compositor.render_strips())


async def idle(pilot, rounds: int = 4) -> None:
    """Every worker done and the messages they posted handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)


def make_app(corpus_path, ws, filters: Filters | None = None) -> MisalignApp:
    corpus = Corpus.open(corpus_path)
    f = filters or Filters()
    app = MisalignApp(corpus, filters=f, local_clipboard=False, workspace=ws, reviewer=H.REVIEWER)
    app.inert_filter.enabled = False  # check what the screens render themselves
    return app


def check(app, what: str) -> str:
    text = rendered(app)
    H.assert_inert(text, what)
    return text


def spec(corpus_path, *specs):
    c = Corpus.open(corpus_path)
    try:
        return c.parse_filters(list(specs))
    finally:
        c.close()


async def test_browse_table_facets_status_detail(hostile):
    path, ws = hostile
    app = make_app(path, ws)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        text = check(app, "browse")
        assert "␛]52;c;ZXZpbA==" in text  # the key column shows the escape, made visible
        assert "[bold red]" in text  # markup shown literally (the detail card's name)
        for key in ("j", "j", "tab", "j", "j"):  # other rows, the facet panel
            await pilot.press(key)
        await idle(pilot)
        check(app, "browse after moving")
        for key in ("y", "Y", "ctrl+y"):  # what was copied, in a toast
            await pilot.press("shift+tab", key)
            await idle(pilot)
            check(app, f"copy toast ({key})")


FILTERS = {"invalid-category-agent": ("validation=INVALID", f"invalid_category={H.CATEGORY}", f"agent={H.AGENT}"),
           "licence-repo-source": (f"license={H.LICENSE}", f"repo={H.REPO}1", f"source={H.SOURCE.lower()}"),
           "transcript-candidates": ("validation=CANDIDATE",)}


async def test_browse_and_session_under_hostile_filters(hostile):
    """One app run: under each set of hostile filters, the INVALID category cell, the status line's filters in
    words and transcript keys (session id, cwd) on the browse screen; then the first row's session screen,
    its copy toast and the note editor with another reviewer's turn note."""
    path, ws = hostile
    app = make_app(path, ws)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        browse = app.screen
        for name, specs in [("all", ()), *FILTERS.items()]:
            browse.apply_filters(spec(path, *specs))
            await idle(pilot)
            text = check(app, f"browse {name}")
            assert "episodes" in text and "␛" in text
            if name == "licence-repo-source":
                continue  # (its first row is a session the other two open as well)
            await pilot.press("enter")
            await idle(pilot)
            assert type(app.screen).__name__ == "SessionScreen"
            check(app, f"session {name}")
            await pilot.press("y")  # the copied key in a toast
            await idle(pilot)
            check(app, "session copy toast")
            await pilot.press("a")  # the note editor with another reviewer's turn note
            await idle(pilot)
            check(app, "turn note editor")
            while app.screen is not browse:
                app.pop_screen()
                await idle(pilot, 1)


async def test_search_screen(hostile):
    path, ws = hostile
    app = make_app(path, ws)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+f")
        await idle(pilot)
        await pilot.press(*"config")
        await pilot.press("enter")
        await idle(pilot, 8)
        assert type(app.screen).__name__ == "SearchScreen"
        text = check(app, "search")
        assert "turn" in text
        await pilot.press("down", "enter")  # the hit's session, with the query's matches marked
        await idle(pilot)
        assert type(app.screen).__name__ == "SessionScreen"
        check(app, "session of a search hit")


def test_pager_text(hostile):
    """``o`` hands the transcript to $PAGER as text: inert too."""
    from misalign_tui.tui.session.model import render_transcript_text

    path, _ = hostile
    c = Corpus.open(path)
    try:
        keys = [r[0] for r in c.cursor().execute("SELECT session_key FROM sessions").fetchall()]
        for key in keys:
            H.assert_inert(render_transcript_text(c, key), f"pager text of {key!r}")
    finally:
        c.close()


async def test_charts_screen(hostile):
    """One app run through the charts whose labels come from the corpus, and their numbers as tables."""
    from misalign_tui.tui.charts.screen import ChartsScreen

    path, ws = hostile
    app = make_app(path, ws)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        for view, axis in [("distribution", "agent"), ("distribution", "repo"), ("distribution", "license"),
                           ("distribution", "invalid_category"), ("monthly", "symptom"), ("sxc", "symptom")]:
            f = spec(path, "validation=VALID,INVALID") if axis == "invalid_category" else Filters()
            app.push_screen(ChartsScreen(app.services, f, view=view, axis=axis))
            await idle(pilot, 8)
            check(app, f"charts {view} {axis}")
            await pilot.press("t")  # the chart's numbers as a table
            await idle(pilot)
            check(app, f"charts {view} {axis} numbers")
            app.pop_screen()
            await idle(pilot, 1)


async def test_compare_screen(hostile):
    path, ws = hostile
    app = make_app(path, ws, spec(path, f"agent={H.AGENT}"))
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("A", "x")
        await idle(pilot)
        await pilot.press("B")
        await idle(pilot, 8)
        assert type(app.screen).__name__ == "CompareScreen"
        check(app, "compare")


async def test_help_palette_and_facet_modal(hostile):
    from misalign_tui.tui.facet_modal import FacetValuesScreen

    path, ws = hostile
    app = make_app(path, ws, spec(path, f"agent={H.AGENT}"))
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("question_mark")
        await idle(pilot)
        check(app, "help")
        await pilot.press("escape", "ctrl+p")
        await idle(pilot)
        await pilot.press(*"view")  # the saved view's hostile name among the commands
        await idle(pilot)
        check(app, "palette")
        await pilot.press("escape")
        await idle(pilot)
        scr = app.screen
        for axis in ("agent", "repo", "license", "source"):
            app.push_screen(FacetValuesScreen(axis, scr.facets.get(axis, []), 10, scr.filters.get(axis),
                                              lambda a, v: None))
            await idle(pilot)
            check(app, f"facet values {axis}")
            await pilot.press("escape")
            await idle(pilot)


async def test_tag_and_note_editors(hostile):
    path, ws = hostile
    app = make_app(path, ws)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t")
        await idle(pilot)
        assert type(app.screen).__name__ == "TagScreen"
        await pilot.press("t")  # autocompletion offers the hostile tag
        await idle(pilot)
        check(app, "tag editor")
        await pilot.press("escape", "a")
        await idle(pilot)
        assert type(app.screen).__name__ == "NoteScreen"
        text = check(app, "note editor")
        assert "bob" in text  # the other reviewer's note and name


async def test_coding_and_agreement_screens(hostile):
    from misalign_tui.tui.review.agreement_screen import AgreementScreen
    from misalign_tui.tui.review.coding_screen import CodingScreen

    from misalign_tui.data.workspace import ReviewStore
    from misalign_tui.data.workspace.coding import rounds

    path, ws = hostile
    name = rounds(ReviewStore(ws))[0].name  # (as stored: whitespace collapsed)
    assert "\x1b]52" in name
    app = make_app(path, ws)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        app.push_screen(CodingScreen(app.services, name))
        await idle(pilot)
        check(app, "coding")
        await pilot.press("escape")
        await idle(pilot)
        app.push_screen(AgreementScreen(app.services, name))
        await idle(pilot)
        seen = check(app, "agreement")
        for _ in range(3):  # r: the next pair of raters (model, the other reviewer)
            await pilot.press("r")
            await idle(pilot)
            seen += check(app, "agreement, next pair")
        assert "bob" in seen


async def test_the_last_line_of_defence(hostile):
    """A widget that shows a raw escape sequence anyway: the filter makes it visible and counts it."""
    from textual.screen import Screen
    from textual.widgets import Static

    class Forgetful(Screen):
        def compose(self):
            yield Static("raw \x1b]52;c;ZXZpbA==\x07 \u202e end", markup=False)

    path, ws = hostile
    app = make_app(path, ws)
    app.inert_filter.enabled = True
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert app.inert_filter.hits == 0  # the screens did it themselves
        app.push_screen(Forgetful())
        await idle(pilot)
        text = check(app, "a forgetful widget")
        assert "raw ␛]52;c;ZXZpbA==" in text and "\\u202e end" in text
        assert app.inert_filter.hits >= 1


# ----- NULLs where the schema promises values ------------------------------------------------------------
@pytest.fixture(scope="module")
def broken(hostile, tmp_path_factory):
    """A copy of the hostile corpus with a NULL episode key, a NULL inside a list column and a turn count
    that is not a number (a hand-edited or foreign-built corpus)."""
    path, _ = hostile
    out = tmp_path_factory.mktemp("broken") / "broken.duckdb"
    con = duckdb.connect(str(out))  # tables copied without their constraints, as another tool might write them
    try:
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(path)])
        for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src'"
                                ).fetchall():
            con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM src."{t}"')
        con.execute("DETACH src")
        first, second = (r[0] for r in con.execute(
            "SELECT episode_no FROM episodes WHERE validation = 'VALID' ORDER BY ord_key LIMIT 2").fetchall())
        con.execute("UPDATE episodes SET episode_key = NULL WHERE episode_no = ?", [first])
        con.execute("UPDATE episodes SET symptoms = list_append(symptoms, NULL), causes = [NULL] "
                    "WHERE episode_no = ?", [second])
        con.execute("ALTER TABLE sessions ALTER n_turns TYPE VARCHAR")
        con.execute("UPDATE sessions SET n_turns = 'many'")
    finally:
        con.close()
    return out


async def test_nulls_render_instead_of_crashing(broken, tmp_path):
    app = make_app(broken, tmp_path / "ws.duckdb")
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        check(app, "browse of a broken corpus")
        for _ in range(3):
            await pilot.press("enter")
            await idle(pilot)
            check(app, "session of a broken corpus")
            await pilot.press("escape", "j")
            await idle(pilot)
        await pilot.press("c")
        await idle(pilot, 8)
        check(app, "charts of a broken corpus")
    assert app.return_code in (None, 0)
