"""Browse-screen keys and plumbing: drill-in and back, help, palette, long facets, go to, cancel, quit."""

from __future__ import annotations

import threading

import duckdb
import pytest
from textual.binding import Binding

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp, resolve_theme, tmux_osc52
from misalign_tui.tui.messages import CountsLoaded, FacetsLoaded, PageLoaded
from misalign_tui.tui.session import SessionScreen
from tests.test_tui_browse_support import browse_screen, screen_text, settle, wait_for


def make_app(path, **kw) -> MisalignApp:
    return MisalignApp(Corpus.open(path), local_clipboard=False, **kw)


async def test_enter_and_esc_back_keep_filters_and_cursor(sample_corpus):
    app = make_app(sample_corpus)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        scr.apply_filters(Filters().toggled("platform", "CLI"))
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        filters, cursor, key = scr.filters, scr.table.cursor, scr.table.current.key
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.episode_key == key
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is scr
        assert scr.filters == filters and scr.table.cursor == cursor and scr.table.current.key == key
        assert scr.table.has_focus
        assert "platform = CLI" in screen_text(app)
    app.corpus.close()


async def test_help_is_generated_from_the_bindings(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for b in browse_screen(app).BINDINGS:  # what a key does, in words; never the internal ids
            assert (b.tooltip or b.description) in text and b.id not in text
        assert "Toggle value" in text and "facets.toggle" not in text and "Open session" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is browse_screen(app)
    app.corpus.close()


def test_every_binding_has_an_id():
    from misalign_tui.tui import browse, detail, facet_modal, facets, help, modals, search_bar, table

    classes = [MisalignApp, browse.BrowseScreen, facets.FacetList, table.EpisodeTable, detail.DetailPane,
               search_bar.SearchInput, help.HelpScreen, facet_modal.FacetValuesScreen, modals.PromptScreen]
    for cls in classes:
        for b in cls.__dict__.get("BINDINGS", []):
            assert isinstance(b, Binding) and b.id, (cls.__name__, b)


async def palette_highlights(pilot, prefix: str) -> None:
    """Wait until the command palette's search has run and highlights the command starting with ``prefix``."""
    from textual.command import CommandList

    def highlighted() -> str:
        lists = pilot.app.screen.query(CommandList)
        if not lists or lists.first().highlighted is None:
            return ""
        lst = lists.first()
        return str(lst.get_option_at_index(lst.highlighted).prompt)

    await wait_for(pilot, lambda: highlighted().startswith(prefix), f"palette highlighting {prefix!r}")


async def test_palette_commands_follow_the_state(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        titles = [c[0] for c in scr.palette_commands()]
        assert "Licensed only: turn on" in titles and "Clear all filters" not in titles
        assert "Filter symptom = S3 Developer Constraint Violation" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"licensed only turn on")
        await palette_highlights(pilot, "Licensed only: turn on")
        await pilot.press("enter")
        await settle(pilot)
        assert scr.filters.licensed_only
        titles = [c[0] for c in scr.palette_commands()]
        assert "Licensed only: turn off" in titles and "Clear all filters" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"filter symptom = S3")
        await palette_highlights(pilot, "Filter symptom = S3")
        await pilot.press("enter")
        await settle(pilot)
        assert scr.filters.get("symptom") == ("S3",)
        assert "Clear filter: symptom" in [c[0] for c in scr.palette_commands()]
    app.corpus.close()


async def test_long_facet_more_opens_a_searchable_list(big_corpus):
    from misalign_tui.tui.facet_modal import FacetValuesScreen

    app = make_app(big_corpus)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("shift+tab")
        fl = scr.facet_list
        while fl.current.axis != "repo":
            await pilot.press("right_square_bracket")
        repo_rows = [it for it in fl.items if it.axis == "repo"]
        assert sum(it.kind == "value" for it in repo_rows) == 8 and repo_rows[-1].kind == "more"
        assert repo_rows[-1].hidden == 53 - 8
        while fl.current.kind != "more":
            await pilot.press("j")
        assert "… 45 more" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FacetValuesScreen)
        await pilot.press("slash", *"2000017")
        await pilot.pause()
        await pilot.press("down", "space")
        await settle(pilot)
        assert scr.filters.get("repo") == ("2000017",)
        assert scr.count == app.corpus.count(Filters().with_values("repo", ["2000017"]))
        assert "■ 2000017" in screen_text(app)  # the modal shows the value as selected
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is scr
        assert any(it.value == "2000017" for it in fl.items if it.kind == "value")  # selected: always shown
    app.corpus.close()


