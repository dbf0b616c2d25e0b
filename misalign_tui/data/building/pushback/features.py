"""Features of a developer (USER) turn for the pushback model: cue families from ``cues.toml`` and context.

Context features look at the turn's place in the session: right after the agent claimed success or made
changes, a repeat of an earlier instruction, a short reply after a long agent turn, the session's first
human turn (a request, never a reaction). Only what a person typed is read: TEXT and INTERRUPT messages of
the turn when the importer attached them (commands and generated text are ignored).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CUES_FILE = Path(__file__).with_name("cues.toml")
HEAD = 1200  # characters of a turn the cues read (pushback is said first; long pastes and plans follow)
TAIL = 1500  # characters of the previous agent prose read for a success claim
REPEAT_WINDOW = 20
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_FENCE = re.compile(r"```")
_SUCCESS = re.compile(
    r"\b(done|fixed|resolved|completed?|implemented|successfully|works now|now works|should now|should work now|"
    r"is now|are now|all (tests|checks) pass(ed)?|tests pass|everything (is|works)|ready to use|i\W?ve (fixed|"
    r"updated|added|implemented|changed|created|removed)|has been (fixed|updated|added|implemented|resolved))\b|"
    r"✅|🎉|已(完成|修复|解决|实现|更新|添加)|修复(了|完成)|完成了|成功|完了しました|修正しました|対応しました|"
    r"concluído|corrigido|implementado|listo|arreglado|erledigt|behoben|terminé|corrigé|완료|수정했", re.I)
TEXT_KINDS = ("text", "interrupt")


@dataclass(frozen=True)
class Cue:
    feature: str
    cue: str
    pattern: re.Pattern
    unless: re.Pattern | None


@cache
def cues() -> tuple[Cue, ...]:
    raw = tomllib.loads(CUES_FILE.read_text(encoding="utf-8"))
    out = []
    for c in raw["cue"]:
        pat = c["pattern"].strip()
        if c.get("where") == "start":
            pat = r"\A\W{0,3}(?:" + pat + ")"
        out.append(Cue(c["feature"], c["cue"], re.compile(pat, re.I),
                       re.compile(c["unless"], re.I) if c.get("unless") else None))
    return tuple(out)


CONTEXT = ("prev_success", "prev_tools", "repeat", "repeat_after_claim", "short", "short_after_long", "question", "long", "code_heavy")


@cache
def feature_names() -> tuple[str, ...]:
    seen: list[str] = []
    for c in cues():
        if c.feature not in seen:
            seen.append(c.feature)
    return tuple(seen) + CONTEXT


def human_text(turn) -> str | None:
    """What a person typed in a USER turn (None: only commands / generated text)."""
    extra = getattr(turn, "extra", None)
    if not extra or not hasattr(extra[0], "kind"):
        return turn.text
    parts = [m.text for m in extra if m.kind in TEXT_KINDS and m.role == "user"]
    return "\n\n".join(parts) if parts else None


def agent_said(turn) -> tuple[str, bool]:
    """(tail of the agent's prose, whether it called tools) for an AGENT turn."""
    extra = getattr(turn, "extra", None)
    if extra and hasattr(extra[0], "kind"):
        prose = [m.text for m in extra if m.kind == "text"]
        tools = any(m.kind == "tool_call" for m in extra)
        return ("\n".join(prose))[-TAIL:], tools
    text = turn.text
    return text[-TAIL:], "Tool use:" in text or "```" in text


def cue_hits(text: str) -> dict[str, tuple[str, str]]:
    """feature -> (cue, matched text) for every cue family matching ``text``."""
    head = text[:HEAD]
    hits: dict[str, tuple[str, str]] = {}
    for c in cues():
        if c.feature in hits:
            continue
        m = c.pattern.search(head)
        if m is None or (c.unless is not None and c.unless.search(head)):
            continue
        hits[c.feature] = (c.cue, " ".join(m.group(0).split())[:40])
    return hits


def words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text[:HEAD]))


class SessionFeatures:
    """Walks one session's turns and yields (turn, human text, features, cue hits) for each human turn."""

    def __init__(self):
        self.seen: list[frozenset] = []

    def turn(self, text: str, prev) -> tuple[dict[str, float], dict]:
        hits = cue_hits(text)
        x = {f: 1.0 for f in hits}
        said, tools = agent_said(prev) if prev is not None else ("", False)
        w = words(text)
        n = len(w) if not _CJK.search(text[:200]) else len(text[:HEAD]) // 3
        if said and _SUCCESS.search(said):
            x["prev_success"] = 1.0
        if tools:
            x["prev_tools"] = 1.0
        if len(w) >= 4 and any(len(w & o) / len(w | o) >= 0.5 for o in self.seen[-REPEAT_WINDOW:]):
            x["repeat"] = 1.0
        if len(w) >= 4:
            self.seen.append(w)
        if "repeat" in x and "prev_success" in x:
            x["repeat_after_claim"] = 1.0  # the agent said it was done, and the instruction comes again
        if n <= 12:
            x["short"] = 1.0
            if prev is not None and len(prev.text) > 3000:
                x["short_after_long"] = 1.0
        if "?" in text[:HEAD] or "？" in text[:HEAD]:
            x["question"] = 1.0
        if n > 150:
            x["long"] = 1.0
        if len(_FENCE.findall(text[:HEAD])) >= 2 or text.count("\n") > 30:
            x["code_heavy"] = 1.0
        return x, hits
