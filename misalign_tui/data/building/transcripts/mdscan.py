"""Role headers and fenced code blocks of a SpecStory markdown file, in one regex pass.

Fences are tracked CommonMark-style (``` or ~~~, length >= 3, closed by a bare fence at least as long;
a backtick info string may not contain a backtick) with repairs for the unescaped tool output SpecStory
writes: an info-string fence inside an open fence nests (tool output quoting markdown); a fence still open
at end of file was text (re-scan after it); a header preceded only by a blank line / ``---`` / closing
tags after the last fence line is real (that fence line was a closer); and a ``</tool-use>`` or
``</think>`` line ends any open fence. Re-scanning is bounded, so the pass stays linear.
"""

from __future__ import annotations

import re

_LINE = (r"[ \t]{0,12}(`{3,}|~{3,})([^\n]*)"  # fence (indented 12 at most: deeper is pasted output), info
         r"|_\*\*(User|Assistant|Agent)(?:[ \t]*\(([^\n]*)\))?\*\*_[ \t]*"  # role header (meta)
         r"|(_\\\*\\\*\\\*\\\*_)[ \t]*"  # the early layout's escaped empty header: agent continues
         r"|((?:</details>)?</(?:tool-use|think)>)[ \t]*")  # closing tag: ends any open fence
# A literal "\n" first lets the regex engine skip quickly to candidate lines; line 1 is matched apart.
_EVENT = re.compile(r"\n(?:" + _LINE + r")(?=\n|\Z)")
_FIRST = re.compile(r"(?:" + _LINE + r")(?=\n|\Z)")
_TRIVIAL = re.compile(r"(?:\s|-{3,}|</details>|</tool-use>|</think>)*")


def _events(text: str) -> list[tuple]:
    """(line start, line end, fence, info, role, meta, close) for every candidate line."""
    out = []
    m = _FIRST.match(text)
    if m:
        fence, info, role, meta, esc, close = m.groups()
        out.append((0, m.end(), fence, info, role or ("Agent" if esc else None), meta, close))
    for m in _EVENT.finditer(text):
        fence, info, role, meta, esc, close = m.groups()
        out.append((m.start() + 1, m.end(), fence, info, role or ("Agent" if esc else None), meta, close))
    return out


def scan_markdown(text: str) -> tuple[list[tuple], list[tuple]]:
    """Real role headers ``(start, end, role, meta)`` and fenced intervals ``(start, end)``, in order.

    ``role`` is "User", "Assistant" or "Agent"; ``meta`` the header's parenthesis (or None).
    """
    ev = _events(text)
    n, ignored, headers, fences = len(ev), set(), [], []
    i, op, work, stack, last = 0, None, 0, [], 0
    while True:
        while i < n:
            start, end, f, info, role, meta, close = ev[i]
            if op is None:
                if f is not None:
                    if i not in ignored and not (f[0] == "`" and "`" in info):
                        op, stack, last = i, [(f[0], len(f))], end
                elif role is not None:
                    headers.append((start, end, role, meta))
            elif f is not None:
                char, length = stack[-1]
                info = info.strip()
                if f[0] == char and not info and len(f) >= length:
                    stack.pop()
                    if not stack:
                        fences.append((ev[op][0], end))
                        op = None
                elif f[0] == char and info and not (char == "`" and "`" in info):
                    stack.append((char, len(f)))  # nested opener inside unescaped tool output
                last = end
            elif close is not None:
                fences.append((ev[op][0], start))
                op = None
            elif (start - last < 400 and "\n\n" in text[last:start]
                  and _TRIVIAL.fullmatch(text, last, start)):
                fences.append((ev[op][0], last))  # the last fence line was really a closer
                op = None
                headers.append((start, end, role, meta))
            i += 1
        if op is None:
            break
        work += n - op
        if work > 8 * n + 20000:  # many unclosed fences: stop re-scanning, the rest has no fences
            headers.extend((e[0], e[1], e[4], e[5]) for e in ev[op + 1:] if e[4] is not None)
            break
        ignored.add(op)  # fence never closed: it was text, rescan after it
        i, op = op + 1, None
    return headers, fences
