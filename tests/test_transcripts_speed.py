"""Throughput of the transcript parsers on duplicated fixtures.

Always-on checks use ~3 MB per format and a very lenient floor (machines are shared and noisy). Set
``TRANSCRIPT_BENCH=1`` to run the ~20 MB measurement (prints MB/s per format; target >= 30 MB/s).
"""

import json
import os
import time
from pathlib import Path

import pytest

from misalign_tui.data.building.transcripts import parse_claude_code, parse_codex, parse_specstory

FIX = Path(__file__).parent / "fixtures" / "transcripts"
SHARED = Path(os.environ.get("MISALIGN_SHARED", Path(__file__).resolve().parents[2] / "shared"))
REF = SHARED / "reference" / "transcripts"
FLOOR_MB_S = 5.0


def _markdown_sources() -> list[str]:
    files = sorted((FIX / "specstory").glob("*.md"))
    if REF.is_dir():
        files += sorted(REF.glob("specstory-*/*.md"))
    return [p.read_text(encoding="utf-8") for p in files]


def _jsonl_objects(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "\x00" not in line:
            out.append(obj)
    return out


def make_specstory_files(d: Path, size: int) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    sources, files, total, i = _markdown_sources(), [], 0, 0
    while total < size:
        p = d / f"2025-01-01_00-00-{i}.md"
        p.write_text(sources[i % len(sources)], encoding="utf-8")
        files.append(p)
        total += p.stat().st_size
        i += 1
    return files


def make_claude_file(p: Path, size: int) -> Path:
    objs = _jsonl_objects(FIX / "claude" / "-home-dev-shop" / "11111111-2222-4333-8444-555555555555.jsonl")
    if REF.is_dir():
        objs += [json.loads(x) for x in (REF / "claude-code-jsonl").glob("*.jsonl").__next__().read_text().split("\n")
                 if x.strip()]
    lines, total, k = [], 0, 0
    while total < size:
        for o in objs:
            o = dict(o, uuid=f"{o.get('uuid', 'x')}-{k}")
            line = json.dumps(o) + "\n"
            lines.append(line)
            total += len(line)
        k += 1
    p.write_text("".join(lines), encoding="utf-8")
    return p


def make_codex_file(p: Path, size: int) -> Path:
    objs = _jsonl_objects(FIX / "codex" / "rollout-2025-09-25T01-20-00-0199a213-81c0-7800-8aa1-bbab2a035a53.jsonl")
    lines, total, k = [json.dumps(objs[0]) + "\n"], 0, 0
    while total < size:
        for o in objs[1:]:
            line = json.dumps(o).replace("continue", f"continue {k}") + "\n"
            lines.append(line)
            total += len(line)
        k += 1
    p.write_text("".join(lines), encoding="utf-8")
    return p


def measure(tmp: Path, size: int) -> dict[str, float]:
    rates = {}
    files = make_specstory_files(tmp / "md", size)
    n = sum(f.stat().st_size for f in files)
    t0 = time.process_time()
    for f in files:
        parse_specstory(f)
    rates["specstory"] = n / (time.process_time() - t0) / 1e6
    for name, make, parse in (("claude-code", make_claude_file, parse_claude_code),
                              ("codex", make_codex_file, parse_codex)):
        f = make(tmp / f"rollout-2025-01-01T00-00-00-{name}.jsonl", size)
        t0 = time.process_time()
        parse(f)
        rates[name] = f.stat().st_size / (time.process_time() - t0) / 1e6
    return rates


def test_throughput_floor(tmp_path):
    rates = measure(tmp_path, 3_000_000)
    assert all(r > FLOOR_MB_S for r in rates.values()), rates


@pytest.mark.skipif(not os.environ.get("TRANSCRIPT_BENCH"), reason="set TRANSCRIPT_BENCH=1 for the 20 MB benchmark")
def test_throughput_20mb(tmp_path, capsys):
    rates = measure(tmp_path, 20 * 1024 * 1024)
    with capsys.disabled():
        print("\n" + "  ".join(f"{k}: {v:.1f} MB/s" for k, v in rates.items()))
    assert all(r >= 30 for r in rates.values()), rates


def test_many_unclosed_fences_stay_linear():
    text = "".join(f"_**User**_\n\nq{i}\n```js\nunclosed {i}\n\n---\n\n_**Assistant**_\n\na{i}\n\n---\n\n"
                   for i in range(5000))
    t0 = time.process_time()
    t = parse_specstory(Path("x.md"), text)
    assert time.process_time() - t0 < 5
    assert sum(m.role == "user" for m in t.messages) == 5000


def test_huge_single_line_and_no_newlines(tmp_path):
    f = tmp_path / "s.jsonl"
    line = {"type": "user", "sessionId": "s", "message": {"role": "user", "content": "x" * 5_000_000}}
    f.write_text(json.dumps(line), encoding="utf-8")
    [t] = parse_claude_code(f)
    assert len(t.messages[0].text) == 5_000_000
    t0 = time.process_time()
    parse_specstory(Path("x.md"), "_**User**_\n\n" + "`" * 3 + "a" * 3_000_000)
    assert time.process_time() - t0 < 5
