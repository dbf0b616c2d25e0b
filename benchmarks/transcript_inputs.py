"""Inputs for the transcript benchmarks: real and fixture transcripts duplicated up to a size.

SpecStory input is every Markdown transcript under ``tests/fixtures`` (the real files of every layout
and of the labelled dev set, plus our own fixtures) written out again and again; Claude Code and
Codex inputs repeat the entries of the real JSONL sessions (and our fixtures) with fresh ids.
"""

from __future__ import annotations

import json
from pathlib import Path

FIX = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


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


def markdown_sources() -> list[str]:
    files = sorted(FIX.glob("transcripts/specstory/*.md")) + sorted(FIX.glob("real/**/*.md"))
    return [p.read_text(encoding="utf-8") for p in files if p.name not in ("SOURCES.md", "README.md")]


def make_specstory_files(d: Path, size: int) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    sources, files, total, i = markdown_sources(), [], 0, 0
    while total < size:
        p = d / f"2025-01-01_00-00-{i}.md"
        p.write_text(sources[i % len(sources)], encoding="utf-8")
        files.append(p)
        total += p.stat().st_size
        i += 1
    return files


def _claude_objects() -> list[dict]:
    objs = _jsonl_objects(FIX / "transcripts" / "claude" / "-home-dev-shop" / "11111111-2222-4333-8444-555555555555.jsonl")
    for p in sorted(FIX.glob("real/transcripts/claude-code/*.jsonl")):
        objs += _jsonl_objects(p)
    return objs


def make_claude_file(p: Path, size: int) -> Path:
    objs = _claude_objects()
    lines, total, k = [], 0, 0
    while total < size:
        for o in objs:
            o = dict(o, uuid=f"{o.get('uuid', 'x')}-{k}", sessionId="bench-session")
            line = json.dumps(o) + "\n"
            lines.append(line)
            total += len(line)
        k += 1
    p.write_text("".join(lines), encoding="utf-8")
    return p


def make_codex_file(p: Path, size: int) -> Path:
    first = _jsonl_objects(FIX / "transcripts" / "codex" / "rollout-2025-09-25T01-20-00-0199a213-81c0-7800-8aa1-bbab2a035a53.jsonl")
    objs = first[1:]
    for q in sorted(FIX.glob("real/transcripts/codex/*.jsonl")):
        objs += [o for o in _jsonl_objects(q) if o.get("type") != "session_meta"]
    lines, total, k = [json.dumps(first[0]) + "\n"], 0, 0
    while total < size:
        for o in objs:
            line = json.dumps(o).replace("continue", f"continue {k}") + "\n"
            lines.append(line)
            total += len(line)
        k += 1
    p.write_text("".join(lines), encoding="utf-8")
    return p
