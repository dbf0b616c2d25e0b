"""The session screen in daily use (issue 15): the pager opens at the current turn with the screen's marks,
turn notes show on their turns, a resize keeps the current turn even near the end of a transcript."""

from __future__ import annotations

import contextlib
import shlex
import sys

from misalign_tui.data.workspace.store import ReviewStore
from misalign_tui.tui.session.pager import pager_command

from .test_tui_session_support import ESC, M1, SessionApp, build, corpus, opened  # noqa: F401 — fixture
from .test_tui_browse_support import wait_for


def test_pager_command_starts_at_the_line(monkeypatch):
    monkeypatch.setenv("PAGER", "less -R")
    assert pager_command("/tmp/t.txt", 120) == ["less", "-R", "+120g", "/tmp/t.txt"]
    monkeypatch.setenv("PAGER", "cat")
    assert pager_command("/tmp/t.txt", 120) == ["cat", "/tmp/t.txt"]


async def test_pager_opens_at_the_current_turn_with_marks(corpus, monkeypatch, tmp_path):
    app = SessionApp(corpus, M1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        turn = screen.current_turn  # the first pushback turn
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        out = tmp_path / "paged.txt"
        pager = f"import shutil, sys; shutil.copy(sys.argv[-1], {str(out)!r})"
        monkeypatch.setenv("PAGER", f"{shlex.quote(sys.executable)} -c {shlex.quote(pager)}")
        text, line = screen.pager_text()
        header = text.split("\n")[line - 1]
        assert f"TURN {turn} | USER" in header and "▶ PUSHBACK" in header
        assert "⟦" in text and "⟧" in text  # the quotes
        await pilot.press("o")
        assert out.read_text(encoding="utf-8") == text
    # less gets the line
    monkeypatch.setenv("PAGER", "less")
    assert pager_command("x", line)[-2] == f"+{line}g"


async def test_turn_notes_show_on_their_turn(session_corpus_path, tmp_path):
    from misalign_tui.data.reading.corpus import Corpus

    ws = tmp_path / "ws.review.duckdb"
    store = ReviewStore(ws, "alice")
    store.save_note("checked: the agent ignored the constraint", None, session_key=build.BIG, turn_no=3)
    c = Corpus.open(session_corpus_path)
    app = SessionApp(c, M1)
    app.services.workspace = ReviewStore(ws, "bob")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        i = next(i for i, b in enumerate(screen.blocks) if b.turn_no == 3)
        await wait_for(pilot, lambda: any("✎" in line for line in screen.view.block_lines(i)), "turn note shown")
        lines = screen.view.block_lines(i)
        assert any("alice" in line and "checked: the agent ignored" in line for line in lines)
        assert not any("✎" in line for j in (i - 1, i + 1) for line in screen.view.block_lines(j))
    c.close()


async def test_resize_near_the_end_keeps_the_current_turn(corpus):
    app = SessionApp(corpus, ESC)
    async with app.run_test(size=(100, 20)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        last = len(screen.blocks) - 1
        view.jump_to(last - 1)  # near the end: the view cannot scroll it to the top
        await pilot.pause()
        turn = screen.current_turn
        for size in ((100, 40), (70, 24), (120, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert screen.current_turn == turn, size
        await pilot.press("k")  # scrolling by hand: the turn at the top is current again
        assert screen.view.current == view.block_at(round(view.scroll_y))
