"""Inputs that made parsers quadratic or fragile: they must parse to the right result.

Throughput (MB/s per format) is measured by ``benchmarks/import_formats.py`` and ``misalign-tui bench``,
never asserted here.
"""

import json
from pathlib import Path

from misalign_tui.data.building.transcripts import parse_claude_code, parse_specstory


def test_many_unclosed_fences():
    text = "".join(f"_**User**_\n\nq{i}\n```js\nunclosed {i}\n\n---\n\n_**Assistant**_\n\na{i}\n\n---\n\n"
                   for i in range(5000))
    t = parse_specstory(Path("x.md"), text)
    assert sum(m.role == "user" for m in t.messages) == 5000


def test_huge_single_line_and_no_newlines(tmp_path):
    f = tmp_path / "s.jsonl"
    line = {"type": "user", "sessionId": "s", "message": {"role": "user", "content": "x" * 5_000_000}}
    f.write_text(json.dumps(line), encoding="utf-8")
    [t] = parse_claude_code(f)
    assert len(t.messages[0].text) == 5_000_000
    t = parse_specstory(Path("x.md"), "_**User**_\n\n" + "`" * 3 + "a" * 3_000_000)
    assert [m.role for m in t.messages] == ["user"] and len(t.messages[0].text) >= 3_000_000
