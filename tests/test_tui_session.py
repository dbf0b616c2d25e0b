"""The Session screen: transcript view, evidence marks, navigation, safety, no-transcript episodes."""

from __future__ import annotations

import contextlib
import importlib.util
import shlex
import sys
import time
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding

from misalign_tui.data.corpus import Corpus
from misalign_tui.tui.session import SessionScreen, TranscriptView, locate_quote, render_transcript_text
from misalign_tui.tui.session.model import PUSHBACK, citation
from misalign_tui.tui.session.view import COLLAPSE_AT, HEAD_ROWS, TAIL_ROWS
from misalign_tui.tui.session.wrap import wrap_line, wrap_offsets

_BUILD = Path(__file__).parent / "fixtures" / "session_corpus" / "build.py"
_spec = importlib.util.spec_from_file_location("session_corpus_build", _BUILD)
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

M1 = f"{build.BIG}/M001"
M2 = f"{build.BIG}/M002"
NOTX = f"{build.NOTX}/M001"
ESC = f"{build.ESC}/M001"


@pytest.fixture(scope="session")
def session_corpus_path(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("session_corpus")
    return build.build_corpus(root / "session.duckdb", root / "study")


@pytest.fixture
def corpus(session_corpus_path):
    c = Corpus.open(session_corpus_path)
    yield c
    c.close()


class SessionApp(App):
    """A minimal host: a blank screen with the Session screen pushed on top."""

    def __init__(self, corpus: Corpus, key: str):
        super().__init__()
        self.corpus = corpus
        self.key = key

    def on_mount(self) -> None:
        self.push_screen(SessionScreen(self.corpus, self.key))


async def opened(pilot) -> SessionScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    for _ in range(200):
        await pilot.pause()
        if screen.loaded:
            await pilot.pause()
            return screen
    raise AssertionError("the session screen did not load")


def top_text(screen: SessionScreen) -> str:
    view = screen.view
    return view.line_text(round(view.scroll_y))


def block_of(screen: SessionScreen, turn_no: int) -> int:
    return next(i for i, b in enumerate(screen.blocks) if b.turn_no == turn_no)


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


async def test_quotes_located_or_listed_as_not_found(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        b451 = screen.blocks[block_of(screen, 451)]
        assert b451.spans and b451.text[b451.spans[0][0]:b451.spans[0][1]] == "You deleted the tests again"
        assert not b451.notes
        b903 = screen.blocks[block_of(screen, 903)]
        assert not b903.spans and b903.notes == ["⚠ quote not found verbatim: “this sentence is nowhere in the transcript”"]
        lines = view.block_lines(block_of(screen, 903))
        assert any("quote not found verbatim" in line for line in lines)
        # the found quote is emphasised: its segment carries the quote style
        i = block_of(screen, 101)
        strip = view.line_strip(view.block_start(i) + 3)
        quote_style = view.get_component_rich_style("transcript--quote")
        emph = [seg.text for seg in strip if seg.style == quote_style]
        assert emph == ["No, stop. I told you not to touch the migrations folder."]
        assert quote_style.underline and (quote_style.reverse or quote_style.bold)


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


async def test_copy_key_and_citation(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await pilot.press("y")
        assert app.clipboard == M1
        await pilot.press("Y")
        cite = app.clipboard
        assert cite.startswith(f"**{M1}** — Agent rewrote the migrations")
        assert "S3 Developer Constraint Violation" in cite and "C2 Scope Overreach (direct)" in cite
        assert "RV2 Agent after pushback" in cite
        assert "> “No, stop. I told you not to touch the migrations folder.” — TURN 101 | USER" in cite


async def test_app_copy_hook_is_used_when_present(corpus):
    calls = []

    class HostApp(SessionApp):
        def copy(self, text: str, label: str) -> None:
            calls.append((text, label))

    app = HostApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await pilot.press("y")
        assert calls == [(M1, "episode key")]


async def test_load_runs_on_the_apps_session_lane(corpus):
    lanes = []

    class Lanes:
        def call(self, lane, fn, *args):
            lanes.append(lane)
            return fn(*args)

    class HostApp(SessionApp):
        db = Lanes()

    app = HostApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert lanes == ["session"] and screen.current_turn == 101


async def test_expand_and_collapse_long_turns(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        i = block_of(screen, 150)  # an agent turn with 120 lines of output
        b = screen.blocks[i]
        assert b.long and not b.expanded
        collapsed_h = view.block_height(i)
        assert collapsed_h == 1 + HEAD_ROWS + 1 + TAIL_ROWS + 1
        lines = view.block_lines(i)
        fold = lines[1 + HEAD_ROWS]
        hidden = int(fold.split("…")[1].split("lines hidden")[0].replace(",", ""))
        assert "e to expand" in fold and hidden > COLLAPSE_AT
        view.jump_to(i)
        await pilot.press("e")
        assert b.expanded and view.block_height(i) == collapsed_h - 1 + hidden
        assert screen.current_turn == 150 and view.scroll_y == view.block_start(i)
        await pilot.press("e")
        assert not b.expanded and view.block_height(i) == collapsed_h
        # a short turn at the top: e acts on the first long turn in view
        view.jump_to(i - 2)
        await pilot.press("e")
        assert b.expanded
        await pilot.press("E")  # some long turns are still collapsed: expand all
        assert all(x.expanded for x in screen.blocks if x.long)
        await pilot.press("E")
        assert not any(x.expanded for x in screen.blocks)


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


async def test_escape_pops_screen(corpus):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SessionScreen) and len(app.screen_stack) == 1
        app.push_screen(SessionScreen(corpus, M1))
        await opened(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, SessionScreen)


# ----- safety --------------------------------------------------------------------------------
async def test_escape_sequences_and_markup_render_literally(corpus):
    app = SessionApp(corpus, ESC)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        assert screen.current_turn == 3
        i = block_of(screen, 3)
        text = "\n".join(view.block_lines(i))
        assert "␛]52;c;aGVsbG8=␇" in text and "␛[2J" in text and "[bold red]x[/]" in text
        # the quote "[bold red]x[/]" was found and is emphasised literally
        assert screen.blocks[i].spans and not screen.blocks[i].notes
        every = [view.line_strip(y) for y in range(view.total_rows)]
        for strip in every:
            for seg in strip:
                assert "\x1b" not in seg.text and "\x07" not in seg.text
        header = str(screen.query_one("#session-header").render())
        assert "\x1b" not in header and "␛[1mhelper" in header and "[i]fix[/i]" in header
        # and nothing unsafe reaches the terminal
        svg = app.export_screenshot()
        assert "\x1b]52" not in svg and "aGVsbG8=" in svg


async def test_no_transcript_episode_shows_quotes(corpus):
    app = SessionApp(corpus, NOTX)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        assert screen.n_turns is None
        info = view.block_lines(0)
        assert "ⓘ no transcript" in info[0]
        joined = " ".join(line.strip() for line in info)
        assert "transcript of this session is not in the corpus" in joined
        assert "misalign-tui import workspace/4242/session_parsed/session_002.json" in joined
        all_text = "\n".join(view.line_text(y) for y in range(view.total_rows))
        assert "TURN 4 | AGENT" in all_text and "All tests pass now." in all_text
        assert "context: The agent reports success." in all_text
        assert "▶ PUSHBACK" in all_text and "TURN 5 | USER" in all_text
        assert "␛[31mlook␛[0m [b]again[/b]" in all_text
        await pilot.press("n")  # everything fits in the view: the turn is marked current (›), not scrolled
        i = screen.current_index
        assert screen.blocks[i].title == "TURN 5 | USER"
        assert view.block_lines(i)[0].startswith("› ▶ PUSHBACK  TURN 5 | USER")
        status = str(screen.query_one("#session-status").render())
        assert "no transcript" in status


async def test_session_key_opens_first_episode(corpus):
    app = SessionApp(corpus, build.BIG)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert screen.episode_key == M1 and screen.current_turn == 101


async def test_session_without_episode(corpus):
    app = SessionApp(corpus, build.EMPTY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert screen.detail is None and screen.n_turns == 4 and screen.current_turn == 1
        assert "no episode in this session" in str(screen.query_one("#session-header").render())
        await pilot.press("n", "right_curly_bracket", "Y", "e")  # reported, not raised
        await pilot.press("y")
        assert app.clipboard == build.EMPTY


async def test_transcript_without_turns(corpus):
    app = SessionApp(corpus, build.NO_TURNS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert screen.n_turns == 0 and "no turns" in screen.view.line_text(1)


async def test_unknown_episode_shows_error(corpus):
    app = SessionApp(corpus, "specstory/4242/session_001/M999")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.error and "no such episode or session" in screen.error
        assert "no such episode" in screen.view.line_text(0)


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


async def test_pager_gets_clean_transcript(corpus, monkeypatch, tmp_path):
    app = SessionApp(corpus, ESC)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        out = tmp_path / "paged.txt"
        pager = f"import shutil, sys; shutil.copy(sys.argv[1], {str(out)!r})"
        monkeypatch.setenv("PAGER", f"{shlex.quote(sys.executable)} -c {shlex.quote(pager)}")
        await pilot.press("o")
        text = out.read_text(encoding="utf-8")
        assert "TURN 3 | USER" in text and "␛]52;c;aGVsbG8=␇" in text and "\x1b" not in text
        monkeypatch.setenv("PAGER", "/nonexistent/pager")
        await pilot.press("o")  # reported, not raised
        await pilot.pause()


def test_render_transcript_text(corpus):
    text = render_transcript_text(corpus, build.BIG)
    assert text.startswith(f"SESSION {build.BIG}\nTITLE   Refactor the storage layer\n")
    assert text.count("──── TURN ") == build.BIG_TURNS
    assert "──── TURN 1200 | AGENT" in text
    notx = render_transcript_text(corpus, build.NOTX)
    assert "not in the corpus" in notx
    esc = render_transcript_text(corpus, build.ESC)
    assert "\x1b" not in esc and "\x07" not in esc and "[bold red]x[/]" in esc


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


async def test_view_shows_turn_timestamps_and_placeholder():
    from datetime import datetime

    from textual.app import ComposeResult

    from misalign_tui.data.corpus import Turn
    from misalign_tui.tui.session.model import turn_blocks

    class ViewApp(App):
        def compose(self) -> ComposeResult:
            yield TranscriptView()

    app = ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(TranscriptView)
        assert "loading…" in view.line_text(0)
        view.set_blocks(turn_blocks([Turn(1, "USER", datetime(2025, 6, 4, 0, 56, 7), "hello\tworld\x1b[2J"),
                                     Turn(2, "AGENT", None, "x " * 200)]), pin=1)
        await pilot.pause()
        assert "TURN 1 | USER · 2025-06-04 00:56:07" in view.line_text(0)
        assert view.line_text(1).startswith("  hello   world␛[2J")
        assert view.current == 1 and view.max_scroll_y == view.scroll_y


# ----- pure helpers --------------------------------------------------------------------------
def test_citation_without_pushback(corpus):
    d = corpus.episode(ESC)
    assert "— TURN 3 | USER" in citation(d)


@pytest.mark.parametrize("text,quote,expected", [
    ("a b Exact quote here", "Exact quote here", "Exact quote here"),
    ("Say: You  deleted\nthe tests again", "you deleted the tests again", "You  deleted\nthe tests again"),
    ("He said “keep config.yaml” twice", "\"keep config.yaml\"", "keep config.yaml"),
])
def test_locate_quote(text, quote, expected):
    (span,) = locate_quote(text, quote)
    assert text[span[0]:span[1]] == expected


def test_locate_quote_elided_and_missing():
    text = "First we changed the schema. Later on we dropped the users table entirely."
    spans = locate_quote(text, "we changed the schema ... dropped the users table")
    assert [text[a:b] for a, b in spans] == ["we changed the schema", "dropped the users table"]
    assert locate_quote(text, "not there at all") == []
    assert locate_quote(text, "   ") == []


@pytest.mark.parametrize("width", [1, 5, 17, 80])
def test_wrap_covers_text_and_fits(width):
    text = ("    indented line with several words that should wrap nicely at some width\n\n"
            + "x" * 95 + " tail\n" + "日本語のテキストは幅が二倍です " * 4 + "\nend")
    rows = wrap_offsets(text, width)
    pairs = list(zip(rows[::2], rows[1::2]))
    from rich.cells import cell_len
    for s, e in pairs:
        assert cell_len(text[s:e].rstrip()) <= width or len(text[s:e].rstrip()) == 1
    covered = "".join(text[s:e] for s, e in pairs)
    assert covered == text.replace("\n", "")


def test_wrap_line_keeps_words_together():
    assert wrap_line("aaa bbb ccc", 7) == [(0, 8), (8, 11)]
    assert wrap_line("", 10) == [(0, 0)]


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


# ----- timing --------------------------------------------------------------------------------
def test_open_1200_turn_session_timing(benchmark, session_corpus_path):
    """Time from pushing the screen to its first rendered line (1,200 turns, query included).

    Not a timed assertion (machines differ): ``-s`` prints the figures, ``--benchmark-enable`` adds them
    to the benchmark report (extra_info). Opens during which a full garbage collection ran are counted.
    """
    import asyncio
    import gc

    c = Corpus.open(session_corpus_path)
    times: list[float] = []
    full_gc: list[int] = []
    gen2 = [0]

    def on_gc(phase, info):
        if phase == "start" and info["generation"] == 2:
            gen2[0] += 1

    async def measure(n: int) -> None:
        app = App()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for _ in range(n):
                gen2[0] = 0
                t0 = time.perf_counter()
                screen = SessionScreen(c, M1)
                await app.push_screen(screen)
                while not screen.loaded:
                    await asyncio.sleep(0.0005)
                screen.view.render_line(0)
                times.append(time.perf_counter() - t0)
                full_gc.append(gen2[0])
                assert screen.current_turn == 101 and len(screen.blocks) == build.BIG_TURNS
                app.pop_screen()
                await pilot.pause()

    gc.callbacks.append(on_gc)
    try:
        benchmark.pedantic(lambda: asyncio.run(measure(10)), rounds=1, iterations=1)
    finally:
        gc.callbacks.remove(on_gc)
        c.close()
    ms = [round(1000 * t, 1) for t in times]
    later = sorted(ms[1:])
    benchmark.extra_info.update(open_ms=ms, first_ms=ms[0], median_ms=later[len(later) // 2], max_ms=later[-1],
                                full_gc=full_gc)
    print(f"\nopen 1,200-turn session (push → laid out, query included): first {ms[0]} ms, "
          f"then median {later[len(later) // 2]} ms, max {later[-1]} ms; all: {ms}; "
          f"full GCs during each: {full_gc}")
    assert len(times) == 10
