"""The browse screen as a researcher triages with it (issue 15): what identifies a row, sorting what is on
screen, where the cursor is, live ``/``, quitting with ctrl+c without losing work, short toasts, time facets
in order, evidence first on the card. Pilot tests: state, screen text and ``app.clipboard``; no timings."""

from __future__ import annotations

from pathlib import Path

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.workspace.store import ReviewStore
from misalign_tui.tui.app import TOAST_CHARS, MisalignApp
from misalign_tui.tui.columns import NAME_MIN, layout, short_key, sort_cycle
from misalign_tui.tui.detail import render_detail
from misalign_tui.tui.search_bar import SearchBar

from .test_tui_browse_support import browse_screen, screen_text, settle, wait_for


def make_app(path: Path, **kw) -> MisalignApp:
    return MisalignApp(Corpus.open(path), local_clipboard=False, **kw)


# ----- columns --------------------------------------------------------------------------------------------
def test_short_key_keeps_what_tells_episodes_apart():
    assert short_key("specstory/100629158/session_001/M001") == "100629158/s001/M001"
    assert short_key("claude_code/acme__widgets/0f9c2d1e-aaaa-bbbb-cccc-1234567890ab/P003") == \
        "widgets/0f9c2d1e/P003"
    assert short_key("odd-key") == "odd-key"


def test_layout_gives_name_the_room_and_user_choices_apply():
    shown = dict(layout(120, 19))
    assert shown[0] == 19 and shown[8] >= NAME_MIN  # the whole short key, and Name at least NAME_MIN
    wider = dict(layout(120, 19, name_extra=24))
    assert wider[8] >= shown[8] + 16 and len(wider) < len(shown)  # other columns gave way
    assert 1 not in dict(layout(200, 19, hidden=frozenset({"time"})))  # a hidden column stays hidden
    assert sort_cycle("key", ["key", "symptoms", "name"]) == "symptoms"
    assert sort_cycle("symptoms", ["key", "symptoms", "name"]) == "name"
    assert sort_cycle("name", ["key", "symptoms", "name"]) == "key"


async def test_rows_sorting_and_position_in_the_status_line(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        text = screen_text(app)
        assert "Episode" in text and "2000001/s001/M001 " in text  # repo, session, M-id; not cut from the left
        assert "row 1 of 60" in text
        for _ in range(3):
            await pilot.press("j")
        await wait_for(pilot, lambda: "row 4 of 60" in screen_text(app), "row position")
        shown = [c.sort for c in scr.table.shown_columns]
        seen = []
        for _ in range(len(shown)):  # s only ever sorts by a column on screen
            await pilot.press("s")
            await settle(pilot)
            seen.append(scr.sort)
        assert set(seen) <= set(shown) and len(set(seen)) == len(shown)
        await pilot.press("S")  # descending …
        await settle(pilot)
        sort = scr.sort
        assert scr.desc
        await pilot.press("R")  # … random order and back keeps the sort and its direction
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert (scr.sort, scr.desc, scr.random) == (sort, True, False)
        assert "▼" in screen_text(app)
        name_before = dict(scr.table._layout)[8]
        await pilot.press("greater_than_sign")
        assert dict(scr.table._layout)[8] > name_before
        await pilot.press("K")  # full keys
        await pilot.pause()
        assert scr.table.full_key
    app.corpus.close()


async def test_slash_is_live_esc_closes_x_clears(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("slash")
        await wait_for(pilot, lambda: scr.query_one("#search-input").has_focus, "search box focused")
        await pilot.press(*"refactor")
        await wait_for(pilot, lambda: scr.filters.text == "refactor", "live search")  # no Enter needed
        await settle(pilot)
        assert scr.count == app.corpus.count(Filters().with_text("refactor", False)) < 60
        await pilot.press("escape")
        assert not scr.query_one(SearchBar).display and scr.table.has_focus
        assert scr.filters.text == "refactor"  # closing keeps the filter (the status line shows it)
        await pilot.press("slash")
        await wait_for(pilot, lambda: scr.query_one("#search-input").has_focus, "search box focused")
        await pilot.press("x")  # typing x in the box is text, not "clear"
        await wait_for(pilot, lambda: scr.filters.text == "refactorx", "live search")
        await pilot.press("escape")
        await wait_for(pilot, lambda: scr.table.has_focus, "table focused")
        await pilot.press("x")  # x on the table clears, and the box stays closed and empty
        await settle(pilot)
        assert scr.filters.text == "" and not scr.query_one(SearchBar).display
        assert scr.query_one("#search-input").value == ""
        for _ in range(3):  # Tab never lands in a hidden search box: j stays a table key
            await pilot.press("tab")
            assert not scr.query_one("#search-input").has_focus
    app.corpus.close()


async def test_ctrl_c_quits_and_keeps_the_workspace_write(text_corpus, tmp_path):
    ws = tmp_path / "ws.review.duckdb"
    app = make_app(text_corpus, workspace=ws, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        key = browse_screen(app).table.current.key
        await pilot.press("m", "ctrl+c")  # bookmark, then quit at once
        await pilot.pause()
    assert app.return_code == 0
    store = ReviewStore(ws, "alice")
    assert key in store.snapshot().bookmarks
    app.corpus.close()


async def test_copy_toast_is_short(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        long = "misalign-tui corpus.duckdb " + " ".join(f"--filter repo=r{i}" for i in range(40))
        app.copy(long, "view")
        await pilot.pause()
        assert app.clipboard == long  # the whole text is copied …
        note = list(app._notifications)[-1]
        assert len(note.message) <= TOAST_CHARS and note.message.endswith("…")  # … the toast says so briefly
    app.corpus.close()


async def test_month_facet_lists_every_month_in_order(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        fl = browse_screen(app).facet_list
        months = [it.value for it in fl.items if it.axis == "month" and it.kind == "value"]
        assert months == sorted(months) and len(months) == len(app.corpus.known_values()["month"]) > 8
        assert not [it for it in fl.items if it.axis == "month" and it.kind == "more"]
    app.corpus.close()


def test_detail_card_shows_the_evidence_before_the_reasoning(text_corpus):
    c = Corpus.open(text_corpus)
    try:
        d = c.episode("swe/2000000/session_001/M001")
        from rich.console import Console

        console = Console(width=100, record=True, color_system=None)
        console.print(render_detail(d))
        text = console.export_text()
        assert text.index("Evidence (2)") < text.index("Description") < text.index("Symptom reasoning")
    finally:
        c.close()
