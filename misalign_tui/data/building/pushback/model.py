"""The pushback model: cue families and context features combined by logistic regression.

Weights ship as ``weights.json`` beside this file and are reproduced exactly by ``python -m
misalign_tui.data.building.pushback.train`` from the tuning part of the dev set. A turn is flagged when its
probability reaches the file's threshold; the explanation is the cue that contributed most (with the
matched words), plus the strongest context when it helped (e.g. "right after the agent claimed success").
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from .features import SessionFeatures, agent_acted, cues, human_text

WEIGHTS_FILE = Path(__file__).with_name("weights.json")
CONTEXT_CUES = {
    "repeat_after_claim": "repeats an instruction the agent claimed done",
    "prev_claim": "right after the agent claimed success", "repeat": "repeats an earlier instruction",
    "error_after_change": "an error right after the agent's changes", "prev_cancelled": "right after cancelling the agent",
    "short_after_long": "short reply to a long agent turn", "prev_tools": "right after the agent's changes",
    "question": "asks a question",
}


@cache
def weights(path: str | None = None) -> dict:
    return json.loads(Path(path or WEIGHTS_FILE).read_text(encoding="utf-8"))


def probability(x: dict[str, float], w: dict) -> tuple[float, list[tuple[float, str]]]:
    """P(pushback) and the positive contributions (weight x value, feature), largest first."""
    coef = w["coef"]
    z = w["bias"]
    contrib = []
    for f, v in x.items():
        c = coef.get(f, 0.0) * v
        z += c
        if c > 0:
            contrib.append((c, f))
    contrib.sort(reverse=True)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), contrib


def explain(contrib: list[tuple[float, str]], hits: dict) -> str:
    cue_part = next(((f, hits[f]) for _, f in contrib if f in hits), None)
    ctx = next((CONTEXT_CUES[f] for _, f in contrib if f in CONTEXT_CUES), None)
    if cue_part is None:
        return ctx or "context"
    text = f"{cue_part[1][0]}: “{cue_part[1][1]}”"
    return f"{text} ({ctx})" if ctx else text


def human_turns(turns):
    """(turn, human text or None, features, cue hits) for every USER turn of a session, in order.

    No features (None) for a turn with nothing typed by a person, and for human turns before the agent first
    acted (text generated into the user channel, such as injected instructions, is not acting): the opening
    request reacts to nothing the agent did, so it is never pushback.
    """
    sf = SessionFeatures()
    prev, acted = None, False
    for t in turns:
        if t.role != "USER":
            prev = t
            acted = acted or agent_acted(t)
            continue
        text = human_text(t)
        if text is None or not text.strip():
            yield t, None, None, {}
        else:
            x, hits = sf.turn(text, prev if acted else None)  # the opening request still counts for repeats
            yield (t, text, x, hits) if acted else (t, text, None, {})
        prev = t


def detect_pushback(turns, w: dict | None = None) -> list[tuple[int, str, float]]:
    """(turn_no, explanation, probability) of every USER turn the model flags."""
    w = w or weights()
    thr = w["threshold"]
    cues()  # compile once
    out = []
    for t, _text, x, hits in human_turns(turns):
        if x is None:
            continue
        p, contrib = probability(x, w)
        if p >= thr:
            out.append((t.turn_no, explain(contrib, hits), round(p, 3)))
    return out
