"""The Session screen: opening, navigation (pushback / evidence / episode jumps, scrolling), lifecycle,
key bindings, snapshots and the open timing. Rendering and safety: test_tui_session_render.py; copy,
citation and pager: test_tui_session_copy.py."""

from __future__ import annotations


from textual.binding import Binding

from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.lanes import DbLanes
from misalign_tui.tui.session import SessionScreen, TranscriptView
from misalign_tui.tui.session.model import PUSHBACK
from tests.test_tui_session_support import (ESC, M1, M2, BlankApp, SessionApp, block_of, build,  # noqa: F401
                                            corpus, opened, top_text)


# ----- opening and navigation ----------------------------------------------------------------
async def test_opens_scrolled_to_first_pushback(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert isinstance(screen.view, TranscriptView) and screen.view.has_focus
        assert screen.current_turn == build.M1_PUSHBACK[0]
        assert screen.pushback_turns() == list(build.M1_PUSHBACK)
        assert screen.evidence_turns() == sorted(build.M1_PUSHBACK + build.M1_AGENT)
        view = screen.view
        assert view.scroll_y == view.block_start(block_of(screen, 101)) > 0
        head = top_text(screen)
        assert "▶ PUSHBACK" in head and "TURN 101 | USER" in head and head.startswith("›")
        assert "I told you not to touch the migrations folder" in view.line_text(round(view.scroll_y) + 3)


async def test_n_and_N_step_through_pushback_turns(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        for turn in build.M1_PUSHBACK[1:]:
            await pilot.press("n")
            assert screen.current_turn == turn
            assert view.scroll_y == view.block_start(block_of(screen, turn))
            assert "▶ PUSHBACK" in top_text(screen)
        await pilot.press("n")  # no later one: stays
        assert screen.current_turn == build.M1_PUSHBACK[-1]
        await pilot.press("N")
        assert screen.current_turn == build.M1_PUSHBACK[1]
        await pilot.press("N", "N")
        assert screen.current_turn == build.M1_PUSHBACK[0]


async def test_brackets_step_through_evidence_turns(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await pilot.press("right_square_bracket")
        assert screen.current_turn == 451
        await pilot.press("right_square_bracket")
        assert screen.current_turn == 452
        assert "◆ evidence" in top_text(screen) and "TURN 452 | AGENT" in top_text(screen)
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert screen.current_turn == 100


async def test_curly_brackets_switch_episode(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert screen.episode_keys() == [M1, M2]
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        assert screen.episode_key == M2 and screen.detail.key == M2
        assert screen.current_turn == build.M2_PUSHBACK[0]
        assert screen.pushback_turns() == list(build.M2_PUSHBACK)
        header = str(screen.query_one("#session-header").render())
        assert M2 in header and "(2/2)" in header and "S3 Developer Constraint Violation" in header
        # M001's turns now carry the dimmer "other episode" mark only
        b101 = screen.blocks[block_of(screen, 101)]
        assert b101.mark is None and b101.others == ["M001 ▶"]
        await pilot.press("n")
        assert screen.current_turn == 1001
        await pilot.press("left_curly_bracket")
        await pilot.pause()
        assert screen.episode_key == M1 and screen.current_turn == 101


async def test_other_episode_marks_and_unplaced_evidence(corpus):
    app = SessionApp(corpus, M2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        lead = screen.blocks[0]
        assert lead.kind == "evidence" and lead.title == "TURN 5000 | USER" and lead.mark == PUSHBACK
        assert any("not placed in the transcript" in n for n in lead.notes)
        i = block_of(screen, 100)
        lines = view.block_lines(i)
        assert "◇ also M001" in lines[0] and lines[1].startswith("┊")
        await pilot.press("g")
        assert screen.current_index == 0 and "TURN 5000 | USER" in top_text(screen)


async def test_scroll_keys_and_top_bottom(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        y = view.scroll_y
        await pilot.press("j", "j", "down")
        assert view.scroll_y == y + 3
        await pilot.press("k")
        assert view.scroll_y == y + 2
        await pilot.press("pagedown")
        assert view.scroll_y > y + 10
        await pilot.press("g")
        assert view.scroll_y == 0 and screen.current_turn == 1
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y and screen.current_turn >= 1190


async def test_session_key_opens_first_episode(corpus):
    app = SessionApp(corpus, build.BIG)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert screen.episode_key == M1 and screen.current_turn == 101


async def test_resize_keeps_current_turn(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        await pilot.press("n")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        view = screen.view
        assert screen.current_turn == 451 and view.scroll_y == view.block_start(block_of(screen, 451))
        assert all(len(view.line_text(y)) <= 60 for y in range(int(view.scroll_y), int(view.scroll_y) + 15))


# ----- lifecycle -----------------------------------------------------------------------------
async def test_load_runs_on_the_apps_session_lane(corpus):
    lanes = []

    class Lanes(DbLanes):
        def submit(self, lane, fn, *args, **kw):
            lanes.append(lane)
            return super().submit(lane, fn, *args, **kw)

    app = SessionApp(corpus, M1)
    app.services.lanes = Lanes(corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        # the transcript on the session lane; the workspace's turn notes (shown on their turns) on its own
        assert lanes[0] == "session" and set(lanes) <= {"session", "workspace"} and screen.current_turn == 101


async def test_stale_load_results_are_dropped(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        stale_gen = screen._gen
        screen.show_episode(M2)  # local switch: bumps the generation
        from misalign_tui.tui.session.screen import load_session_data
        data = load_session_data(corpus, build.ESC + "/M001")
        screen.post_message(SessionScreen.Loaded(stale_gen, data))
        await pilot.pause()
        assert screen.episode_key == M2 and screen.n_turns == build.BIG_TURNS


async def test_escape_pops_screen(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SessionScreen) and len(app.screen_stack) == 1
        app.push_screen(SessionScreen(app.services, M1))
        await opened(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, SessionScreen)


def test_bindings_have_ids_and_descriptions():
    ids = set()
    for b in SessionScreen.BINDINGS:
        assert isinstance(b, Binding) and b.id and b.description, b
        ids.add(b.id)
    assert len(ids) == len(SessionScreen.BINDINGS)
    keys = {k for b in SessionScreen.BINDINGS for k in b.key.split(",")}
    for k in ("n", "N", "right_square_bracket", "left_square_bracket", "right_curly_bracket",
              "left_curly_bracket", "g", "G", "j", "k", "e", "E", "y", "Y", "o", "escape", "q", "pageup", "pagedown"):
        assert k in keys


# ----- snapshots -----------------------------------------------------------------------------
async def _loaded(pilot):
    await opened(pilot)


def test_snapshot_session_dark(snap_compare, session_corpus_path):
    c = Corpus.open(session_corpus_path)
    try:
        app = SessionApp(c, M1)
        app.theme = "textual-dark"
        assert snap_compare(app, terminal_size=(110, 34), run_before=_loaded)
    finally:
        c.close()


def test_snapshot_session_80x24(snap_compare, session_corpus_path):
    c = Corpus.open(session_corpus_path)
    try:
        assert snap_compare(SessionApp(c, ESC), terminal_size=(80, 24), run_before=_loaded)
    finally:
        c.close()
