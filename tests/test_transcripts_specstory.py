"""SpecStory markdown parser: every layout, on small fixtures written for these tests."""

from datetime import datetime
from pathlib import Path

import pytest

from misalign_tui.data.building.transcripts.model import COMMAND, INTERRUPT, TEXT, THINKING, TOOL_CALL, TOOL_RESULT
from misalign_tui.data.building.transcripts.specstory import parse_specstory
from misalign_tui.data.turns import merge_turns

FIX = Path(__file__).parent / "fixtures" / "transcripts" / "specstory"


def parse(name):
    return parse_specstory(FIX / name)


def turns(t):
    return merge_turns([(m.role, m.text) for m in t.messages])


def roles(t):
    return [x.role for x in turns(t)]


def test_layout1_early_cursor():
    t = parse("2025-02-11_12-57-early-layout.md")
    assert t.format == "specstory"
    assert t.session_id == "2025-02-11_12-57-early-layout"
    assert t.title == "Fix the Crawler Config"
    assert t.started_at == datetime(2025, 2, 11, 17, 37, 33)  # 5:37:33 PM, US locale
    assert (t.agent, t.platform, t.model) == ("Cursor IDE", "IDE", None)
    tt = turns(t)
    assert [x.role for x in tt] == ["USER", "AGENT", "USER", "AGENT", "USER", "AGENT"]
    # the escaped empty headers continue the agent turn; the fenced _**User**_ is not a turn
    assert "Here is the fix" in tt[1].text and "_**User**_" in tt[1].text
    assert tt[2].text == ""  # empty user turn kept
    assert tt[4].text == "no, you changed the wrong file. ffs"
    assert tt[5].text == ""  # empty trailing assistant block still a turn
    assert not any("\\*\\*" in m.text for m in t.messages)  # escaped empty headers are not text
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert [(c.tool_name, c.tool_input) for c in calls] == [
        ("grep_search", 'Grep search for "onVisitPage" • **2** files'), ("read_file", "config.ts")]
    assert all(c.role == "agent" for c in calls)


def test_layout2_fenced_headers_and_unclosed_fence():
    t = parse("2025-03-07_02-27-generated-layout.md")
    assert t.title == "Debugging removeNodes Function"
    assert t.started_at == datetime(2025, 3, 7, 12, 57, 19)
    tt = turns(t)
    assert [x.role for x in tt] == ["USER", "AGENT", "USER", "AGENT"]
    assert "this header is inside a fence" in tt[0].text and "why are they parsed" in tt[0].text
    assert "still inside the four-tilde fence" in tt[1].text
    assert tt[2].text.startswith("ok, so DO NOT TRY")
    assert tt[3].text.endswith('must not swallow anything"')  # unclosed ``` at EOF stays text


def test_layout2_title_time_with_z():
    t = parse("2025-06-20_12-47Z-generated-z.md")
    assert t.title == "`sketch.js` is too large"
    assert t.started_at == datetime(2025, 6, 20, 12, 47)
    assert roles(t) == ["USER", "AGENT", "USER", "AGENT"]


def test_layout3_role_timestamps_copilot():
    t = parse("2025-10-01_23-30Z-role-timestamps.md")
    assert t.session_id == "5b8317dc-a417-46a3-80e5-e43a74992c4e"
    assert (t.agent, t.platform) == ("Copilot IDE", "IDE")
    assert t.started_at == datetime(2025, 10, 1, 23, 30)  # the session comment wins over turn times
    users = [m for m in t.messages if m.role == "user"]
    assert [m.ts for m in users] == [datetime(2025, 10, 1, 23, 31), datetime(2025, 10, 17, 21, 19)]
    assert [m.model for m in t.messages if m.role == "agent"] == ["claude-sonnet-4", "gpt-4.1"]
    assert t.model in ("claude-sonnet-4", "gpt-4.1")
    assert [x.text for x in turns(t) if x.role == "USER"] == ["task-master mark task 11.2 as done", "yes"]


