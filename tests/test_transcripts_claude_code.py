"""Claude Code JSONL parser on fixtures: tool results, interruptions, commands, sub-agents, bad lines."""

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from misalign_tui.data.building.transcripts.claude_code import parse_claude_code
from misalign_tui.data.building.transcripts.formats import parse_file
from misalign_tui.data.building.transcripts.model import (AUTO, COMMAND, INTERRUPT, SUMMARY, TEXT, THINKING,
                                                          TOOL_CALL, TOOL_RESULT)
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.turns import merge_turns

DIR = Path(__file__).parent / "fixtures" / "transcripts" / "claude" / "-home-dev-shop"
SID = "11111111-2222-4333-8444-555555555555"
SID2 = "22222222-3333-4444-8555-666666666666"


def turns(t):
    return merge_turns([(m.role, m.text) for m in t.messages])


@pytest.fixture(scope="module")
def parsed():
    return parse_claude_code(DIR / f"{SID}.jsonl")


def test_main_thread(parsed):
    t = parsed[0]
    assert (t.format, t.session_id, t.parent_session) == ("claude-code", SID, None)
    assert (t.agent, t.platform, t.model, t.project) == ("Claude Code", "CLI", "claude-sonnet-4-5-20250929", "shop")
    assert t.title == "Fix checkout total rounding"
    assert t.started_at == datetime(2025, 10, 21, 3, 20)
    assert t.lines_read == 28
    got = [(m.role, m.kind) for m in t.messages]
    assert got == [
        ("agent", SUMMARY), ("user", TEXT), ("agent", THINKING), ("agent", TEXT), ("agent", TOOL_CALL),
        ("agent", TOOL_RESULT), ("agent", TOOL_CALL), ("agent", TOOL_RESULT), ("user", INTERRUPT), ("user", TEXT),
        ("agent", TEXT), ("agent", SUMMARY), ("agent", AUTO), ("user", COMMAND), ("agent", AUTO),
        ("agent", TEXT), ("user", TEXT),
    ]  # the caveat and the command's output were generated, not typed: agent side; the /model command is typed
    tt = turns(t)
    assert [(x.turn_no, x.role) for x in tt] == [
        (1, "AGENT"), (2, "USER"), (3, "AGENT"), (4, "USER"), (5, "AGENT"), (6, "USER"), (7, "AGENT"), (8, "USER")]
    assert tt[5].text.startswith("<command-name>/model") and "Caveat" not in tt[5].text
    assert tt[3].text == "[Request interrupted by user for tool use]\n\nno! don't touch total.py, the bug is in cart.py"


def test_tool_calls_and_results(parsed):
    msgs = parsed[0].messages
    calls = [m for m in msgs if m.kind == TOOL_CALL]
    assert [(c.tool_name, c.tool_input) for c in calls] == [
        ("Bash", "grep -rn round src/"), ("Edit", "/home/dev/shop/src/total.py")]
    assert calls[0].text == "command: grep -rn round src/\ndescription: Find rounding"
    results = [m for m in msgs if m.kind == TOOL_RESULT]
    assert [(r.role, r.tool_name, r.is_error) for r in results] == [("agent", "Bash", False), ("agent", "Edit", True)]
    assert results[0].text == "src/total.py:12: round(x, 2)"
    assert "File has not been read yet" in results[1].text
    assert results[0].ts == datetime(2025, 10, 21, 3, 20, 5)


def test_models_and_synthetic(parsed):
    msgs = parsed[0].messages
    assert msgs[2].model == "claude-sonnet-4-5-20250929"
    synthetic = [m for m in msgs if m.text == "API Error: Overloaded"][0]
    assert synthetic.model is None and synthetic.role == "agent"


def test_skips_are_counted_never_raised(parsed):
    assert dict(parsed[0].skipped) == {
        "malformed JSON": 1, "NUL byte": 1, "truncated last line": 1, "unknown type: weird-new-thing": 1,
        "duplicate entry": 1,
        "not imported by design: file-history-snapshot entries (file snapshots)": 1,
        "not imported by design: system entries (status lines (turn duration, hook summaries, API errors))": 1,
    }


def test_sidechains_and_subagent_files_are_separate(parsed):
    subs = parsed[1:]
    assert [s.session_id for s in subs] == [
        f"{SID}:sidechain-1", f"{SID}:agent-a7f3", f"{SID}:agent-b2c4", f"{SID}:agent-c9d8"]
    assert all(s.parent_session == SID and s.project == "shop" for s in subs)
    assert [[x.role for x in turns(s)] for s in subs] == [["USER", "AGENT"]] * 4
    assert subs[0].messages[0].text == "Search cart.py for rounding"
    assert subs[2].path.endswith("agent-b2c4.jsonl")  # sibling agent-*.jsonl
    assert [m.kind for m in subs[2].messages] == [TEXT, TOOL_CALL, TOOL_RESULT, TEXT]
    assert subs[2].messages[2].is_error and subs[2].messages[2].tool_name == "Bash"
    assert subs[3].path.endswith(f"{SID}/subagents/agent-c9d8.jsonl")  # <session>/subagents/ layout
    main_texts = {m.text for m in parsed[0].messages}
    assert not main_texts & {"Search cart.py for rounding", "Run the test suite", "Summarise cart.py"}


def test_other_session_gets_only_its_own_agents():
    res = parse_claude_code(DIR / f"{SID2}.jsonl")
    assert [t.session_id for t in res] == [SID2, f"{SID2}:agent-ffff"]
    assert res[0].project == "shop"  # no cwd: from the projects/<dir> name -home-dev-shop
    assert res[0].model == "claude-opus-4-1-20250805"
    assert res[0].started_at == datetime(2025, 10, 22, 9)


def test_parse_file_does_not_import_subagents_twice():
    assert parse_file(DIR / "agent-b2c4.jsonl") == []
    assert parse_file(DIR / SID / "subagents" / "agent-c9d8.jsonl") == []
    assert len(parse_file(DIR / f"{SID}.jsonl")) == 5
    orphan = parse_file(DIR.parent / "orphans" / "agent-0001.jsonl")
    assert len(orphan) == 1
    assert orphan[0].parent_session == "99999999-0000-4000-8000-000000000000"
    assert orphan[0].project == "lost"


def test_subagent_file_parsed_directly():
    res = parse_claude_code(DIR / "agent-b2c4.jsonl")
    assert len(res) == 1 and res[0].parent_session == SID and res[0].session_id == f"{SID}:agent-b2c4"


def test_unreadable_file_raises_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="nope.jsonl"):
        parse_claude_code(tmp_path / "nope.jsonl")
    d = tmp_path / "dir.jsonl"
    d.mkdir()
    with pytest.raises(CorpusError, match="dir.jsonl"):
        parse_claude_code(d)


def test_garbage_never_raises(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_bytes(b'\xff\xfe garbage\n[1,2]\n"str"\n{"type":"user","message":"plain string"}\n\n{"type": 5}\n')
    t = parse_claude_code(f)[0]
    assert dict(t.skipped) == {"malformed JSON": 1, "not a JSON object": 2, "unknown type: 5": 1}
    assert [(m.role, m.text) for m in t.messages] == [("user", "plain string")]


def test_copy_elsewhere_without_siblings(tmp_path):
    shutil.copy(DIR / f"{SID}.jsonl", tmp_path / "x.jsonl")
    res = parse_claude_code(tmp_path / "x.jsonl")
    assert [t.session_id for t in res] == [SID, f"{SID}:sidechain-1", f"{SID}:agent-a7f3"]
