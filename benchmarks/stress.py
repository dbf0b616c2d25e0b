"""Timings of the pathological inputs the tests only check for correctness.

Run from the checkout: ``python benchmarks/stress.py``. Prints seconds for: importing 100,000 tiny
sessions (study files), parsing a SpecStory file with 5,000 unclosed code fences, a 5 MB single-line
Claude Code entry and a 3 MB line without newlines. Nothing here fails; compare the figures over time.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from misalign_tui.data.building.importer import run_import  # noqa: E402
from misalign_tui.data.building.transcripts import parse_claude_code, parse_specstory  # noqa: E402
from tests.test_hardening_import import _many_sessions  # noqa: E402


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        (d / "many").mkdir()
        _many_sessions(d / "many", 100_000)
        rows = {"import 100,000 tiny sessions": _time(lambda: run_import([str(d / "many")], d / "many.duckdb"))}
        fences = "".join(f"_**User**_\n\nq{i}\n```js\nunclosed {i}\n\n---\n\n_**Assistant**_\n\na{i}\n\n---\n\n"
                         for i in range(5000))
        rows["parse 5,000 unclosed fences (SpecStory)"] = _time(lambda: parse_specstory(Path("x.md"), fences))
        f = d / "s.jsonl"
        f.write_text(json.dumps({"type": "user", "sessionId": "s",
                                 "message": {"role": "user", "content": "x" * 5_000_000}}), encoding="utf-8")
        rows["parse a 5 MB Claude Code line"] = _time(lambda: parse_claude_code(f))
        rows["parse 3 MB without newlines (SpecStory)"] = _time(
            lambda: parse_specstory(Path("x.md"), "_**User**_\n\n```" + "a" * 3_000_000))
    for k, v in rows.items():
        print(f"{k:<44}{v:8.2f} s")


if __name__ == "__main__":
    main()
