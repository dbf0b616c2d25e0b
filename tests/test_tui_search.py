"""The full-text search screen: same hits as Searcher and the CLI, modes, human-only, errors, safety,
opening a hit in the Session screen and stepping through the query's hits there."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from textual.binding import Binding

from misalign_tui.cli import main as cli_main
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.reading.search import HL_END, HL_START, Hit, Searcher
from misalign_tui.tui.search_results import HitList, scope_text, snippet_text
from misalign_tui.tui.search_screen import SEARCH_LIMIT, SearchScreen
from misalign_tui.tui.session import SessionScreen
from misalign_tui.tui.session.hits import SearchContext, match_pattern, match_spans
from tests.test_tui_browse_support import DEADLINE
from tests.test_tui_session_support import BlankApp, build, corpus  # noqa: F401


class SearchApp(BlankApp):
    """The explorer with the search screen pushed on a blank screen (``searcher``: the one to search with)."""

    def __init__(self, corpus: Corpus, filters: Filters | None = None, searcher: Searcher | None = None, **kw):
        super().__init__(corpus)
        self.services.full_text = searcher
        self.filters = filters
        self.kw = kw

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.services, self.filters, **self.kw))


async def settle(pilot, screen: SearchScreen) -> None:
    """Wait for the debounce timer and the search worker."""
    async def idle() -> bool:
        await pilot.app.workers.wait_for_complete()
        return not screen.searching and screen._timer is None

    deadline = time.monotonic() + DEADLINE
    await pilot.pause()  # the input's change message starts the debounce timer
    while not await idle():
        assert time.monotonic() < deadline, "the search did not finish"
        await pilot.pause(0.02)


async def type_query(pilot, text: str) -> None:
    for ch in text:
        await pilot.press({" ": "space", '"': "quotation_mark", "*": "asterisk"}.get(ch, ch))


def cli_hits(capsys, path: Path, query: str, *extra: str) -> list[dict]:
    capsys.readouterr()
    assert cli_main(["search", str(path), query, "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def as_dicts(hits: list[Hit]) -> list[dict]:
    return [h.__dict__ for h in hits]


async def opened_session(pilot) -> SessionScreen:
    for _ in range(200):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, SessionScreen) and screen.loaded:
            await pilot.pause()
            return screen
    raise AssertionError("the session screen did not load")


# ----- same hits as the library and the CLI ----------------------------------------------------
@pytest.mark.parametrize("query,mode,human,filters", [
    ("revert", "ranked", False, []),
    ("revert", "ranked", True, ["symptom=S3"]),
    ("why did you", "ranked", False, ["platform=CLI"]),
    ("not what i asked", "substring", False, []),
    ("stop|revert", "regex", True, ["symptom=S3,S7"]),
])
async def test_hits_equal_searcher_and_cli(sample, sample_corpus, capsys, query, mode, human, filters):
    f = sample.parse_filters(filters)
    app = SearchApp(sample, f, mode=mode, human_only=human)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        await type_query(pilot, query)
        await settle(pilot, screen)
        assert screen.request.text == query and screen.error is None
        expected = Searcher(sample).search(query, f, human_only=human, mode=mode, limit=SEARCH_LIMIT)
        assert expected, "the case needs hits"
        assert screen.hits == expected
        # the list shows every hit; the status says how many, the mode and the scope
        assert screen.results.option_count == len(expected)
        status = screen.status_text
        assert status.startswith(f"{len(expected)} hit") and f" · {mode}" in status
        assert ("human turns only" in status) == human
        assert status.endswith(scope_text(f))
        shown = as_dicts(screen.hits)
    # (the CLI prints to stdout, which the running app captures: ask it once the app is closed)
    extra = [x for spec in filters for x in ("--filter", spec)] + ["--mode", mode]
    if human:
        extra.append("--human-only")
    assert shown == cli_hits(capsys, sample_corpus, query, *extra, "--limit", str(SEARCH_LIMIT))
    # the CLI's default limit (50) lists the first 50 of the same hits
    assert shown[:50] == cli_hits(capsys, sample_corpus, query, *extra)


async def test_status_describes_scope(sample):
    f = sample.parse_filters(["symptom=S3,S7"])
    app = SearchApp(sample, f, query="revert", human_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await settle(pilot, screen)
        n = len(screen.hits)
        assert screen.status_text == (f"{n} hits · ranked · human turns only · scope: symptom ∈ {{S3, S7}} · "
                                      "validation = VALID (default)")
    assert scope_text(Filters()) == "scope: all sessions"
    assert scope_text(Filters.parse(["platform=CLI"])) == "scope: platform = CLI"  # sessions: no validation scope
    assert scope_text(Filters().with_text("x")) == "scope: all sessions (the list's text filter does not apply)"


async def test_human_only_switch_changes_hits(sample):
    app = SearchApp(sample, None)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        await type_query(pilot, "revert")
        await settle(pilot, screen)
        everyone = list(screen.hits)
        assert {h.role for h in everyone} - {"USER"}  # agent turns or episode texts too
        await pilot.press("ctrl+u")  # priority: works while the query input has focus
        await settle(pilot, screen)
        assert screen.human_only and screen.query_input.value == "revert"
        assert screen.hits == Searcher(sample).search("revert", human_only=True, limit=SEARCH_LIMIT)
        assert screen.hits != everyone and {h.role for h in screen.hits} == {"USER"}
        assert "☑ human turns only" in str(screen.query_one("#search-options").render())
        await pilot.press("ctrl+u")
        await settle(pilot, screen)
        assert not screen.human_only and screen.hits == everyone


async def test_mode_cycles_with_ctrl_r(sample):
    app = SearchApp(sample, None)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        await type_query(pilot, "revert th")
        await settle(pilot, screen)
        assert screen.mode == "ranked"
        await pilot.press("ctrl+r")
        await settle(pilot, screen)
        assert screen.mode == "substring" and "◉ substring" in str(screen.query_one("#search-options").render())
        assert screen.hits == Searcher(sample).search("revert th", mode="substring", limit=SEARCH_LIMIT)
        assert all("revert th" in h.snippet.replace(HL_START, "").replace(HL_END, "").lower() for h in screen.hits)
        await pilot.press("ctrl+r", "ctrl+r")
        await settle(pilot, screen)
        assert screen.mode == "ranked"


async def test_invalid_regex_and_empty_query_are_messages(sample):
    app = SearchApp(sample, None, mode="regex")
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        assert "Type to search" in screen.status_text
        await type_query(pilot, "stop(")
        await settle(pilot, screen)
        assert screen.hits == [] and screen.error and "invalid regular expression" in screen.error
        assert screen.status_text.startswith("⚠ invalid regular expression")
        await pilot.press("backspace")
        await settle(pilot, screen)
        assert screen.error is None and screen.hits
        await pilot.press("ctrl+r")  # -> ranked: a query without words is a message too
        screen.query_input.value = "(("
        await settle(pilot, screen)
        assert screen.mode == "ranked" and "no words to search for" in screen.error
        screen.query_input.value = ""
        await settle(pilot, screen)
        assert screen.error is None and screen.hits == [] and "Type to search" in screen.status_text
        assert isinstance(app.screen, SearchScreen)  # still up


async def test_debounce_and_stale_results_dropped(sample, monkeypatch):
    from misalign_tui.tui import search_screen

    monkeypatch.setattr(search_screen, "DEBOUNCE", 3600)  # the quiet period never ends by itself here
    app = SearchApp(sample, None)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        await type_query(pilot, "rev")
        first = screen._timer
        assert first is not None and screen.request is None  # debounced: nothing ran yet
        await type_query(pilot, "ert")
        assert screen._timer is not first and screen.request is None  # each key restarts the quiet period
        screen._timer.stop()
        screen._debounced()  # the quiet period ends (what the timer would call)
        await settle(pilot, screen)
        assert screen.request.text == "revert"
        good = list(screen.hits)
        stale = screen._gen - 1
        screen.post_message(SearchScreen.Done(stale, screen.request.__class__("x", "ranked", False), []))
        await pilot.pause()
        assert screen.hits == good


async def test_snippets_render_literally(corpus):
    app = SearchApp(corpus, None, query="bold red")
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        await settle(pilot, screen)
        [hit] = [h for h in screen.hits if h.session_key == build.ESC and h.turn_no is not None]
        assert hit.turn_no == 3
        i = screen.hits.index(hit)
        prompt = screen.results.get_option_at_index(i).prompt
        text = prompt.plain
        assert "␛[2J" in text and "[«bold» «red»]x[/]" in text and "␛]52;c;aGVsbG8=␇" in text
        assert "\x1b" not in text and "\x07" not in text
        # the emphasis is a style on the «» glyphs and the match, never colour alone
        spans = [prompt.plain[s.start:s.end] for s in prompt.spans if prompt.plain[s.start:s.end].startswith("«")]
        assert spans == ["«bold»", "«red»"]
        style = screen.results.get_component_rich_style("hit-list--match")
        assert style.bold and style.underline
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x07" not in svg and "aGVsbG8=" in svg


def test_snippet_text_cleans_then_marks():
    t = snippet_text(f"a \x1b[2J {HL_START}[bold]x[/]{HL_END}\nb\x07", "bold underline")
    assert t.plain == "a ␛[2J «[bold]x[/]» b␇"
    [span] = t.spans
    assert t.plain[span.start:span.end] == "«[bold]x[/]»" and span.style == "bold underline"


# ----- opening hits ---------------------------------------------------------------------------
async def test_enter_opens_hit_and_n_steps_through_hits(corpus):
    app = SearchApp(corpus, None)
    async with app.run_test(size=(110, 34)) as pilot:
        search = app.screen
        await type_query(pilot, "the migrations folder")
        await pilot.press("enter")  # runs now, then focuses the results
        await settle(pilot, search)
        big = [h for h in search.hits if h.session_key == build.BIG and h.turn_no is not None]
        assert [h.turn_no for h in big] and search.results.has_focus
        target = min(big, key=lambda h: h.turn_no)  # the earliest hit turn of the session
        idx = search.hits.index(target)
        search.results.highlighted = idx
        await pilot.press("enter")
        session = await opened_session(pilot)
        turns = sorted(h.turn_no for h in big)
        assert session.search == SearchContext("the migrations folder", "ranked", False, tuple(turns), target.turn_no)
        assert session.current_turn == target.turn_no
        view = session.view
        assert view.scroll_y == view.block_start(session.hit_blocks()[0])
        assert "⌕ search hit" in view.line_text(round(view.scroll_y))
        assert session.hit_turns() == turns
        # the matches are emphasised in the turn text
        b = session.blocks[session.hit_blocks()[0]]
        assert {b.text[s:e].lower() for s, e in b.hits} == {"the", "migrations", "folder"}
        match_style = view.get_component_rich_style("transcript--match")
        strips = [view.line_strip(y) for y in range(view.block_start(session.hit_blocks()[0]),
                                                   view.block_start(session.hit_blocks()[0]) + 3)]
        emphasised = {seg.text for strip in strips for seg in strip
                      if seg.style and seg.style.bgcolor == match_style.bgcolor and seg.style.underline}
        assert {"the", "migrations", "folder"} <= emphasised
        assert match_style.underline and match_style.bold
        assert "⌕ hit 1/" in str(session.query_one("#session-status").render())
        # n / N step through this query's hits (not the episode's pushback)
        for t in turns[1:]:
            await pilot.press("n")
            assert session.current_turn == t
        await pilot.press("N")
        assert session.current_turn == (turns[-2] if len(turns) > 1 else turns[0])
        # the other keys still work: ] is the evidence, p the detected pushback
        await pilot.press("p")
        assert session.current_turn in session.signal_turns("pushback")
        # Esc: back to the results, query and cursor intact
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is search and search.query_input.value == "the migrations folder"
        assert search.results.highlighted == idx and search.hits[idx] == target


async def test_episode_text_hit_opens_episode_at_first_pushback(corpus):
    app = SearchApp(corpus, None, query="rewrote")
    async with app.run_test(size=(110, 34)) as pilot:
        search = app.screen
        await settle(pilot, search)
        [ep] = [i for i, h in enumerate(search.hits) if h.role == "EPISODE"]
        assert search.hits[ep].episode_key == f"{build.BIG}/M001"
        search.open_hit(ep)
        session = await opened_session(pilot)
        assert session.episode_key == f"{build.BIG}/M001" and session.current_turn == build.M1_PUSHBACK[0]
        await pilot.press("n")  # no turn hits in this session: n keeps stepping through the pushback
        assert session.current_turn == build.M1_PUSHBACK[1]


async def test_session_without_search_keeps_pushback_keys(corpus):
    class Host(BlankApp):
        def on_mount(self):
            self.push_screen(SessionScreen(self.services, f"{build.BIG}/M001"))

    app = Host(corpus)
    async with app.run_test(size=(110, 34)) as pilot:
        session = await opened_session(pilot)
        assert session.search is None and session.hit_blocks() == []
        await pilot.press("n")
        assert session.current_turn == build.M1_PUSHBACK[1]
        active = {k: ab.binding.action for k, ab in session.active_bindings.items()}
        assert active["n"] == "next_pushback"


def test_match_pattern_modes():
    text = "Don't touch the Migrations folder; migrations-folder is fine. Revert reverted."
    spans = match_spans(text, match_pattern('"migrations folder" NOT fine revert*', "ranked"))
    assert [text[a:b] for a, b in spans] == ["Migrations folder", "migrations-folder", "Revert", "reverted"]
    assert [text[a:b] for a, b in match_spans(text, match_pattern("don't", "ranked"))] == ["Don't"]
    assert [text[a:b] for a, b in match_spans(text, match_pattern("ns f", "substring"))] == ["ns f"]
    assert match_pattern(r"revert\w*", "regex") is None  # RE2 locates regex matches, never Python's re
    assert match_pattern("  ", "ranked") is None


def test_bindings_have_ids_and_descriptions():
    for cls in (SearchScreen, HitList):
        for b in cls.BINDINGS:
            assert isinstance(b, Binding) and b.id and b.description, b
    keys = {b.key for b in SearchScreen.BINDINGS}
    assert {"ctrl+r", "ctrl+u", "ctrl+f", "escape"} <= keys
    for b in SessionScreen.BINDINGS:
        assert b.id and b.description


async def test_typed_query_shows_the_searchers_hits(sample):
    """Typing a query in the screen gives the Searcher's hits (their timing is in misalign-tui bench)."""
    s = Searcher(sample)
    hits = s.search("revert the config", limit=SEARCH_LIMIT)
    assert hits and s.search("not what i asked", mode="substring", limit=SEARCH_LIMIT)
    app = SearchApp(sample, None, searcher=s)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        screen.query_input.value = "revert the config"
        await settle(pilot, screen)
        assert screen.hits == hits


# ----- snapshot ---------------------------------------------------------------------------------
async def _results_loaded(pilot):
    screen = pilot.app.screen
    await settle(pilot, screen)
    screen.results.focus()
    await pilot.pause()


def test_snapshot_search_results(snap_compare, session_corpus_path):
    c = Corpus.open(session_corpus_path)
    try:
        app = SearchApp(c, c.parse_filters(["symptom=S3"]), query="migrations")
        app.theme = "textual-dark"
        assert snap_compare(app, terminal_size=(100, 24), run_before=_results_loaded)
    finally:
        c.close()
