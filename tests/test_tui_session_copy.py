"""The Session screen's exports: copying the key and citation, the app copy hook, the pager and the plain-text
transcript."""

from __future__ import annotations

import contextlib
import shlex
import sys

from misalign_tui.tui.session import render_transcript_text
from misalign_tui.tui.session.model import citation
from tests.test_tui_session_support import ESC, M1, SessionApp, build, corpus, opened  # noqa: F401


# ----- copy and citation ---------------------------------------------------------------------
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


def test_citation_without_pushback(corpus):
    d = corpus.episode(ESC)
    assert "— TURN 3 | USER" in citation(d)


# ----- pager and plain text ------------------------------------------------------------------
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
