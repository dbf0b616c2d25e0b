"""SpecStory markdown histories (``.specstory/history/*.md``), every layout seen so far.

The file is cut at role header lines (``_**User**_``, ``_**User (ts)**_``, ``_**Assistant (model)**_``,
``_**Agent (model ts)**_``, and the early escaped empty header ``_\\*\\*\\*\\*_`` which continues the
agent). Header lines inside fenced code blocks are not turns (see ``mdscan``). Agent turns are split into TEXT, THINKING
(``<think>``), TOOL_CALL (``<tool-use>`` blocks, "Tool use: **X**" lines, tool ``<details>`` of the
early layouts, "Read file:" lines) and TOOL_RESULT ("Result:" sections) messages.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from pathlib import Path

from ...text import one_line
from .common import (agent_of, decode, finish, gc_paused, parse_iso, parse_when,
                     read_bytes)
from .injected import user_message_kind
from .repo import repo_of_location
from .mdscan import scan_markdown
from .model import TEXT, THINKING, TOOL_CALL, TOOL_RESULT, Message, Transcript

_SEG = re.compile(
    r"^(?:(?P<think><think>)|(?P<tool><tool-use\b[^>\n]*>)|(?P<det><details\b[^>\n]*>)"
    r"|(?P<tu>Tool use: \*\*)|(?P<res>Result:)[ \t]*$|(?P<rf>Read file: )\S)",
    re.M,
)
_BLOCK_START = re.compile(r"^(?:<think>|<tool-use\b)", re.M)
_SEP_LINE = re.compile(r"^-{3,}[ \t]*$", re.M)
_SESSION = re.compile(r"<!--\s*(.+?)\s+Session\s+([^\s()]+)\s*(?:\(([^)]*)\))?\s*-->")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*$", re.M)
_TITLE_TS = re.compile(r"(.*?)\s*\(([^()]*\d[^()]*)\)\s*$")
_PURE_TS = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[ T_]\d{1,2}[:\-]\d{2}\S*(?:\s*Z)?")
_TRAIL_TS = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}[ T_]\d{1,2}[:\-]\d{2}(?:[:\-]\d{2}(?:\.\d+)?)?\s*Z?)\s*$")
_FNAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})(?:-(\d{2}))?(Z?)(?:-(.*))?")
_ATTR = re.compile(r'data-tool-(type|name)="([^"]*)"')
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S)
_TOOL_LINE = re.compile(r"Tool use: \*\*(.+?)\*\*[ \t]*(.*)")
_TAGS = re.compile(r"</?(?:details|think|tool-use)\b[^>\n]*>|<summary>|</summary>")
# Summaries of the early layouts' tool <details> -> tool name (None = thinking).
_DETAIL_TOOLS = (
    ("thought process", None), ("grep search", "grep_search"), ("searched codebase", "codebase_search"),
    ("listed directory", "list_dir"), ("listed current directory", "list_dir"), ("searched web", "web_search"),
    ("searched files", "file_search"), ("searched for files", "file_search"), ("read file", "read_file"),
    ("tool use:", ""),
)


def _clean(s: str) -> str:
    """Strip whitespace and leading / trailing ``---`` separator lines."""
    s = s.strip()
    while s.startswith("---"):
        nl = s.find("\n")
        if (s if nl < 0 else s[:nl]).strip("-").strip():
            break
        s = "" if nl < 0 else s[nl + 1:].lstrip()
    while s.endswith("---"):
        nl = s.rfind("\n")
        if s[nl + 1:].strip("-").strip():
            break
        s = "" if nl < 0 else s[:nl].rstrip()
    return s


def _unescape(s: str) -> str:
    return html.unescape(s) if "&" in s else s


def _meta(meta: str | None, cache: dict):
    """Header parenthesis -> (timestamp, model)."""
    if not meta:
        return None, None
    if meta in cache:
        return cache[meta]
    s, ts, model = meta.strip(), None, None
    mt = _TRAIL_TS.search(s)
    if mt:
        ts = parse_iso(mt.group(1))
        s = s[: mt.start()].strip()
    if s.lower().startswith("model "):
        s = s[6:]
    s = s.split(",")[0].strip()
    if "/" in s:
        s = s.rsplit("/", 1)[1].strip()
    if s and not s.startswith("<") and not _PURE_TS.fullmatch(s):
        model = s
    cache[meta] = (ts, model)
    return ts, model


class _Block:
    """Splits one agent block into messages."""

    def __init__(self, block: str, off: int, fstarts: list, fences: list, ts, model):
        self.b, self.off, self.fstarts, self.fences, self.ts, self.model = block, off, fstarts, fences, ts, model

    def fenced(self, pos: int) -> bool:
        k = bisect_right(self.fstarts, self.off + pos) - 1
        return k >= 0 and self.off + pos < self.fences[k][1]

    def next_opener(self, pos: int) -> int:
        while True:
            m = _SEG.search(self.b, pos)
            if m is None:
                return len(self.b)
            if not self.fenced(m.start()):
                return m.start()
            pos = m.end()

    def msg(self, text, kind=TEXT, **kw) -> Message:
        return Message("agent", text, kind, self.ts, model=self.model, **kw)

    def messages(self) -> list[Message]:
        b, out, pos, prose = self.b, [], 0, 0
        while True:
            m = _SEG.search(b, pos)
            if m is None:
                break
            if self.fenced(m.start()):
                pos = m.end()
                continue
            got = getattr(self, "_" + m.lastgroup)(m)
            if got is None:
                pos = m.end()
                continue
            end, msg = got
            text = _clean(b[prose:m.start()])
            if text:
                out.append(self.msg(text))
            out.append(msg)
            pos = prose = max(end, m.end())
        text = _clean(b[prose:])
        if text or not out:
            out.append(self.msg(text))
        return out

    def next_block(self, pos: int) -> int:
        """Start of the next <think> / <tool-use> outside fences (bounds an unclosed block)."""
        while True:
            m = _BLOCK_START.search(self.b, pos)
            if m is None:
                return len(self.b)
            if not self.fenced(m.start()):
                return m.start()
            pos = m.end()

    def _think(self, m):
        b = self.b
        limit = self.next_block(m.end())
        close = b.find("</think>", m.end(), limit)
        if close < 0:  # unclosed: up to its </details>, else up to the next block
            d = b.find("</details>", m.end(), limit)
            close = end = d + len("</details>") if d >= 0 else limit
        else:
            end = close + len("</think>")
        inner = re.sub(r"<summary>\s*Thought Process\s*</summary>", "", b[m.end():close], count=1)
        return end, self.msg(_TAGS.sub("", inner).strip(), THINKING)

    def _tool(self, m):
        b = self.b
        limit = self.next_block(m.end())
        close = b.find("</tool-use>", m.end(), limit)
        if close < 0:
            close = end = limit
        else:
            end = close + len("</tool-use>")
        attrs = dict(_ATTR.findall(m.group(0)))
        inner = b[m.end():close]
        sm = _SUMMARY.search(inner, 0, 4000)
        summary = _unescape(sm.group(1)).strip() if sm else ""
        name, tool_input = attrs.get("name") or None, None
        lm = _TOOL_LINE.match(summary)
        if lm:
            name = name or lm.group(1).strip()
            tool_input = lm.group(2).lstrip("•· \t").strip() or None
        body = inner[sm.end():] if sm else inner
        if not tool_input:
            tool_input = _first_input_line(_TAGS.sub("", body))
        text = _unescape(_TAGS.sub("", inner)).strip()
        return end, self.msg(text, TOOL_CALL, tool_name=name,
                             tool_input=one_line(_unescape(tool_input or ""), 200) or None)

    def _det(self, m):
        b = self.b
        sm = _SUMMARY.search(b, m.end(), m.end() + 2000)
        if sm is None:
            return None
        summary = _unescape(sm.group(1)).strip()
        low = summary.lower()
        hit = next((t for t in _DETAIL_TOOLS if low.startswith(t[0])), False)
        if hit is False:
            return None
        close = b.find("</details>", m.end())
        if close >= 0:
            end = close + len("</details>")
        else:  # unclosed: up to the next separator line
            sep = _SEP_LINE.search(b, sm.end())
            end = close = sep.start() if sep else len(b)
        if hit[1] is None:
            return end, self.msg(_TAGS.sub("", b[sm.end():close]).strip(), THINKING)
        text = _unescape(_TAGS.sub("", b[m.end():close])).strip()
        name = hit[1]
        if not name:
            lm = _TOOL_LINE.match(summary)
            name = lm.group(1) if lm else None
        return end, self.msg(text, TOOL_CALL, tool_name=name, tool_input=one_line(summary, 200))

    def _tu(self, m):
        b = self.b
        eol = b.find("\n", m.start())
        eol = len(b) if eol < 0 else eol
        lm = _TOOL_LINE.match(b, m.start(), eol)
        if lm is None:
            return None
        end = self.next_opener(eol)
        rest = lm.group(2).strip()
        if not rest:
            rest = _first_input_line(b[eol:end]) or ""
        if len(rest) > 2 and rest[0] == "`" and rest[-1] == "`" and rest.count("`") == 2:
            rest = rest[1:-1]
        text = _unescape(b[m.start():end].strip())
        return end, self.msg(text, TOOL_CALL, tool_name=lm.group(1).strip(),
                             tool_input=one_line(_unescape(rest), 200) or None)

    def _res(self, m):
        end = self.next_opener(m.end())
        return end, self.msg(_clean(self.b[m.end():end]), TOOL_RESULT)

    def _rf(self, m):
        eol = self.b.find("\n", m.start())
        eol = len(self.b) if eol < 0 else eol
        arg = self.b[m.end() - 1:eol].strip()
        return eol, self.msg(self.b[m.start():eol].strip(), TOOL_CALL, tool_name="read_file",
                             tool_input=one_line(arg, 200))


def _first_input_line(body: str) -> str | None:
    """First meaningful line of a tool body before any fenced output (an "Input: ```" label opens the input)."""
    for line in body.split("\n", 12)[:12]:
        s = line.strip()
        if s.startswith(("```", "~~~")):
            return None  # what follows is output, not input
        if s.endswith("```"):
            s = s.rstrip("`").strip()
            if s.endswith(":") and len(s) < 40:
                continue
        if s:
            return s
    return None


def _user_message(block: str, ts) -> Message:
    text = _clean(block)
    if text.startswith("Result:") and "```" in text[:200]:  # a tool result rendered as a user block
        return Message("agent", _clean(text[len("Result:"):]), TOOL_RESULT, ts)
    role, kind = user_message_kind(text)  # terminal notifications, plan-mode boilerplate, skills: agent side
    return Message(role, text, kind, ts)


_ANSWER = re.compile(r"^\*\*Answer:\*\*[ \t]*(.+)$", re.M)


def _with_answers(msgs: list[Message], ts) -> list[Message]:
    """The developer's choice in an AskUserQuestion tool block (``**Answer:** …``) as a user message after it."""
    out = []
    for m in msgs:
        out.append(m)
        if m.kind == TOOL_CALL and m.tool_name == "AskUserQuestion":
            answers = _ANSWER.findall(m.text)
            if answers:
                out.append(Message("user", "\n".join(f"Answer: {a.strip()}" for a in answers), TEXT, ts))
    return out


