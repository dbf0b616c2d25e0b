"""The reviewer workspace in the explorer (Pilot): m / t / a / u, the workspace facets, saved views, turn
notes on the session screen."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.workspace import ReviewStore
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.facets import WS_AXIS
from misalign_tui.tui.review.modals import NoteScreen, TagScreen, parse_tag_input
from tests.test_tui_browse_support import browse_screen, build, screen_text, settle, wait_for

_BUILD = Path(__file__).parent / "fixtures" / "session_corpus" / "build.py"


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("review_tui"), 60)


def make_app(path: Path, ws: Path, reviewer: str = "alice") -> MisalignApp:
    return MisalignApp(Corpus.open(path), local_clipboard=False, workspace=ws, reviewer=reviewer)


async def done(pilot) -> None:
    """Every worker finished (writes, snapshot reload, counts) and the browse screen settled."""
    for _ in range(3):
        await settle(pilot)
        await pilot.pause(0.05)
    await settle(pilot)


def ws_counts(scr) -> dict[str, int]:
    return {v.value: v.count for v in (scr.facet_list.ws_values or [])}


async def test_bookmark_tag_note_facets_and_next_bookmark(corpus_path, tmp_path):
    import hashlib

    digest = hashlib.sha256(corpus_path.read_bytes()).hexdigest()
    app = make_app(corpus_path, tmp_path / "w.duckdb")
    store = app.workspace
    async with app.run_test(size=(160, 50)) as pilot:
        await done(pilot)
        scr = browse_screen(app)
        total = scr.count
        assert scr.facet_list.ws_values is None  # an empty workspace shows no group
        k0 = scr.table.current.key
        await pilot.press("m")
        await done(pilot)
        await pilot.press(*"jjjjj")
        k5 = scr.table.current.key
        await pilot.press("m")
        await done(pilot)
        assert set(store.bookmarks()) == {k0, k5}
        assert ws_counts(scr) == {"bookmarked": 2, "noted": 0}
        # u / U: next / previous bookmark in table order, wrapping around
        await pilot.press("g", "u")
        await done(pilot)
        assert scr.table.cursor == 5
        await pilot.press("u")
        await done(pilot)
        assert scr.table.cursor == 0
        await pilot.press("U")
        await done(pilot)
        assert scr.table.cursor == 5
        # t: tag with autocompletion of the workspace's tags
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        await pilot.press(*"scope creep", "enter")
        await done(pilot)
        assert store.tags_of(k5) == {"scope creep": ("alice",)}
        await pilot.press("g", "t")
        await pilot.pause()
        await pilot.press("s", "c")
        field = app.screen.query_one("#tag-input")
        await wait_for(pilot, lambda: field._suggestion == "scope creep", "the tag suggestion")
        await pilot.press("right", "enter")  # → accepts the suggestion
        await done(pilot)
        assert store.tags_of(k0) == {"scope creep": ("alice",)}
        # a: a multi-line note; the detail card shows tags and notes
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"first line", "enter", *"second", "ctrl+s")
        await done(pilot)
        assert store.my_note(k0).body == "first line\nsecond"
        text = screen_text(app)
        assert "★ bookmarked by alice" in text and "# scope creep" in text and "first line" in text
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")  # cancel: unchanged
        await done(pilot)
        assert store.my_note(k0).body == "first line\nsecond"
        assert ws_counts(scr) == {"bookmarked": 2, "noted": 1, "tag:scope creep": 2}
        # the workspace facets filter through the episode axis, AND across them
        fl = scr.facet_list
        await pilot.press("shift+tab")
        assert fl.has_focus
        fl.select(WS_AXIS, "noted")
        await pilot.press("space")
        await done(pilot)
        assert scr.count == 1 and scr.filters.get("episode") == (k0,)
        assert "episode = ✎ has a note" in screen_text(app)
        assert ws_counts(scr) == {"bookmarked": 1, "noted": 1, "tag:scope creep": 1}
        fl.select(WS_AXIS, "noted")
        await pilot.press("space")  # off again
        await done(pilot)
        assert scr.count == total and not scr.filters.get("episode")
        fl.select(WS_AXIS, "bookmarked")
        await pilot.press("space")
        await done(pilot)
        assert scr.count == 2 and ws_counts(scr)["noted"] == 1
        # corpus facets and workspace facets combine; x clears both
        scr.apply_filters(scr.filters.toggled("symptom", "S1"))
        await done(pilot)
        assert scr.ws_sel == ("bookmarked",)
        assert scr.count == app.corpus.count(Filters().with_values("episode", [k0, k5]).toggled("symptom", "S1"))
        await pilot.press("tab")
        await pilot.press("x")
        await done(pilot)
        assert scr.ws_sel == () and scr.count == total
        # the palette offers the workspace commands
        titles = [c[0] for c in scr.palette_commands()]
        assert "Filter workspace: ★ bookmarked" in titles and "Save this view as…" in titles
    app.corpus.close()
    assert hashlib.sha256(corpus_path.read_bytes()).hexdigest() == digest  # the corpus is never written


async def test_saved_views_round_trip(corpus_path, tmp_path):
    app = make_app(corpus_path, tmp_path / "w.duckdb")
    store = app.workspace
    async with app.run_test(size=(160, 50)) as pilot:
        await done(pilot)
        scr = browse_screen(app)
        await pilot.press("m")
        await done(pilot)
        scr.apply_filters(scr.filters.toggled("platform", "CLI"))
        await done(pilot)
        scr.ws_toggle("bookmarked")
        await done(pilot)
        scr.set_order("time", desc=True)
        await done(pilot)
        want_count, want_filters = scr.count, scr.filters
        scr.ws_save_view_prompt()
        await pilot.pause()
        await pilot.press(*"cli marks", "enter")
        await done(pilot)
        assert "cli marks" in store.views()
        await pilot.press("x")
        await done(pilot)
        scr.set_order("key")
        await done(pilot)
        assert scr.count != want_count
        scr.ws_open_view("cli marks")
        await done(pilot)
        assert scr.filters == want_filters and scr.count == want_count
        assert (scr.sort, scr.desc, scr.ws_sel) == ("time", True, ("bookmarked",))
        assert "Open saved view: cli marks" in [c[0] for c in scr.palette_commands()]
    app.corpus.close()


def test_tag_input_parsing():
    assert parse_tag_input("scope, -wip , false  positive,,-") == (["scope", "false positive"], ["wip"])


@pytest.fixture(scope="module")
def session_corpus(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("session_corpus_build_ws", _BUILD)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    root = tmp_path_factory.mktemp("ws_session")
    return mod.build_corpus(root / "session.duckdb", root / "study"), mod


async def test_turn_note_on_the_session_screen(session_corpus, tmp_path):
    from misalign_tui.tui.session import SessionScreen

    path, mod = session_corpus
    app = make_app(path, tmp_path / "w.duckdb")
    store = app.workspace
    async with app.run_test(size=(140, 40)) as pilot:
        await done(pilot)
        key = f"{mod.ESC}/M001"
        app.push_screen(SessionScreen(app.services, key))
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.loaded, "session loaded")
        screen = app.screen
        turn = screen.current_turn
        assert turn is not None
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen), "the note editor")
        await pilot.press(*"odd escape here", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = store.my_note(session_key=mod.ESC, turn_no=turn)
        assert note.body == "odd escape here" and note.kind == "turn" and note.episode_key == key
        # the browse card of the episode lists the session's turn notes
        await pilot.press("escape")
        await done(pilot)
        scr = browse_screen(app)
        assert any(n.turn_no == turn for n in scr.ws_snap.turn_notes[mod.ESC])
    # a note past the end of the transcript is reported as orphaned
    store.save_note("beyond", session_key=mod.ESC, turn_no=99)
    rep = store.orphans(app.corpus)
    assert [(n.target, n.turn_no) for n in rep.notes] == [(mod.ESC, 99)]
    app.corpus.close()


async def test_workspace_is_optional(corpus_path, tmp_path, monkeypatch):
    """Without a usable workspace the explorer still works and the keys say why nothing happens."""
    app = MisalignApp(Corpus.open(corpus_path), local_clipboard=False)
    app.services.workspace = None
    async with app.run_test(size=(120, 40)) as pilot:
        await done(pilot)
        await pilot.press("m", "t", "a", "u")
        await done(pilot)
        assert browse_screen(app).facet_list.ws_values is None
    app.corpus.close()
    assert isinstance(MisalignApp(Corpus.open(corpus_path), workspace=tmp_path / "x.duckdb").workspace, ReviewStore)
