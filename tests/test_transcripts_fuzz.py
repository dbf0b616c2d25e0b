"""Property tests: the parsers never raise on arbitrary content, and fence-free files keep every header."""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from misalign_tui.data.building.transcripts.claude_code import parse_claude_code
from misalign_tui.data.building.transcripts.codex import parse_codex
from misalign_tui.data.building.transcripts.formats import detect_format
from misalign_tui.data.building.transcripts.specstory import parse_specstory

PIECES = [
    "_**User**_", "_**User (2025-01-01 00:00Z)**_", "_**Assistant**_", "_**Agent (m 2025-01-01 00:00Z)**_",
    "_**Agent**_", "_\\*\\*\\*\\*_", "```", "````", "```js", "~~~", "---", "", "hello", "<think><details>",
    "</details></think>", '<tool-use data-tool-type="x" data-tool-name="y"><details>', "</details></tool-use>",
    "<details><summary>Grep search for x</summary>", "</details>", "Tool use: **Bash** `ls`", "Result:",
    "Read file: a.py", "[Request interrupted by user]", "<command-name>/x</command-name>", "&lt;b&gt;",
    "<summary>Tool use: **z**</summary>", "Input: ```",
]
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_specstory_never_raises(lines):
    text = "\n".join(lines)
    t = parse_specstory(Path("2025-01-01_00-00-x.md"), text)
    assert all(m.role in ("user", "agent") for m in t.messages)
    users = len(re.findall(r"^_\*\*User\b", text, re.M))
    n_user = sum(m.role == "user" for m in t.messages)
    if "```" not in text and "~~~" not in text:
        assert n_user == users
    else:
        assert n_user <= users


@FAST
@given(st.lists(st.sampled_from([l for l in PIECES if "`" not in l and "~" not in l]), max_size=60))
def test_specstory_without_fences_keeps_every_header(lines):
    text = "\n".join(lines)
    t = parse_specstory(Path("x.md"), text)
    assert sum(m.role == "user" for m in t.messages) == len(re.findall(r"^_\*\*User\b", text, re.M))


JSON_BITS = [
    b'{"type":"user","message":{"role":"user","content":"hi"}}', b'{"type":"assistant","message":{"content":[]}}',
    b'{"type":"assistant","message":{"content":[{"type":"tool_use","id":"1","name":"B","input":null}]}}',
    b'{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"1","content":[{"x":1}]}]}}',
    b'{"type":"response_item","payload":{"type":"function_call_output","output":null}}',
    b'{"type":"response_item","payload":{"type":"message","role":"user","content":null}}',
    b'{"type":"event_msg","payload":{"type":"user_message","message":null}}', b'{"type":"event_msg","payload":3}',
    b'{"type":"session_meta","payload":{"id":5,"cwd":7}}', b'{"type":"summary","summary":{"a":1}}',
    b'{"isSidechain":true,"uuid":"u","parentUuid":"u","type":"user","message":"x"}', b"[]", b"{", b"\x00",
    b"\xff\xfe", b"", b'{"type":"compacted","payload":{"message":5}}', b'{"type":"turn_context","payload":{"model":1}}',
]


@FAST
@given(st.lists(st.sampled_from(JSON_BITS), max_size=30), st.binary(max_size=40))
def test_jsonl_parsers_never_raise(tmp_path_factory, bits, tail):
    d = tmp_path_factory.mktemp("j")
    f = d / "rollout-2025-01-01T00-00-00-x.jsonl"
    f.write_bytes(b"\n".join(bits) + b"\n" + tail)
    parse_codex(f)
    parse_claude_code(f)
    detect_format(f, f.read_bytes()[:65536])
