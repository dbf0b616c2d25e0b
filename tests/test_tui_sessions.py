"""The sessions view on a corpus imported from real transcripts (issue 11): every session is reachable — also
those without a candidate episode — with its signals, Enter opens its transcript, the session-level filters
apply; label facets with no value in such a corpus are not shown; at 80×24 the footer fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.reading.sessions_overview import sessions_overview
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.session import SessionScreen
from misalign_tui.tui.sessions_screen import SessionsScreen

from .test_tui_browse_support import browse_screen, screen_text, settle, wait_for

REAL = Path(__file__).parent / "fixtures" / "real" / "transcripts"
FILES = ["claude-code/entireio__cli__9b-3838281539-0-full.jsonl",
         "claude-code/obsessiondb__chkit__74-33604bbf9b-0-full.jsonl",
         "codex/entireio__git-sync__00-2f876fb8bb-0-full.jsonl",
         "codex/teslamint__entirecontext__01M05RN3X2Z7NSB62J6F0RH4X5-0-full.jsonl",
         "specstory/johnlindquist__kit__2025-06-11_00-13-run-the-testing-mcp-tool.md",
         "specstory/specstoryai__keyframe-blogger__2025-07-10_23-43-52Z-bash-input-pwd-bash.md"]


@pytest.fixture(scope="module")
def raw_corpus(tmp_path_factory) -> Path:
    from misalign_tui.data.building.importer import run_import

    out = tmp_path_factory.mktemp("raw") / "raw.duckdb"
    run_import([str(REAL / f) for f in FILES], out, force=True)
    return out


def make_app(path: Path, **kw) -> MisalignApp:
    return MisalignApp(Corpus.open(path), local_clipboard=False, **kw)


async def test_every_session_is_reachable_and_opens(raw_corpus):
    app = make_app(raw_corpus)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen) and app.screen.loaded, "sessions")
        screen = app.screen
        want = sessions_overview(app.corpus)
        assert {r.key for r in screen.all_rows} == {s.key for s in want}
        without = [r for r in screen.all_rows if not r.candidates and not r.episodes]
        assert without and scr.count < len(want)  # sessions the episode table cannot reach are here
        text = screen_text(app)
        assert f"{len(want)} sessions" in text and "⚑ push" in text
        # open a session with no episode: its transcript
        target = without[0]
        screen.table.move_to(screen.table.rows.index(target))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.loaded, "transcript")
        assert app.screen.session_key == target.key and app.screen.detail is None
        assert app.screen.n_turns == target.n_turns
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back to the sessions")
        await pilot.press("s")  # sort by the next column (agent), then most turns first …
        assert screen.sort != "time"
    app.corpus.close()


async def test_session_level_filters_apply(raw_corpus):
    agent = "Codex CLI"
    app = make_app(raw_corpus, filters=Filters.parse([f"agent={agent}"]))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen) and app.screen.loaded, "sessions")
        rows = app.screen.all_rows
        assert rows and all(r.agent == agent for r in rows)
        assert len(rows) == len([s for s in sessions_overview(app.corpus) if s.agent == agent])
    app.corpus.close()


async def test_label_facets_without_values_are_hidden(raw_corpus):
    app = make_app(raw_corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        fl = browse_screen(app).facet_list
        axes = {it.axis for it in fl.items if it.kind == "axis"}
        assert {"symptom", "cause", "severity", "tier", "resolver"}.isdisjoint(axes)  # no wall of zeros
        assert {"agent", "repo", "signal"} <= axes
        # … and the table leaves out label columns that would only show "—"
        shown = {c.sort for c in browse_screen(app).table.shown_columns}
        assert {"symptoms", "causes", "severity", "resolution"}.isdisjoint(shown) and "agent" in shown
    app.corpus.close()


async def test_footer_fits_80_columns(raw_corpus):
    app = make_app(raw_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).split("\n")[-1]
        assert "? Help" in footer and "^p Commands" in footer and "c Charts" in footer  # nothing cut
    app.corpus.close()