def test_layout4_cursor_think_tool_use_unclosed_details():
    t = parse("2025-11-06_15-07Z-v2-cursor.md")
    assert t.session_id == "92bd395d-d234-43a4-a0cf-690c57d298f4"
    assert (t.agent, t.platform, t.model) == ("Cursor IDE", "IDE", "gpt-5-codex")
    assert t.title == "Fix ESLint configuration"
    tt = turns(t)
    # neither the unclosed <details> nor the unclosed <think> swallows the following turns
    assert [x.role for x in tt] == ["USER", "AGENT", "USER", "AGENT", "USER", "AGENT"]
    assert [x.text for x in tt if x.role == "USER"][1:] == ["why did you stop?", "hello?"]
    kinds = [m.kind for m in t.messages if m.role == "agent"]
    assert kinds.count(THINKING) == 2 and kinds.count(TOOL_CALL) == 3
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert calls[0].tool_name == "read_file" and calls[0].tool_input == "Read file: /code/skillz/tsconfig.json"
    assert calls[1].tool_name == "grep"
    assert calls[1].tool_input == "Grep for \"<tsconfigRootDir>\" in 'src'"  # HTML-unescaped
    assert calls[2].tool_name == "run_terminal_cmd"
    assert t.messages[-1].kind == TEXT and t.messages[-1].text == "ESLint now passes."
    think = [m for m in t.messages if m.kind == THINKING][0]
    assert think.text == "**Investigating ESLint and tsconfig setup**"
    assert all("<details>" not in m.text for m in t.messages if m.kind == THINKING)


def test_layout4_claude_code_interrupt_and_command():
    t = parse("2026-02-16_13-04-52Z-in-the-claude-code.md")
    assert t.session_id == "27b2d997-2ec8-40b7-a0bb-4d90a92e3dc9"
    assert (t.agent, t.platform, t.model) == ("Claude Code", "CLI", "claude-opus-4-6")
    assert t.started_at == datetime(2026, 2, 16, 13, 6, 40)
    assert t.title == "in the claude code"  # title line is only a time: the file-name slug
    users = [m for m in t.messages if m.role == "user"]
    assert [m.kind for m in users] == [TEXT, INTERRUPT, TEXT, COMMAND]
    assert users[2].text.startswith("NO! I'm undoing all that via git")
    tt = turns(t)
    assert [x.role for x in tt] == ["USER", "AGENT", "USER", "AGENT", "USER"]
    assert tt[2].text.startswith("[Request interrupted by user]\n\nNO!")
    edit = [m for m in t.messages if m.kind == TOOL_CALL][0]
    assert edit.tool_name == "Edit" and edit.tool_input is None  # only output in the block
    assert edit.ts == datetime(2026, 2, 16, 13, 6, 45)


def test_layout4_gemini_plain_tool_lines_and_nested_fences():
    t = parse("2026-06-18_15-52-09Z-v2-gemini.md")
    assert (t.agent, t.platform, t.model) == ("Gemini CLI", "CLI", None)
    tt = turns(t)
    assert [x.role for x in tt] == ["AGENT", "USER", "AGENT", "USER"]
    assert [x.text for x in tt if x.role == "USER"] == ["Read docs/RESEARCH.md and summarise it.", "thanks"]
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert [(c.tool_name, c.tool_input) for c in calls] == [
        ("exec_command", "sed -n '1,40p' docs/RESEARCH.md"), ("exec_command", "cat docs/RESEARCH.md")]
    assert "not turns" in calls[0].text  # the fenced output keeps its header-like lines
    assert not any(m.kind == TOOL_RESULT for m in t.messages)
    assert t.messages[-2].text == "Here is the summary."


def test_layout4_codex_inline_input_fences():
    t = parse("2026-08-03_21-15-01Z-v2-codex.md")
    assert (t.agent, t.platform, t.model) == ("Codex CLI", "CLI", "gpt-5.6-sol")
    assert roles(t) == ["USER", "AGENT"]
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert len(calls) == 2 and all(c.tool_name == "exec" for c in calls)
    assert calls[0].tool_input.startswith("const r = await tools.exec_command(")
    assert calls[1].tool_input == 'const r = await tools.web__run({search_query:[{q:"issue 266"}]}); text(r)'
    assert t.messages[-1].text == "Review verdict: the change is sound."


