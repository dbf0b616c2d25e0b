"""Every parser over the real transcripts of every SpecStory layout in tests/fixtures/real/layouts."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from misalign_tui.data.building.transcripts import detect_format, parse_file, parse_specstory
from misalign_tui.data.building.transcripts.model import (AUTO, COMMAND, INTERRUPT, SUMMARY, TEXT, THINKING, TOOL_CALL,
                                                 TOOL_RESULT)
from misalign_tui.data.turns import merge_turns

from .conftest import DEVSET
from .conftest import TRANSCRIPTS as REF

KINDS = {TEXT, INTERRUPT, TOOL_CALL, TOOL_RESULT, THINKING, SUMMARY, COMMAND, AUTO}
MD = sorted(REF.glob("specstory-*/*.md"))
assert MD, REF


def one(pattern: str) -> Path:
    [p] = [p for p in MD if pattern in p.name]
    return p


def turns(t):
    return merge_turns([(m.role, m.text) for m in t.messages])


def user_turns(t):
    return [x.text for x in turns(t) if x.role == "USER"]


@pytest.mark.parametrize("path", MD, ids=lambda p: p.name[:60])
def test_every_specstory_file(path):
    assert detect_format(path, path.read_bytes()[:65536]) == "specstory"
    t = parse_specstory(path)
    assert parse_file(path)[0].messages == t.messages
    assert t.started_at is not None and t.agent and t.platform in ("IDE", "CLI")
    assert all(m.role in ("user", "agent") and m.kind in KINDS for m in t.messages)
    assert all(m.tool_name for m in t.messages if m.kind == TOOL_CALL)
    assert any(m.role == "user" for m in t.messages)
    # every role header of these files is a real header: count user headers outside nothing
    text = path.read_text(encoding="utf-8")
    n_user_headers = len(re.findall(r"^_\*\*User\b", text, re.M))
    from_user_headers = [m for m in t.messages if (m.role == "user" and not m.text.startswith("Answer: "))
                         or m.kind == AUTO or (m.kind == SUMMARY and m.text.startswith("This session is being"))]
    assert len(from_user_headers) == n_user_headers  # generated ones moved to the agent side (AUTO)


def test_pushback_is_a_user_message():
    t = parse_specstory(one("2026-02-16_13-04-52Z"))
    [m] = [m for m in t.messages if "NO! I'm undoing all that via git" in m.text]
    assert (m.role, m.kind) == ("user", TEXT)
    assert m.ts == datetime(2026, 2, 16, 13, 8, 53)
    assert [m.kind for m in t.messages if m.role == "user"].count(INTERRUPT) == 1
    assert len(user_turns(t)) == 5  # the interrupt and the next user header merge into one turn
    assert (t.agent, t.platform, t.model) == ("Claude Code", "CLI", "claude-opus-4-6")
    assert t.session_id == "27b2d997-2ec8-40b7-a0bb-4d90a92e3dc9"
    assert t.started_at == datetime(2026, 2, 16, 13, 6, 40)
    assert sum(m.kind == TOOL_CALL for m in t.messages) == 26
    assert sum(m.kind == THINKING for m in t.messages) == 6


@pytest.mark.parametrize("name,snippet", [
    ("2025-02-11_12-57", "so instead of reading the files i provided"),
    ("2025-02-11_17-37", 'nope, still "\\`\\`\\`"'),
    ("2025-03-07_02-27", "ok, so DO NOT TRY AND CHANGE THE imports / exports"),
])
def test_robin_collins_pushbacks(name, snippet):
    t = parse_specstory(one(name))
    hits = [m for m in t.messages if snippet in m.text]
    assert hits and all(m.role == "user" for m in hits)


def test_twin_exports_give_the_same_user_turns():
    early = parse_specstory(one("2025-02-11_12-57"))
    generated = parse_specstory(one("2025-02-11_02-27"))
    assert user_turns(early) == user_turns(generated) and len(user_turns(early)) == 2
    assert [x.role for x in turns(early)] == [x.role for x in turns(generated)]
    assert early.title == generated.title == "Checking Package References in Source Code"
    assert early.started_at == generated.started_at == datetime(2025, 2, 11, 12, 57, 24)


def test_fences_in_robin_collins_files_are_not_turns():
    t = parse_specstory(one("2025-02-11_17-37"))
    assert [x.role for x in turns(t)] == ["USER", "AGENT"] * 8
    assert turns(t)[-1].text == ""  # the trailing empty assistant block
    debug = parse_specstory(one("2025-03-07_02-27"))
    assert len(user_turns(debug)) == 5
    assert sum(m.kind == TOOL_CALL for m in debug.messages) >= 20


def test_markdown_v2_cursor_files():
    t = parse_specstory(one("kevinslin"))
    assert (t.agent, t.model, t.started_at) == ("Cursor IDE", "gpt-5-codex", datetime(2025, 11, 6, 15, 7))
    assert t.messages[0].ts == datetime(2025, 11, 6, 10, 6)
    assert [x.role for x in turns(t)] == ["USER", "AGENT"]
    assert sum(m.kind == TOOL_CALL for m in t.messages) == 23 and sum(m.kind == THINKING for m in t.messages) == 23
    t = parse_specstory(one("2025-06-30_12-46-48Z"))
    assert (t.agent, t.platform, t.model) == ("Cursor IDE", "IDE", "claude-4-sonnet")
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert [c.tool_name for c in calls] == ["read_file", "read_file", "search_replace", "search_replace"]
    assert "`json:\"agentName\"`" in calls[2].text  # &#96; unescaped


def test_command_only_session():
    t = parse_specstory(one("2026-01-16_16-46-41Z"))
    assert [(m.role, m.kind) for m in t.messages] == [("user", COMMAND), ("agent", AUTO), ("agent", AUTO)]
    assert len(turns(t)) == 2 and (t.agent, t.platform) == ("Claude Code", "CLI")


def test_gemini_cli_yields_tool_calls():
    t = parse_specstory(one("2026-06-18_15-52-09Z"))
    assert (t.agent, t.platform, t.model) == ("Gemini CLI", "CLI", None)
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert len(calls) == 29 and {c.tool_name for c in calls} == {"exec_command"}
    assert calls[0].tool_input == "rg --files docs/git-provenance"
    assert len(user_turns(t)) == 4 and turns(t)[0].role == "AGENT"


def test_codex_cli_markdown():
    t = parse_specstory(one("2026-08-03_21-15-01Z"))
    assert (t.agent, t.platform, t.model) == ("Codex CLI", "CLI", "gpt-5.6-sol")
    assert [x.role for x in turns(t)] == ["USER", "AGENT"]
    assert sum(m.kind == TOOL_CALL for m in t.messages) == 8


# ----- the dev set: whole real sessions of every format ------------------------------------------------
DEV = sorted(p for p in DEVSET.glob("*/*") if p.name != "SOURCES.md")
FORMAT_OF_FOLDER = {"specstory": "specstory", "claude-code": "claude-code", "codex": "codex"}


@pytest.mark.parametrize("path", DEV, ids=lambda p: f"{p.parent.name}/{p.name[:50]}")
def test_every_dev_set_file_parses(path):
    assert detect_format(path, path.read_bytes()[:65536]) == FORMAT_OF_FOLDER[path.parent.name]
    sessions = [t for t in parse_file(path) if t.messages]
    assert sessions and all(t.started_at is not None and t.agent for t in sessions)
    main = [t for t in sessions if not t.parent_session]
    assert any(m.role == "user" for t in main for m in t.messages)
    assert all(m.role in ("user", "agent") and m.kind in KINDS for t in sessions for m in t.messages)


def test_role_timestamp_layout_from_vs_code():
    [p] = [p for p in DEV if "gryag__2025-10-08_09-44Z" in p.name]
    t = parse_specstory(p)
    assert (t.agent, t.platform) == ("Copilot IDE", "IDE")
    assert all(m.ts is not None for m in t.messages if m.role == "user")
