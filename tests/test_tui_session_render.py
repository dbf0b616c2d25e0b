"""The Session screen's rendering: evidence quotes, long-turn collapse, terminal safety, episodes without a
transcript or turns, errors, and the pure quote-location and wrapping helpers."""

from __future__ import annotations

import pytest
from textual.app import App

from misalign_tui.tui.session import TranscriptView, locate_quote
from misalign_tui.tui.session.view import COLLAPSE_AT, HEAD_ROWS, TAIL_ROWS
from misalign_tui.tui.session.wrap import wrap_line, wrap_offsets
from tests.test_tui_session_support import (ESC, M1, NOTX, SessionApp, block_of, build, corpus,  # noqa: F401
                                            opened)


# ----- evidence and collapse -----------------------------------------------------------------
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


async def test_view_shows_turn_timestamps_and_placeholder():
    from datetime import datetime

    from textual.app import ComposeResult

    from misalign_tui.data.reading.corpus import Turn
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


# ----- without a transcript, episode or turns ------------------------------------------------
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


# ----- pure helpers --------------------------------------------------------------------------
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