def test_cli_v0_claude_code_layout():
    t = parse("2025-07-10_21-47-24Z-cli-v0-claude-code.md")
    assert t.session_id == "4c8fa2b0-08cb-4536-8970-742eaa635065"
    assert (t.agent, t.platform, t.model) == ("Claude Code", "CLI", "claude-opus-4-20250514")
    assert t.started_at == datetime(2025, 7, 10, 21, 47, 24)
    tt = turns(t)
    assert [x.role for x in tt] == ["USER", "AGENT", "USER", "AGENT", "USER", "AGENT"]
    users = [m for m in t.messages if m.role == "user"]
    assert [m.kind for m in users] == [COMMAND, TEXT, INTERRUPT, TEXT]
    assert [m.model for m in t.messages if m.role == "agent"][0] is None  # <synthetic> is not a model
    calls = [m for m in t.messages if m.kind == TOOL_CALL]
    assert [(c.tool_name, c.tool_input) for c in calls] == [
        ("Bash", "Find scripts directory"), ("Read", "/home/dev/scripts/update")]
    results = [m for m in t.messages if m.kind == TOOL_RESULT]
    assert [r.text for r in results] == ["```\n./scripts\n```", "```\n1→#!/usr/bin/env bash\n```"]
    assert all(r.role == "agent" for r in results)
    assert not any(m.role == "agent" and m.kind == TEXT and not m.text for m in t.messages)


def test_cli_v0_text_argument_and_bare_agent_block():
    text = ("## 2025-07-10 21:47:24Z\n\n<!-- Claude Code Session abc (2025-07-10_21-47-24Z) -->\n\n"
            "_**User**_\n\nhi\n\n---\n\n_**Agent**_\n\n---\n\n_**User**_\n\nhello?\n")
    t = parse_specstory(Path("x.md"), text)
    assert roles(t) == ["USER", "AGENT", "USER"]  # an empty agent block between users is still a turn
    assert t.session_id == "abc"


@pytest.mark.parametrize("header,expected", [
    ("## Title (2/11/2025, 12:57:24 PM)", datetime(2025, 2, 11, 12, 57, 24)),
    ("## Title (2/11/2025, 12:05:00 AM)", datetime(2025, 2, 11, 0, 5)),
    ("## Title (11.2.2025, 17:37:33)", datetime(2025, 2, 11, 17, 37, 33)),
    ("## Title (13/02/2025, 09:00:00)", datetime(2025, 2, 13, 9)),
    ("## Title (2025/2/11 12:57:24)", datetime(2025, 2, 11, 12, 57, 24)),
    ("# Title (2025-02-11 12:57:24)", datetime(2025, 2, 11, 12, 57, 24)),
    ("# Title (2025-06-20 12:47Z)", datetime(2025, 6, 20, 12, 47)),
])
def test_title_dates_in_several_locales(header, expected):
    t = parse_specstory(Path("2025-02-11_02-27-x.md"), f"## SpecStory\n\n{header}\n\n_**User**_\n\nhi\n")
    assert t.title == "Title"
    assert t.started_at == expected


def test_ambiguous_locale_date_uses_file_name_date():
    body = "## SpecStory\n\n## T (03/04/2025, 10:00:00)\n\n_**User**_\n\nhi\n"
    assert parse_specstory(Path("2025-04-03_10-00-x.md"), body).started_at == datetime(2025, 4, 3, 10)
    assert parse_specstory(Path("2025-03-04_10-00-x.md"), body).started_at == datetime(2025, 3, 4, 10)


def test_session_time_preference_order():
    name = Path("2025-01-02_03-04-05Z-slug-words.md")
    comment = "<!-- Claude Code Session u1 (2025-05-05 05:05:05Z) -->\n\n"
    title = "# T (2025-06-06 06:06:06)\n\n"
    turn = "_**User (2025-07-07 07:07Z)**_\n\nhi\n"
    assert parse_specstory(name, comment + title + turn).started_at == datetime(2025, 5, 5, 5, 5, 5)
    assert parse_specstory(name, title + turn).started_at == datetime(2025, 6, 6, 6, 6, 6)
    t = parse_specstory(name, "<!-- Generated by SpecStory -->\n\n" + turn)
    assert t.started_at == datetime(2025, 7, 7, 7, 7)
    t = parse_specstory(name, "<!-- Generated by SpecStory -->\n\n_**User**_\n\nhi\n")
    assert t.started_at == datetime(2025, 1, 2, 3, 4, 5)
    assert t.title == "slug words" and t.session_id == name.stem


def test_project_from_specstory_folder(tmp_path):
    f = tmp_path / "my-repo" / ".specstory" / "history" / "2025-01-01_00-00-x.md"
    f.parent.mkdir(parents=True)
    f.write_text("_**User**_\n\nhi\n\n---\n\n_**Assistant**_\n\nhello\n", encoding="utf-8")
    t = parse_specstory(f)
    assert t.project == "my-repo" and roles(t) == ["USER", "AGENT"]


