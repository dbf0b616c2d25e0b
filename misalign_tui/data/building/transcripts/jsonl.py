"""Tolerant JSON-lines reading shared by the Claude Code and Codex parsers."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterator

from ...errors import CorpusError

_scan_once = json.decoder.JSONDecoder().scan_once  # the C scanner: no per-call decode() overhead


class JsonlReader:
    """Iterate the JSON objects of a JSON-lines file, streaming; bad lines are counted, never raised.

    ``skipped`` reasons: "NUL byte", "truncated last line" (no final newline and not valid JSON),
    "malformed JSON", "not a JSON object". Invalid UTF-8 is replaced, not fatal. ``lines`` counts all lines.
    An unreadable file raises ``CorpusError`` naming it.
    """

    def __init__(self, path, skipped: Counter | None = None):
        self.path = path
        self.lines = 0
        self.skipped = Counter() if skipped is None else skipped

    def __iter__(self) -> Iterator[dict]:
        try:
            fh = open(self.path, "r", encoding="utf-8-sig", errors="replace", newline="\n")
        except OSError as e:
            raise CorpusError(f"cannot read transcript: {e.strerror or e}", path=str(self.path)) from None
        scan, skipped, n = _scan_once, self.skipped, 0
        try:
            with fh:
                for raw in fh:
                    n += 1
                    line = raw
                    if line[0] != "{":
                        line = line.strip()
                        if not line:
                            continue
                    if "\x00" in line:
                        skipped["NUL byte"] += 1
                        continue
                    try:
                        obj, end = scan(line, 0)
                        if end != len(line) and line[end:].strip():
                            raise ValueError
                    except (StopIteration, ValueError, RecursionError):
                        skipped["malformed JSON" if raw.endswith("\n") else "truncated last line"] += 1
                        continue
                    if type(obj) is not dict:
                        skipped["not a JSON object"] += 1
                        continue
                    yield obj
        except OSError as e:
            raise CorpusError(f"cannot read transcript: {e.strerror or e}", path=str(self.path)) from None
        finally:
            self.lines = n


def text_of(content) -> str:
    """String content, or the text parts of a list of blocks (images as "[image]")."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for b in content:
            if isinstance(b, str):
                parts.append(b)
            elif isinstance(b, dict):
                t = b.get("text")
                if isinstance(t, str):
                    parts.append(t)
                elif b.get("type") in ("image", "input_image"):
                    parts.append("[image]")
                elif isinstance(b.get("content"), (str, list)):
                    parts.append(text_of(b["content"]))
        return "\n".join(parts)
    if isinstance(content, dict):
        return text_of(content.get("text") if "text" in content else content.get("content"))
    return str(content)


def render_input(value) -> str:
    """A tool input dict as readable ``key: value`` lines (strings raw, other values as JSON)."""
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out.append(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}")
        return "\n".join(out)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


_INPUT_KEYS = ("command", "cmd", "file_path", "path", "notebook_path", "pattern", "url", "query", "description",
               "prompt", "subject", "skill", "todos")


def input_summary(value) -> str | None:
    """The most telling field of a tool input, for the one-line ``tool_input``."""
    if isinstance(value, dict):
        for k in _INPUT_KEYS:
            v = value.get(k)
            if v:
                if isinstance(v, list) and all(isinstance(x, str) for x in v):
                    return " ".join(v)
                return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        return json.dumps(value, ensure_ascii=False) if value else None
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
