"""Text from files is data: it never drives the terminal that shows it. This module is the one safe-text path.

Every string that came from a file (transcript text, file names, ids, keys, repository / agent / licence
names, categories, reviewer names, tags, notes) reaches a screen or a terminal line through one of:

``visible``        the explorer: control characters become placeholders (ESC -> ␛, BEL -> ␇, RLO -> \\u202e);
                   the explorer builds its cells, labels and status lines from it (``tui/rich_text.py``), and
                   its last line of defence (``tui/rich_text.InertFilter``) applies it to every rendered line;
``terminal_safe``  the command line: control characters as visible escapes (``\\x1b``); every line the CLI
                   prints goes through it (``cli/common.py``'s ``say`` / ``tell`` / ``write_output``);
``inline``         one field inside a line (a key in a header line): ``terminal_safe`` with newlines escaped
                   too, so a value cannot forge a line of its own;
``keep_colours``   ``terminal_safe`` that lets plain colour codes (SGR ``ESC[…m``) through, for the coloured
                   charts a terminal gets (labels were made safe before plotting);
``json_line``      JSON that stays valid and inert; ``one_line`` squeezes text onto one line of a width.

"Unsafe" (``UNSAFE``) is every C0 control except newline and tab, DEL, every C1 control, the bidi embeddings,
overrides, isolates and marks, and the Unicode line / paragraph separators. Rich markup is never interpreted
(the explorer builds ``Text`` / ``Content`` objects, never markup strings; the CLI does not use Rich).
"""

from __future__ import annotations

import json
import re

# C0 controls except \n and \t, DEL, C1 controls, bidi embeddings / overrides / isolates / marks, LS / PS.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")
_UNSAFE_INLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _escape(m: re.Match) -> str:
    o = ord(m.group(0))
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def terminal_safe(text) -> str:
    """Control characters (ESC, BEL, C1, bidi overrides) as visible escapes like ``\\x1b``; None -> ""."""
    if text is None:
        return ""
    return UNSAFE.sub(_escape, str(text))


def inline(text) -> str:
    """``terminal_safe`` for a field inside a line: newlines escaped as well (``\\x0a``)."""
    if text is None:
        return ""
    return _UNSAFE_INLINE.sub(_escape, str(text))


def keep_colours(text: str) -> str:
    """``terminal_safe`` except for SGR colour sequences (``ESC[1;31m``), which stay as they are."""
    out, at = [], 0
    for m in _SGR.finditer(text):
        out.append(terminal_safe(text[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(terminal_safe(text[at:]))
    return "".join(out)


def placeholder(ch: str) -> str:
    """How one unsafe character looks on screen: ␛ for ESC, control pictures for C0, ␡, else ``\\u202e``."""
    o = ord(ch)
    if ch == "\x1b":
        return "␛"
    if o < 0x20:
        return chr(0x2400 + o)  # ␀ … ␟ control pictures
    if o == 0x7F:
        return "␡"
    return f"\\u{o:04x}"


def visible(text) -> str:
    """Plain string with every unsafe character made visible (ESC -> ␛, BEL -> ␇, RLO -> \\u202e); None -> ""."""
    if text is None or text == "":
        return ""
    text = str(text)
    return UNSAFE.sub(lambda m: placeholder(m.group(0)), text.replace("\r\n", "\n").replace("\r", "\n"))


def is_inert(text: str) -> bool:
    """No unsafe character in ``text`` (what every screen and CLI line must satisfy)."""
    return UNSAFE.search(text) is None


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