async def test_goto_moves_the_cursor_or_says_why_not(big_corpus):
    app = make_app(big_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        target = app.corpus.page(Filters(), offset=12345, limit=1)[0].key
        await pilot.press("ctrl+g", *target, "enter")
        await settle(pilot)
        assert scr.table.cursor == 12345 and scr.table.current.key == target
        await pilot.press("ctrl+g", *"no/such/key", "enter")
        await settle(pilot)
        assert any("No episode or session" in n.message for n in app._notifications)
        assert scr.table.cursor == 12345
    app.corpus.close()


async def test_stale_results_are_dropped(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        before = (scr.count, scr.table.total, scr.table.current.key)
        scr.post_message(CountsLoaded(scr.gen - 1, 999, 999, 0.0))
        scr.post_message(FacetsLoaded(scr.gen - 1, {}, {}, 0.0))
        scr.post_message(PageLoaded(scr.view - 1, 0, []))
        await pilot.pause()
        assert (scr.count, scr.table.total, scr.table.current.key) == before
        assert scr.facets
    app.corpus.close()


async def test_escape_cancels_a_running_query(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        started = threading.Event()
        corpus = app.corpus

        real_count = corpus.count

        def slow_count(f):  # the first count runs until interrupted
            if started.is_set():
                return real_count(f)
            started.set()
            cur = corpus.cursor()
            return cur.execute("SELECT count(*) FROM range(10000000000) a, range(1000) b").fetchone()[0]

        corpus.count = slow_count
        scr.apply_filters(Filters().toggled("symptom", "S1"))
        await wait_for(pilot, lambda: started.is_set() and app.services.lanes.busy, "the slow count running")
        await pilot.press("escape")  # (ctrl+c quits: tests/test_tui_triage.py)
        await wait_for(pilot, lambda: scr.error, "the cancel message")
        assert "cancelled" in scr.error and "cancelled" in screen_text(app)
        del corpus.count
        await app.workers.wait_for_complete()
        assert not app.services.lanes.busy
        await pilot.press("x")
        await settle(pilot)
        assert scr.count == 60 and not scr.error
    app.corpus.close()


async def test_q_quits_at_the_root(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
    app.corpus.close()


async def test_copy_writes_tmux_passthrough(text_corpus, monkeypatch):
    assert tmux_osc52("hi") == "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        written = []
        monkeypatch.setattr(type(app), "is_headless", property(lambda self: False))
        monkeypatch.setattr(app._driver, "write", written.append)
        app.copy("specstory/1/session_001/M001", "episode key")
        assert app.clipboard == "specstory/1/session_001/M001"
        assert any(w.startswith("\x1b]52;c;") for w in written)
        assert tmux_osc52("specstory/1/session_001/M001") in written
        monkeypatch.undo()
        await pilot.pause()
        assert any(n.message == "specstory/1/session_001/M001" for n in app._notifications)
    app.corpus.close()


def test_themes_resolve():
    assert resolve_theme(None) == "textual-dark"
    assert resolve_theme("light") == "textual-light"
    assert resolve_theme("textual-ansi") == resolve_theme("ansi") == "ansi-dark"
    with pytest.raises(Exception, match="unknown theme"):
        resolve_theme("nope")


async def test_export_from_the_palette(text_corpus, tmp_path):
    app = make_app(text_corpus)
    out = tmp_path / "sel.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        scr.apply_filters(Filters().toggled("symptom", "S3"))
        await settle(pilot)
        scr.ask_export("CSV")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *str(out), "enter")
        await settle(pilot)
        assert out.exists()
        assert any(f"wrote {scr.count:,} episodes" in n.message for n in app._notifications)
    app.corpus.close()


def test_duckdb_interrupt_type_is_what_workers_catch():
    assert issubclass(duckdb.InterruptException, duckdb.Error)


async def test_mouse_click_toggles_a_facet_value(text_corpus):
    from misalign_tui.tui.facets import FacetList

    app = make_app(text_corpus)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        fl = scr.facet_list
        y = next(i for i, it in enumerate(fl.items) if it.value == "S3") - round(fl.scroll_y)
        await pilot.click(FacetList, offset=(3, y))
        await settle(pilot)
        assert scr.filters.get("symptom") == ("S3",)
        assert scr.count == app.corpus.count(Filters().toggled("symptom", "S3"))
    app.corpus.close()


async def test_charts_from_the_palette_and_back(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        scr.apply_filters(Filters().toggled("symptom", "S3"))
        await settle(pilot)
        [charts] = [c for c in scr.palette_commands() if c[0].startswith("Charts")]
        charts[2]()
        await pilot.pause()
        assert type(app.screen).__name__ == "ChartsScreen" and app.screen.filters == scr.filters
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is scr and scr.filters.get("symptom") == ("S3",)
    app.corpus.close()