def _drop_redundant_empty(msgs: list[Message]) -> list[Message]:
    """Empty agent blocks next to other agent messages add nothing; alone they still make a turn."""
    out: list[Message] = []
    for i, m in enumerate(msgs):
        if m.role == "agent" and m.kind == TEXT and not m.text:
            nxt = msgs[i + 1] if i + 1 < len(msgs) else None
            if (out and out[-1].role == "agent") or (nxt is not None and nxt.role == "agent"):
                continue
        out.append(m)
    return out


def _parse_specstory(path: Path, text: str | None = None) -> Transcript:
    path = Path(path)
    if text is None:
        text = decode(read_bytes(path))
    else:
        text = text.lstrip("\ufeff")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    headers, fences = scan_markdown(text)
    fstarts = [f[0] for f in fences]
    t = Transcript(path=str(path), format="specstory", session_id=path.stem, project=repo_of_location(path))
    t.lines_read = text.count("\n") + (1 if text and not text.endswith("\n") else 0)

    # File name: YYYY-MM-DD_HH-MM[-SS][Z]-slug
    fm = _FNAME.search(path.stem)
    file_ts = slug = None
    if fm:
        y, mo, d, h, mi, s, _z, slug = fm.groups()
        file_ts = parse_iso(f"{y}-{mo}-{d} {h}:{mi}:{s or '00'}")

    preamble = text[: headers[0][0] if headers else min(len(text), 8000)][:8000]
    session_ts = title_ts = None
    sm = _SESSION.search(preamble)
    if sm:
        t.agent, t.platform = agent_of(sm.group(1))
        t.session_id = sm.group(2)
        session_ts = parse_when(sm.group(3), file_ts)
    for hm in _HEADING.finditer(preamble):
        line = hm.group(1)
        if line.strip().lower() == "specstory":
            continue
        if _PURE_TS.fullmatch(line):
            title_ts = parse_iso(line)
        else:
            tm = _TITLE_TS.match(line)
            when = parse_when(tm.group(2), file_ts) if tm else None
            if when is not None:
                title_ts, t.title = when, tm.group(1).strip() or None
            else:
                t.title = line.strip()
        break
    if not t.title and slug:
        t.title = slug.replace("-", " ").strip() or None

    msgs: list[Message] = []
    cache: dict = {}
    copilot = False
    for k, (_start, h_end, role, meta) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(text)
        block = text[h_end:end]
        ts, model = _meta(meta, cache)
        if role == "User":
            msgs.append(_user_message(block, ts))
        else:
            if not copilot and meta and "copilot" in meta.lower():
                copilot = True
            msgs.extend(_with_answers(_Block(block, h_end, fstarts, fences, ts, model).messages(), ts))
    t.messages = _drop_redundant_empty(msgs)

    if t.agent is None:
        t.agent, t.platform = agent_of("copilot" if copilot else "cursor")
    t.started_at = session_ts or title_ts or next((m.ts for m in t.messages if m.ts), None) or file_ts
    return finish(t)


def parse_specstory(path: Path, text: str | None = None) -> Transcript:
    """One SpecStory markdown file (``text`` given: parse that instead of reading ``path``)."""
    with gc_paused():
        return _parse_specstory(path, text)
