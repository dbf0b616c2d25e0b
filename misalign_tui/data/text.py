"""Text from files is data: it never drives the terminal that shows it.

``terminal_safe`` (the CLI's plain output) writes control characters as visible escapes (``\\x1b``);
``visible`` (the explorer) replaces them by placeholders (ESC -> ␛, BEL -> ␇, RLO -> \\u202e);
``json_line`` keeps JSON valid and inert; ``one_line`` squeezes any text onto one line of a width.
"""

from __future__ import annotations

import json
import re

# C0 controls except \n and \t, DEL, C1 controls, and the bidi / isolate overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def terminal_safe(text: str) -> str:
    """Control characters (ESC, BEL, C1, bidi overrides) as visible escapes like ``\\x1b``."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                       else f"\\u{ord(m.group(0)):04x}", text)


def _placeholder(m: re.Match) -> str:
    ch = m.group(0)
    o = ord(ch)
    if ch == "\x1b":
        return "␛"
    if o < 0x20:
        return chr(0x2400 + o)  # ␀ … ␟ control pictures
    if o == 0x7F:
        return "␡"
    return f"\\u{o:04x}"


def visible(text: str | None) -> str:
    """Plain string with every unsafe character made visible (ESC -> ␛, BEL -> ␇, RLO -> \\u202e)."""
    if not text:
        return ""
    return UNSAFE.sub(_placeholder, text.replace("\r\n", "\n").replace("\r", "\n"))


def json_line(r: dict) -> str:
    """One JSON line; DEL, C1 and bidi controls (which JSON leaves raw) as \\u escapes: same data, inert text."""
    text = json.dumps(r, ensure_ascii=False, default=str)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def one_line(text: str | None, width: int = 120) -> str | None:
    """Whitespace (newlines, tabs, runs of spaces) collapsed to single spaces and the result cut to ``width``
    characters with an ellipsis; None stays None. Escape nothing: wrap ``visible(text)`` for a screen."""
    if text is None:
        return None
    s = " ".join(str(text)[: width * 4].split())
    return s if len(s) <= width else s[: width - 1] + "…"
