"""Codex CLI rollout parser on fixtures: mirrored messages, tool calls, aborts, injected context, bad lines."""

from datetime import datetime
from pathlib import Path

import pytest

from misalign_tui.data.building.transcripts.codex import parse_codex
from misalign_tui.data.building.transcripts.model import (AUTO, COMMAND, INTERRUPT, TEXT, THINKING, TOOL_CALL,
                                                          TOOL_RESULT)
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.turns import merge_turns

DIR = Path(__file__).parent / "fixtures" / "transcripts" / "codex"
NEW = DIR / "rollout-2025-09-25T01-20-00-0199a213-81c0-7800-8aa1-bbab2a035a53.jsonl"
LEGACY = DIR / "rollout-2025-05-01T10-00-00-5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl"


def turns(t):
    return merge_turns([(m.role, m.text) for m in t.messages])


@pytest.fixture(scope="module")
def t():
    return parse_codex(NEW)


def test_session_fields(t):
    assert (t.format, t.session_id) == ("codex", "0199a213-81c0-7800-8aa1-bbab2a035a53")
    assert (t.agent, t.platform, t.model, t.project) == ("Codex CLI", "CLI", "gpt-5-codex", "api")
    assert t.started_at == datetime(2025, 9, 25, 1, 20)
    assert t.title == "add input validation to the signup endpoint"
    assert t.lines_read == 30


def test_each_visible_message_once(t):
    got = [(m.role, m.kind) for m in t.messages]
    assert got == [
        ("agent", AUTO), ("agent", AUTO), ("user", TEXT), ("agent", THINKING),
        ("agent", TOOL_CALL), ("agent", TOOL_RESULT), ("agent", TOOL_CALL), ("agent", TOOL_RESULT),
        ("agent", TOOL_CALL), ("agent", TOOL_RESULT), ("agent", TOOL_CALL), ("agent", TOOL_RESULT),
        ("agent", TEXT), ("user", TEXT), ("user", INTERRUPT), ("user", TEXT), ("agent", TEXT),
    ]
    texts = [m.text for m in t.messages if m.kind == TEXT]
    assert texts == ["add input validation to the signup endpoint", "Added validation; one test still fails.",
                     "continue", "continue", "All tests pass now."]
    assert [x.role for x in turns(t)] == ["AGENT", "USER", "AGENT", "USER", "AGENT"]


def test_tools(t):
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert [(c.tool_name, c.tool_input) for c in calls] == [
        ("shell", "rg -n signup"), ("shell", "pytest -q"), ("apply_patch", "*** Update File: api/signup.py"),
        ("local_shell", "git status")]
    results = [m for m in t.messages if m.kind == TOOL_RESULT]
    assert [(r.tool_name, r.is_error) for r in results] == [
        ("shell", False), ("shell", True), ("apply_patch", False), ("local_shell", True)]
    assert results[0].text == "api/signup.py:3:def signup"
    assert all(m.role == "agent" and m.model == "gpt-5-codex" for m in calls + results)


def test_abort_and_injected_context(t):
    intr = [m for m in t.messages if m.kind == INTERRUPT]
    assert len(intr) == 1 and intr[0].role == "user" and intr[0].text == "[turn aborted: interrupted]"
    assert intr[0].ts == datetime(2025, 9, 25, 1, 20, 13)
    injected = [m for m in t.messages if m.kind == AUTO]  # not typed by the developer: agent side
    assert injected[0].text.startswith("<user_instructions>") and injected[1].text.startswith("<environment_context>")
    assert all(m.role == "agent" for m in injected)


def test_skips(t):
    assert dict(t.skipped) == {"malformed JSON": 1, "truncated last line": 1,
                               "unknown type: brand_new_line_type": 1, "unknown response_item: hologram_call": 1}


def test_legacy_rollout():
    t = parse_codex(LEGACY)
    assert t.session_id == "5973b6c0-94b8-487b-a530-2aeb6098ae0e"
    assert t.started_at == datetime(2025, 5, 1, 10)
    assert t.project == "old"  # from the injected <environment_context>
    assert [(m.role, m.kind) for m in t.messages] == [
        ("agent", AUTO), ("user", TEXT), ("agent", TOOL_CALL), ("agent", TOOL_RESULT), ("agent", TEXT),
        ("user", TEXT)]
    assert [x.role for x in turns(t)] == ["AGENT", "USER", "AGENT", "USER"]
    assert t.messages[2].tool_input == "sed -i s/foo/bar/ x.py"
    assert not t.messages[3].is_error
    assert not t.skipped


def test_event_only_rollout_and_start_from_file_name(tmp_path):
    f = tmp_path / "rollout-2025-01-02T03-04-05-0199a213-81c0-7800-8aa1-000000000000.jsonl"
    f.write_text('{"type":"event_msg","payload":{"type":"user_message","message":"hi"}}\n'
                 '{"type":"event_msg","payload":{"type":"agent_message","message":"hello"}}\n'
                 '{"type":"event_msg","payload":{"type":"turn_aborted","reason":"interrupted"}}\n'
                 '{"type":"response_item","payload":{"type":"message","role":"user","content":'
                 '[{"type":"input_text","text":"<turn_aborted>\\nThe user interrupted.\\n</turn_aborted>"}]}}\n',
                 encoding="utf-8")
    t = parse_codex(f)
    assert [(m.role, m.kind, m.text) for m in t.messages] == [
        ("user", TEXT, "hi"), ("agent", TEXT, "hello"), ("user", INTERRUPT, "[turn aborted: interrupted]")]
    assert t.started_at == datetime(2025, 1, 2, 3, 4, 5)
    assert t.session_id == "0199a213-81c0-7800-8aa1-000000000000"


def test_nul_byte_and_unreadable(tmp_path):
    f = tmp_path / "rollout-x.jsonl"
    f.write_bytes(b'{"type":"event_msg","payload":{"type":"user_message","message":"a\x00b"}}\n'
                  b'{"type":"event_msg","payload":{"type":"user_message","message":"ok"}}\n')
    t = parse_codex(f)
    assert dict(t.skipped) == {"NUL byte": 1} and [m.text for m in t.messages] == ["ok"]
    with pytest.raises(CorpusError, match="gone.jsonl"):
        parse_codex(tmp_path / "gone.jsonl")


def test_html_typed_by_the_developer_is_not_injected_context(tmp_path):
    f = tmp_path / "rollout-y.jsonl"
    f.write_text('{"type":"response_item","payload":{"type":"message","role":"user","content":'
                 '[{"type":"input_text","text":"<template>\\n<div/>\\n</template>"}]}}\n'
                 '{"type":"response_item","payload":{"type":"message","role":"user","content":'
                 '[{"type":"input_text","text":"<user_shell_command>ls</user_shell_command>"}]}}\n'
                 '{"type":"response_item","payload":{"type":"message","role":"developer","content":'
                 '[{"type":"input_text","text":"<permissions instructions>x</permissions instructions>"}]}}\n',
                 encoding="utf-8")
    t = parse_codex(f)
    assert [(m.role, m.kind) for m in t.messages] == [("user", TEXT), ("user", COMMAND)]
