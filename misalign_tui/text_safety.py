"""Escaping for the CLI's plain output: transcript text never drives the terminal."""

from __future__ import annotations

import re

# C0 controls except \n and \t, DEL, C1 controls, and the bidi / isolate overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def terminal_safe(text: str) -> str:
    """Control characters (ESC, BEL, C1, bidi overrides) as visible escapes like ``\\x1b``."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                       else f"\\u{ord(m.group(0)):04x}", text)