def test_crlf_and_header_in_backtick_fence_of_any_length():
    text = ("_**User**_\r\n\r\n`````\r\n_**Assistant**_\r\n```\r\n_**User**_\r\n`````\r\n\r\n---\r\n\r\n"
            "_**Assistant**_\r\n\r\nok\r\n")
    t = parse_specstory(Path("a.md"), text)
    assert roles(t) == ["USER", "AGENT"]
    assert turns(t)[1].text == "ok"


def test_stray_closing_fence_does_not_swallow_turns():
    # nested fences in unescaped tool output leave a bare ``` that looks like an opener
    text = ("_**User**_\n\nrun it\n\n---\n\n_**Agent (m 2025-01-01 00:00Z)**_\n\nTool use: **sh** `cat a.md`\n\n"
            "```\n# A\n```js\nx\n```\nmore\n```\n\n_**Agent (m 2025-01-01 00:01Z)**_\n\ndone\n\n---\n\n"
            "_**User**_\n\nthanks\n")
    t = parse_specstory(Path("a.md"), text)
    assert roles(t) == ["USER", "AGENT", "USER"]
    assert turns(t)[2].text == "thanks"


def test_empty_and_headerless_files():
    t = parse_specstory(Path("2025-01-01_00-00-empty.md"), "")
    assert t.messages == [] and t.started_at == datetime(2025, 1, 1)
    t = parse_specstory(Path("n.md"), "<!-- Generated by SpecStory -->\n\n# Only a title (2025-01-01 10:00:00)\n")
    assert t.messages == [] and t.title == "Only a title"


def test_unreadable_file_raises_corpus_error(tmp_path):
    from misalign_tui.data.errors import CorpusError
    with pytest.raises(CorpusError, match="missing.md"):
        parse_specstory(tmp_path / "missing.md")


def test_thought_details_and_result_user_block():
    text = ("_**User**_\n\nfix it\n\n---\n\n_**Assistant**_\n\n<details><summary>Thought Process</summary>\nhmm\n"
            "</details>\n\nDone.\n\n---\n\n_**User**_\n\nResult:\n\n```\nok\n```\n\n---\n\n_**User**_\n\nthanks\n")
    t = parse_specstory(Path("a.md"), text)
    assert [(m.role, m.kind) for m in t.messages] == [
        ("user", TEXT), ("agent", THINKING), ("agent", TEXT), ("agent", TOOL_RESULT), ("user", TEXT)]
    assert t.messages[1].text == "hmm" and t.messages[3].text == "```\nok\n```"
    assert roles(t) == ["USER", "AGENT", "USER"]


def test_text_argument_with_bom_and_session_comment_after_title():
    text = ("\ufeff<!-- Generated by SpecStory, Markdown v2.1.0 -->\n\n# Title here (2025-01-01 10:00Z)\n\n"
            "<!-- Cursor IDE Session abc-123 (2025-01-01 10:00Z) -->\n\n_**User (2025-01-01 10:01Z)**_\n\nhi\n")
    t = parse_specstory(Path("z.md"), text)
    assert (t.session_id, t.title, t.agent) == ("abc-123", "Title here", "Cursor IDE")
    assert t.started_at == datetime(2025, 1, 1, 10, 0)


def test_unclosed_think_and_tool_use_stop_at_the_next_block():
    text = ("_**User**_\n\ngo\n\n---\n\n_**Agent (m)**_\n\n<think><details><summary>Thought Process</summary>\n"
            "first thought, never closed\n\n<tool-use data-tool-type=\"read\" data-tool-name=\"read_file\"><details>\n"
            "<summary>Tool use: **read_file** • Read file: a.py</summary>\n\n<tool-use data-tool-type=\"x\" "
            "data-tool-name=\"grep\"><details><summary>Tool use: **grep**</summary>\nno hits\n</details></tool-use>\n\n"
            "<think><details><summary>Thought Process</summary>\nsecond</details></think>\n\nanswer\n")
    t = parse_specstory(Path("a.md"), text)
    got = [(m.kind, m.tool_name, m.text.split("\n")[0]) for m in t.messages if m.role == "agent"]
    assert got == [(THINKING, None, "first thought, never closed"),
                   (TOOL_CALL, "read_file", "Tool use: **read_file** • Read file: a.py"),
                   (TOOL_CALL, "grep", "Tool use: **grep**"), (THINKING, None, "second"), (TEXT, None, "answer")]
