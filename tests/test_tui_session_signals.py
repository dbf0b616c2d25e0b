"""Detected signals (turn_signals) in the Session screen: markers, header counts, p/P and f/F jumps."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.session import SessionScreen, load_session_data
from misalign_tui.tui.session.model import Block
from misalign_tui.tui.session.signals import COMPACT, SHORT, attach_signals, counts_text, signal_counts, signal_text
from tests.test_tui_session_support import SessionApp, block_of, opened

SID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
KEY = f"claude-code/fetch/{SID}"


def claude_records() -> list[dict]:
    """A Claude Code session: a failing tool call (turn 2), "No, stop. Revert that." (turn 3), the same
    tool call three times (turn 4, a loop)."""
    out, prev, tool_no = [], [None], [0]

    def rec(kind: str, content) -> dict:
        uid = f"m{len(out) + 1}"
        r = {"parentUuid": prev[0], "isSidechain": False, "userType": "external", "cwd": "/home/dev/fetch",
             "sessionId": SID, "version": "2.0.14", "type": kind, "uuid": uid,
             "timestamp": f"2025-10-21T03:{len(out) + 1:02d}:00.000Z",
             "message": {"role": "user" if kind == "user" else "assistant", "content": content}}
        prev[0] = uid
        out.append(r)
        return r

    def tool(name, inp):
        tool_no[0] += 1
        return {"type": "tool_use", "id": f"toolu_{tool_no[0]}", "name": name, "input": inp}

    def result(err, text):
        return [{"tool_use_id": f"toolu_{tool_no[0]}", "type": "tool_result", "is_error": err, "content": text}]

    rec("user", "Please add a retry to the fetch helper.")
    rec("assistant", [{"type": "text", "text": "Running the tests first."}, tool("Bash", {"command": "pytest -q"})])
    rec("user", result(True, "Error: no such file or directory: tests/test_fetch.py"))
    rec("assistant", [{"type": "text", "text": "I rewrote the whole fetch module instead."}])
    rec("user", "No, stop. Revert that.")
    for _ in range(3):
        rec("assistant", [tool("Bash", {"command": "git checkout src/fetch.py"})])
        rec("user", result(False, "ok"))
    rec("assistant", [{"type": "text", "text": "Reverted."}])
    rec("user", "thanks")
    return out


@pytest.fixture(scope="module")
def signals_corpus_path(tmp_path_factory) -> Path:
    from misalign_tui.data.building.importer import run_import

    root = tmp_path_factory.mktemp("signals")
    folder = root / "claude" / "-home-dev-fetch"
    folder.mkdir(parents=True)
    (folder / f"{SID}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in claude_records()), encoding="utf-8")
    out = root / "signals.duckdb"
    run_import([str(root / "claude")], out)
    return out


@pytest.fixture
def corpus(signals_corpus_path):
    c = Corpus.open(signals_corpus_path)
    yield c
    c.close()


def header_line(screen: SessionScreen, turn_no: int) -> str:
    return screen.view.block_lines(block_of(screen, turn_no))[0]


# ----- the fixture transcript --------------------------------------------------------------------
def test_fixture_has_every_kind(corpus):
    rows = corpus.run("session_signals", {"session_no": 1})
    assert [(t, k) for t, k, _, _ in rows] == [(2, "tool_failure"), (3, "pushback"), (4, "loop")]
    assert corpus.turns(1)[2].text == "No, stop. Revert that."


async def test_markers_on_flagged_turns(corpus):
    app = SessionApp(corpus, KEY)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await opened(pilot)
        assert screen.current_turn == 3  # the candidate episode's pushback
        h3 = header_line(screen, 3)
        assert "▶ PUSHBACK" in h3 and "TURN 3 | USER" in h3  # the annotation mark stays
        assert "⚑ candidate pushback: opens with no: “No, stop”" in h3
        assert "✗ tool failure: tool call failed" in header_line(screen, 2)
        assert "↻ loop: repeats the same action: Bash git checkout src/fetch.py" in header_line(screen, 4)
        assert "⚑" not in header_line(screen, 1) and "✗" not in header_line(screen, 5)
        # each kind has its own style (glyph + words + colour)
        view = screen.view
        strip = view.line_strip(view.block_start(block_of(screen, 3)))
        [seg] = [s for s in strip if s.text.startswith("⚑")]
        assert seg.style == view.get_component_rich_style("transcript--signal-pushback") and seg.style.bold
        styles = {view.get_component_rich_style(f"transcript--signal-{k}") for k in ("pushback", "failure", "loop")}
        assert len(styles) == 3
        # the header counts them
        header = str(screen.query_one("#session-header").render())
        assert "⚑ 1 candidate pushback · ✗ 1 tool failure · ↻ 1 loop" in header


async def test_p_and_f_jump_to_detected_signals(corpus):
    app = SessionApp(corpus, KEY)
    async with app.run_test(size=(100, 12)) as pilot:
        screen = await opened(pilot)
        await pilot.press("g")
        assert screen.current_turn == 1
        await pilot.press("p")
        assert screen.current_turn == 3 and screen.view.scroll_y == screen.view.block_start(block_of(screen, 3))
        await pilot.press("p")  # no later one: stays, says so
        assert screen.current_turn == 3
        await pilot.press("g", "f")
        assert screen.current_turn == 2
        await pilot.press("f")
        assert screen.current_turn == 4
        await pilot.press("F")
        assert screen.current_turn == 2
        await pilot.press("G", "P")
        assert screen.current_turn == 3
        assert screen.signal_turns("pushback") == [3] and screen.signal_turns("loop") == [4]


async def test_signals_loaded_in_the_load_worker_with_one_query(corpus, monkeypatch):
    calls = []
    run = Corpus.run

    def spy(self, name, params=None):
        calls.append((name, threading.current_thread() is threading.main_thread()))
        return run(self, name, params)

    monkeypatch.setattr(Corpus, "run", spy)
    app = SessionApp(corpus, KEY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        assert [c for c in calls if c[0] == "session_signals"] == [("session_signals", False)]
        assert [b.turn_no for b in screen.turn_blocks if b.signals] == [2, 3, 4]


def test_load_session_data_attaches_signals(corpus):
    data = load_session_data(corpus, KEY)
    assert [(r[0], r[1]) for r in data.signals] == [(2, "tool_failure"), (3, "pushback"), (4, "loop")]
    by_no = {b.turn_no: b for b in data.turns}
    assert by_no[3].signals == (("pushback", "opens with no: “No, stop”"),)


# ----- the sample corpus ---------------------------------------------------------------------
async def test_sample_session_markers_counts_and_episode_switch(sample):
    cur = sample.cursor()
    sno, key, n_push = cur.execute("""
        SELECT s.session_no, s.session_key, count(*) FILTER (WHERE g.kind = 'pushback')
        FROM sessions s JOIN turn_signals g USING (session_no)
        WHERE s.n_turns IS NOT NULL AND s.n_episodes >= 2
        GROUP BY ALL HAVING count(*) FILTER (WHERE g.kind = 'pushback') >= 2
        ORDER BY s.session_no LIMIT 1""").fetchone()
    expected = dict(cur.execute("SELECT kind, count(DISTINCT turn_no) FROM turn_signals WHERE session_no = ? "
                                "GROUP BY kind", [sno]).fetchall())
    first_pb = cur.execute("SELECT min(turn_no) FROM turn_signals WHERE session_no = ? AND kind = 'pushback'",
                           [sno]).fetchone()[0]
    app = SessionApp(sample, key)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await opened(pilot)
        assert signal_counts(screen.turn_blocks) == {k: expected.get(k, 0) for k in ("pushback", "tool_failure",
                                                                                     "loop")}
        header = str(screen.query_one("#session-header").render())
        assert counts_text(signal_counts(screen.turn_blocks)) in header
        await pilot.press("g", "p")
        assert screen.current_turn == first_pb
        assert "⚑ candidate pushback" in header_line(screen, first_pb)
        # the signals belong to the session: switching episode keeps them
        before = [(b.turn_no, b.signals) for b in screen.blocks if b.signals]
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        assert [(b.turn_no, b.signals) for b in screen.blocks if b.signals] == before


async def test_long_cues_are_shortened_to_fit(sample):
    cur = sample.cursor()
    key, turn = cur.execute("""
        SELECT s.session_key, g.turn_no FROM turn_signals g JOIN sessions s USING (session_no)
        WHERE g.kind = 'pushback' ORDER BY length(g.cue) DESC, s.session_no LIMIT 1""").fetchone()
    app = SessionApp(sample, key)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await opened(pilot)
        line = header_line(screen, turn)
        assert len(line) <= 60 and "⚑ candidate pushback" in line and f"TURN {turn} |" in line


# ----- helpers ---------------------------------------------------------------------------------
def test_attach_signals_keeps_the_strongest_cue_and_cleans_it():
    blocks = [Block("turn", "x", 1, "USER"), Block("turn", "y", 2, "AGENT")]
    attach_signals(blocks, [(1, "pushback", "weak", 0.5), (1, "pushback", "strong \x1b[2J", 0.9),
                            (2, "loop", "again", 1.0), (2, "tool_failure", "failed", 1.0), (9, "loop", "gone", 1.0)])
    assert blocks[0].signals == (("pushback", "strong ␛[2J"),)
    assert blocks[1].signals == (("tool_failure", "failed"), ("loop", "again"))
    assert signal_text("pushback", "opens with no") == "⚑ candidate pushback: opens with no"
    assert signal_text("tool_failure", "") == "✗ tool failure"
    assert signal_text("loop", "x") == "↻ loop: x"
    counts = {"pushback": 3, "tool_failure": 1, "loop": 0}
    assert counts_text(counts) == "⚑ 3 candidate pushback · ✗ 1 tool failure · ↻ 0 loops"
    assert counts_text(counts, SHORT) == "detected: ⚑ 3 pushback · ✗ 1 failure · ↻ 0 loops"
    assert counts_text(counts, COMPACT) == "detected ⚑ 3 ✗ 1 ↻ 0"


def test_signal_keys_do_not_clash():
    by_key: dict[str, list[str]] = {}
    for b in SessionScreen.BINDINGS:
        for k in b.key.split(","):
            by_key.setdefault(k, []).append(b.action)
    assert by_key["p"] == ["next_signal('pushback')"] and by_key["P"] == ["prev_signal('pushback')"]
    assert by_key["f"] == ["next_signal('failure')"] and by_key["F"] == ["prev_signal('failure')"]
    # n / N are shared on purpose: pushback without a search, the search's hits with one (check_action)
    assert sorted(by_key["n"]) == ["next_hit", "next_pushback"]
    assert all(len(v) == 1 for k, v in by_key.items() if k not in ("n", "N"))
