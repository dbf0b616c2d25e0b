"""Candidate pushback and agent-misbehaviour detection without an LLM (rules in ``resources/rules.toml``).

``detect(turns)`` takes the merged turns of one session (USER/AGENT, with optional per-message
payloads from the transcript importers) and returns ``Signal`` rows stored in ``turn_signals``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from ... import resources

_WORD = re.compile(r"[a-z0-9']+")
REPEAT_WINDOW = 20  # earlier turns a repeat is looked for in (keeps long sessions linear)
LOOP_WINDOW = 8  # earlier distinct agent messages a near-identical one is looked for in


@dataclass(frozen=True)
class Signal:
    turn_no: int
    kind: str  # pushback / tool_failure / loop
    cue: str
    score: float


@dataclass(frozen=True)
class _Rule:
    id: str
    cue: str
    pattern: re.Pattern
    unless: re.Pattern | None
    start: bool
    weight: float


@cache
def rules() -> dict:
    raw = tomllib.loads(resources.read_text("rules.toml"))
    compiled = []
    for r in raw["pushback"]:
        pat = r["pattern"]
        if r.get("where") == "start":
            pat = r"^\W{0,3}(?:" + pat + ")"
        compiled.append(_Rule(r["id"], r["cue"], re.compile(pat, re.I | re.M if r.get("where") != "start" else re.I),
                              re.compile(r["unless"], re.I) if r.get("unless") else None,
                              r.get("where") == "start", float(r["weight"])))
    raw["compiled"] = compiled
    # One pass of the union of all patterns first: most turns match none and are done with one search.
    raw["any_re"] = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in compiled), re.I | re.M)
    raw["tool_failure_re"] = re.compile(raw["tool_failure"]["pattern"], re.I)
    return raw


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pushback_score(text: str) -> tuple[float, str | None]:
    """(score, cue) of the strongest pushback rule matching a developer turn."""
    best, cue = 0.0, None
    head = text[:4000]
    cfg = rules()
    if not cfg["any_re"].search(head):
        return best, cue
    for r in cfg["compiled"]:
        if r.weight <= best:
            continue
        m = r.pattern.search(head)
        if not m:
            continue
        if r.unless is not None and r.unless.search(head.lstrip()[:200] if r.start else head):
            continue
        best, cue = r.weight, f"{r.cue}: “{m.group(0).strip()[:40]}”"
    return best, cue


_TOOL_BLOCK = re.compile(r"```.*?```", re.S)


def detect(turns, tool_events: list[tuple[int, str, bool]] | None = None) -> list[Signal]:
    """Signals for one session.

    ``turns``: objects with ``turn_no``, ``role`` (USER/AGENT) and ``text``. ``tool_events``: optional
    structured tool calls as (turn_no, "name input", is_error); without them, agent text is scanned.
    """
    cfg = rules()
    thr = float(cfg["threshold"])
    out: list[Signal] = []
    seen_user: list[frozenset] = []
    rep = cfg["repeat"]
    for t in turns:
        if t.role != "USER":
            continue
        score, cue = pushback_score(t.text)
        words = _words(t.text)
        if score < float(rep["weight"]) and len(words) >= int(rep["min_words"]):
            if any(_jaccard(words, w) >= float(rep["jaccard"]) for w in seen_user[-REPEAT_WINDOW:]):
                score, cue = float(rep["weight"]), rep["cue"]
        if len(words) >= int(rep["min_words"]):
            seen_user.append(words)
        if score >= thr:
            out.append(Signal(t.turn_no, "pushback", cue or "", score))
    fail_re = cfg["tool_failure_re"]
    fail_keys = cfg["tool_failure"]["keywords"]
    loop = cfg["loop"]
    min_rep = int(loop["min_repeats"])
    if tool_events is not None:
        failed_turns = sorted({tn for tn, _, err in tool_events if err})
        for tn in failed_turns:
            out.append(Signal(tn, "tool_failure", cfg["tool_failure"]["cue"], float(cfg["tool_failure"]["weight"])))
        counts: dict[str, list[int]] = {}
        for tn, call, _ in tool_events:
            counts.setdefault(call, []).append(tn)
        for call, tns in counts.items():
            if len(tns) >= min_rep:
                out.append(Signal(tns[min_rep - 1], "loop", f"{loop['cue']}: {call[:60]}", float(loop["weight"])))
    else:
        for t in turns:
            if t.role == "AGENT":
                blocks = _TOOL_BLOCK.findall(t.text) or ([t.text] if "Tool use:" in t.text else [])
                for b in blocks:
                    low = b.lower()
                    if not any(k in low for k in fail_keys):
                        continue
                    m = fail_re.search(b)
                    if m:
                        out.append(Signal(t.turn_no, "tool_failure", f"{cfg['tool_failure']['cue']}: "
                                          f"“{m.group(0).strip()[:40]}”", float(cfg["tool_failure"]["weight"])))
                        break
    # near-identical agent messages: same words, compared within a sliding window of recent turns
    jac = float(loop["jaccard"])
    recent: list[tuple[int, frozenset, list[int]]] = []
    for t in turns:
        if t.role != "AGENT" or len(t.text) <= 20:
            continue
        w = _words(t.text[:2000])
        for _, w0, hits in recent[-LOOP_WINDOW:]:
            if len(w0) and abs(len(w0) - len(w)) <= (1 - jac) * max(len(w0), len(w)) and _jaccard(w, w0) >= jac:
                hits.append(t.turn_no)
                if len(hits) == min_rep:
                    out.append(Signal(t.turn_no, "loop", loop["cue"], float(loop["weight"])))
                break
        else:
            recent.append((t.turn_no, w, [t.turn_no]))
            if len(recent) > REPEAT_WINDOW:
                recent.pop(0)
    return out
