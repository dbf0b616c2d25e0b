"""Detected signals (``turn_signals``: the rule-based detector's candidate pushback, tool failures and
loops) as transcript markers. Nothing here imports textual.

Each kind has its own glyph, words and colour (the colour is never the only cue):
``⚑ candidate pushback: opens with no: “No,”`` · ``✗ tool failure: tool call failed`` · ``↻ loop: …``.
"""

from __future__ import annotations

from .model import Block, display_text

PUSHBACK_SIGNAL = "pushback"
TOOL_FAILURE = "tool_failure"
LOOP = "loop"
SIGNAL_KINDS = (PUSHBACK_SIGNAL, TOOL_FAILURE, LOOP)

SIGNAL_GLYPH = {PUSHBACK_SIGNAL: "⚑", TOOL_FAILURE: "✗", LOOP: "↻"}
SIGNAL_LABEL = {PUSHBACK_SIGNAL: "candidate pushback", TOOL_FAILURE: "tool failure", LOOP: "loop"}
SIGNAL_PLURAL = {PUSHBACK_SIGNAL: "candidate pushback", TOOL_FAILURE: "tool failures", LOOP: "loops"}
# component class suffix of the view (transcript--signal-…)
SIGNAL_STYLE = {PUSHBACK_SIGNAL: "signal-pushback", TOOL_FAILURE: "signal-failure", LOOP: "signal-loop"}
_ORDER = {k: i for i, k in enumerate(SIGNAL_KINDS)}


def attach_signals(blocks: list[Block], rows: list[tuple]) -> None:
    """Put the (turn_no, kind, cue, score) rows of ``session_signals.sql`` on their turn blocks (one
    marker per kind and turn, the strongest cue; unknown kinds are kept, after the known ones)."""
    by_no = {b.turn_no: b for b in blocks if b.kind == "turn"}
    found: dict[int, dict[str, tuple[float, str]]] = {}
    for turn_no, kind, cue, score in rows:
        if turn_no not in by_no:
            continue
        kinds = found.setdefault(turn_no, {})
        best = kinds.get(kind)
        s = float(score or 0.0)
        if best is None or s > best[0]:
            kinds[kind] = (s, display_text(cue or "").replace("\n", " "))
    for turn_no, kinds in found.items():
        by_no[turn_no].signals = tuple((k, kinds[k][1]) for k in sorted(kinds, key=lambda k: (_ORDER.get(k, 9), k)))


def signal_text(kind: str, cue: str) -> str:
    """``⚑ candidate pushback: opens with no: “No,”`` (``cue`` is display text already)."""
    head = f"{SIGNAL_GLYPH.get(kind, '•')} {SIGNAL_LABEL.get(kind, display_text(kind))}"
    return f"{head}: {cue}" if cue else head


def signal_kinds(kind: str | None) -> tuple[str, ...]:
    """The kinds a jump key steps through: ``pushback``, or ``failure`` (tool failures and loops)."""
    return (PUSHBACK_SIGNAL,) if kind == PUSHBACK_SIGNAL else (TOOL_FAILURE, LOOP)


def signal_counts(blocks: list[Block]) -> dict[str, int]:
    """Turns carrying each kind of signal."""
    out = {k: 0 for k in SIGNAL_KINDS}
    for b in blocks:
        for kind, _ in b.signals:
            out[kind] = out.get(kind, 0) + 1
    return out


SIGNAL_SHORT = {PUSHBACK_SIGNAL: ("pushback", "pushback"), TOOL_FAILURE: ("failure", "failures"),
                LOOP: ("loop", "loops")}
FULL, SHORT, COMPACT = "full", "short", "compact"


def count_part(kind: str, n: int, form: str = FULL) -> str:
    """``⚑ 3 candidate pushback`` (short: ``⚑ 3 pushback``, compact: ``⚑ 3``)."""
    if form == COMPACT:
        return f"{SIGNAL_GLYPH[kind]} {n:,}"
    if form == SHORT:
        return f"{SIGNAL_GLYPH[kind]} {n:,} {SIGNAL_SHORT[kind][n != 1]}"
    return f"{SIGNAL_GLYPH[kind]} {n:,} {SIGNAL_LABEL[kind] if n == 1 else SIGNAL_PLURAL[kind]}"


def counts_text(counts: dict[str, int], form: str = FULL) -> str:
    """``⚑ 3 candidate pushback · ✗ 1 tool failure · ↻ 0 loops``, ``detected: ⚑ 3 pushback · ✗ 1 failure ·
    ↻ 0 loops`` (short) or ``detected ⚑ 3 ✗ 1 ↻ 0`` (compact)."""
    return counts_prefix(form) + counts_sep(form).join(count_part(k, counts.get(k, 0), form) for k in SIGNAL_KINDS)


def counts_prefix(form: str) -> str:
    return {FULL: "", SHORT: "detected: ", COMPACT: "detected "}[form]


def counts_sep(form: str) -> str:
    return " " if form == COMPACT else " · "
