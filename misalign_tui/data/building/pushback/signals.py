"""Candidate pushback and agent-misbehaviour detection without an LLM.

``detect(turns)`` takes the merged turns of one session (USER/AGENT, with optional per-message
payloads from the transcript importers) and returns ``Signal`` rows stored in ``turn_signals``.
Pushback comes from the model in this package (multilingual cues + context, logistic weights);
tool failures and loops from the rules in ``resources/rules.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from .... import resources

_SEPARATE = bytes(b if 97 <= b <= 122 or 48 <= b <= 57 or b == 39 else 32 for b in range(256))
REPEAT_WINDOW = 20  # earlier turns a repeat is looked for in (keeps long sessions linear)
LOOP_WINDOW = 8  # earlier distinct agent messages a near-identical one is looked for in


@dataclass(frozen=True)
class Signal:
    turn_no: int
    kind: str  # pushback / tool_failure / loop
    cue: str
    score: float


@cache
def rules() -> dict:
    raw = tomllib.loads(resources.read_text("rules.toml"))
    raw["tool_failure_re"] = re.compile(raw["tool_failure"]["pattern"], re.I)
    return raw


def _words(text: str) -> frozenset[bytes]:
    """The runs of [a-z0-9'] in the lower-cased text (as bytes), found in C: every other character, non-ASCII
    ones included, becomes a separator."""
    return frozenset(text.lower().encode("ascii", "replace").translate(_SEPARATE).split())


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pushback_score(text: str) -> tuple[float, str | None]:
    """(probability, explanation) of one developer message on its own (no session context)."""
    from .model import explain, probability, weights
    from .features import SessionFeatures

    x, hits = SessionFeatures().turn(text, None)
    p, contrib = probability(x, weights())
    return p, explain(contrib, hits) if p >= weights()["threshold"] else None


_TOOL_BLOCK = re.compile(r"```.*?```", re.S)


def detect(turns, tool_events: list[tuple[int, str, bool]] | None = None) -> list[Signal]:
    """Signals for one session.

    ``turns``: objects with ``turn_no``, ``role`` (USER/AGENT) and ``text``. ``tool_events``: optional
    structured tool calls as (turn_no, "name input", is_error); without them, agent text is scanned.
    """
    from .model import detect_pushback

    cfg = rules()
    out: list[Signal] = [Signal(tn, "pushback", cue, score) for tn, cue, score in detect_pushback(turns)]
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
