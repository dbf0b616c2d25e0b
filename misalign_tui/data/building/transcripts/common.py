"""Helpers shared by the transcript parsers: reading files, timestamps, agent labels, finishing touches.

Timestamps are returned as *naive* datetimes (like the rest of the data layer): a time written with
``Z`` or an offset is converted to UTC and the tzinfo dropped; a time without a zone is kept as written.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ...errors import CorpusError
from ...text import one_line
from .model import TEXT, Transcript

# Agent label (lower-case, as found in session comments / headers) -> (agent, platform).
AGENTS: dict[str, tuple[str, str]] = {
    "claude code": ("Claude Code", "CLI"),
    "claude-code": ("Claude Code", "CLI"),
    "claude": ("Claude Code", "CLI"),
    "cursor": ("Cursor IDE", "IDE"),
    "cursor ide": ("Cursor IDE", "IDE"),
    "cursor cli": ("Cursor CLI", "CLI"),
    "cursor-agent": ("Cursor CLI", "CLI"),
    "codex": ("Codex CLI", "CLI"),
    "codex cli": ("Codex CLI", "CLI"),
    "gemini": ("Gemini CLI", "CLI"),
    "gemini cli": ("Gemini CLI", "CLI"),
    "vscode": ("Copilot IDE", "IDE"),
    "vs code": ("Copilot IDE", "IDE"),
    "copilot": ("Copilot IDE", "IDE"),
    "copilot ide": ("Copilot IDE", "IDE"),
    "github copilot": ("Copilot IDE", "IDE"),
    "copilot cli": ("Copilot CLI", "CLI"),
    "droid": ("Droid CLI", "CLI"),
    "factory droid": ("Droid CLI", "CLI"),
}


def agent_of(label: str | None) -> tuple[str | None, str | None]:
    """Normalise an agent label ("cursor", "Claude Code", "vscode", ...) to (agent, platform)."""
    if not label:
        return None, None
    key = " ".join(label.strip().lower().split())
    if key in AGENTS:
        return AGENTS[key]
    platform = "CLI" if key.endswith(" cli") else "IDE" if key.endswith(" ide") else None
    return label.strip(), platform


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CorpusError(f"cannot read transcript: {e.strerror or e}", path=str(path)) from None


def decode(data: bytes) -> str:
    """UTF-8 (BOM dropped, bad bytes replaced), newlines normalised to \\n."""
    text = data.decode("utf-8-sig", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# ---------------------------------------------------------------- timestamps
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T_]+(\d{1,2})[:\-](\d{2})(?:[:\-](\d{2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"\s*(Z|UTC|GMT|[+\-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_LOCALE = re.compile(
    r"(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})\.?,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([AaPp])?\.?\s*(?:[Mm]\.?)?"
)


def _mk(y, mo, d, h=0, mi=0, s=0, us=0) -> datetime | None:
    try:
        return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), int(us or 0))
    except (ValueError, TypeError):
        return None


def parse_iso(value: str | None) -> datetime | None:
    """ISO-like ``YYYY-MM-DD[ T_]HH:MM[:SS[.fff]][Z|±hh:mm]`` (also ``2025-07-10_21-47-24Z``) -> naive UTC."""
    if not value:
        return None
    m = _ISO.search(value)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    us = int((frac or "0").ljust(6, "0")[:6])
    dt = _mk(y, mo, d, h, mi, s, us)
    if dt is None or not zone or zone.upper() in ("Z", "UTC", "GMT"):
        return dt
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return dt - sign * offset


def parse_when(value: str | None, hint: datetime | None = None) -> datetime | None:
    """ISO times, or locale-formatted ones like ``2/11/2025, 12:57:24 PM`` / ``11.2.2025, 17:37:33``.

    Day/month order is taken from whichever part cannot be a month, else from the one closest to
    ``hint`` (e.g. the file-name date), else month-first for "/" with AM/PM and day-first otherwise.
    """
    if not value:
        return None
    m = _LOCALE.search(value)
    if m is None or re.match(r"\s*\d{4}-\d{1,2}-\d{1,2}", value):
        return parse_iso(value)
    a, b, c, h, mi, s, ampm = m.groups()
    h = int(h)
    if ampm:
        if ampm in "Pp" and h < 12:
            h += 12
        elif ampm in "Aa" and h == 12:
            h = 0
    if len(a) == 4:  # Y/M/D
        return _mk(a, b, c, h, mi, s)
    year = int(c) + (2000 if len(c) <= 2 else 0)
    mdy, dmy = _mk(year, a, b, h, mi, s), _mk(year, b, a, h, mi, s)
    if mdy is None or dmy is None:
        return mdy or dmy
    if hint is not None:
        return min((mdy, dmy), key=lambda d: abs((d - hint).total_seconds()))
    sep = value[m.end(1):m.start(2)]
    return mdy if ("/" in sep and ampm) else dmy


def iso_utc(value) -> datetime | None:
    """JSONL timestamps (``2025-10-21T03:22:08.954Z``; also epoch seconds/ms) -> naive UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value) / (1000.0 if value > 1e11 else 1.0)
        try:
            return datetime.fromtimestamp(v, tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    if value.endswith("Z"):
        try:
            return datetime.fromisoformat(value[:-1])
        except ValueError:
            pass
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return parse_iso(value)
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


# ---------------------------------------------------------------- paths
def project_of_path(path: Path) -> str | None:
    """``<repo>/.specstory/history/x.md`` -> ``repo``."""
    parts = Path(path).parts
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == ".specstory":
            return parts[i - 1] or None
    return None


def last_component(path: str | None) -> str | None:
    if not path or not isinstance(path, str):
        return None
    name = re.split(r"[\\/]+", path.rstrip("\\/"))[-1]
    return name or None


def finish(t: Transcript) -> Transcript:
    """Fill fallbacks shared by every parser: started_at, model, title."""
    if t.started_at is None:
        t.started_at = next((m.ts for m in t.messages if m.ts is not None), None)
    if t.model is None:
        models = Counter(m.model for m in t.messages if m.model)
        if models:
            t.model = models.most_common(1)[0][0]
    if not t.title:
        first = next((m.text for m in t.messages if m.role == "user" and m.kind == TEXT and m.text.strip()), None)
        if first:
            t.title = one_line(first.strip().split("\n", 1)[0], 80)
    return t


# ---------------------------------------------------------------- message kinds of developer input
_INTERRUPT = re.compile(r"\[Request interrupted by user[^\]\n]*\]")
_COMMAND_TAGS = (
    "<command-name>", "<command-message>", "<command-args>", "<local-command-", "<bash-input>",
    "<bash-stdout>", "<bash-stderr>", "<user-memory-input>", "<system-reminder>", "<user-prompt-submit-hook>",
    "<ide_opened_file>", "<ide_selection>", "<ide_diagnostics>",
)
_SLASH = re.compile(r"/[A-Za-z][\w:.\-]*(?:[ \t][^\n]*)?(?:\n|\Z)")


def is_interrupt(text: str) -> bool:
    """The whole message is Claude Code's "[Request interrupted by user…]" marker."""
    s = text.strip()
    return s.startswith("[Request interrupted") and _INTERRUPT.fullmatch(s) is not None


def is_command(text: str) -> bool:
    """Slash commands, local-command caveats/stdout and other tool-generated (non-prose) user input."""
    s = text.lstrip()
    if s.startswith(_COMMAND_TAGS) or s.startswith("Caveat: The messages below were generated by the user while"):
        return True
    if s.startswith("/") and _SLASH.match(s):
        return "⎿" in s or ("\n" not in s.rstrip() and len(s) < 100)
    return False


class gc_paused:
    """Pause the cyclic garbage collector while a parser allocates many small acyclic objects.

    Millions of fresh dicts/lists from json trigger repeated full collections that can double parse
    time; nothing built here is cyclic, so pausing is safe. The previous state is restored on exit.
    """

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc):
        if self.was:
            gc.enable()
        return False
