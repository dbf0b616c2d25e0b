"""Features of a developer (USER) turn for the pushback model: cue families from ``cues.toml`` and context.

Context features look at the turn's place in the session: right after the agent claimed success, made
changes or was cancelled; after the agent asked a question (an answer is expected); a repeat of an earlier
instruction; a short reply after a long agent turn; an error log pasted right after a claim or a change.
The session's opening request reacts to nothing the agent did (see ``model.human_turns``). Only what a
person typed is read: TEXT and INTERRUPT messages of the turn when the importer attached them (commands
and generated text are ignored); of long turns the head and the tail (a pasted log, then the complaint).

Speed: the cues run through ``literals.Matcher`` (only the alternatives whose words occur in the turn);
the agent's turn is read once, its prose tail only.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .literals import Matcher

CUES_FILE = Path(__file__).with_name("cues.toml")
HEAD, TAIL_READ = 800, 300  # characters of a turn the cues read: its head, and its tail when it is longer
CLAIM_TAIL = 600  # characters of the agent's last prose read for a success claim
ASK_TAIL = 200  # ... for a question or an offer to the developer
SNIPPET = 40  # characters of explanation: a short match is continued to the end of its clause within them
_CLAUSE_END = re.compile(r"[.!?;\n。！？]")
REPEAT_WINDOW, REPEAT_WORDS = 20, 5  # earlier turns a repeat is looked for in; words a turn needs to count
# not words of an instruction: interrupt markers, links and paths (a pasted link is no repeated request)
_MARKER = re.compile(r"\[request interrupted by user[^\]]*\]|<turn_aborted>|\[turn aborted\]|\w+://\S+|[@~.]?/[\w./-]+",
                     re.I)
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
CLAIM = "|".join([  # the agent says the work is done / fixed / working (each word its own alternative: fast)
    r"\bdone\b", r"\bfixed\b", r"\bresolved\b", r"\bcompleted?\b", r"\bimplemented\b", r"\bsuccessfully\b",
    r"\bworks (now|correctly|perfectly|as expected)\b", r"\bnow works\b", r"\bshould now\b", r"\bshould (now )?work\b",
    r"\b(is|are) now\b", r"\ball (tests|checks) (now )?pass(ed)?\b", r"\btests pass", r"\beverything (is|works)\b",
    r"\bready (to use|for)\b", r"\bi\W?ve (fixed|updated|added|implemented|changed|created|removed)\b",
    r"\b(has|have) been (fixed|updated|added|implemented|resolved)\b", r"\b(build|tests?) (passe[sd]|succeeded)\b",
    r"✅|🎉|🚀", r"已(完成|修复|解决|实现|更新|添加)|修复(了|完成)|完成了|成功", r"完了しました|修正しました|対応しました",
    r"\bconcluído|\bcorrigido|\bimplementado|\blisto\b|\barreglado|\berledigt|\bbehoben|\bterminé|\bcorrigé",
    r"\bgotowe|\bnaprawion|완료|수정했"])
ASKS = (  # the agent ends by asking the developer something: the reply is an answer
    r"\?\s*\**\s*$|\b(would you like|do you want|shall i|should i|let me know|which (one|option|approach)|"
    r"want me to|prefer)\b|吗？\s*$|ですか|しますか|할까요")
_CANCELLED = re.compile(r"(^|\n)[\W_]*(cancelled|canceled|\[request interrupted[^\n]*|interrupted)[\W_]*$", re.I)
TEXT_KINDS = ("text", "interrupt")


@dataclass(frozen=True)
class Cue:
    feature: str
    cue: str
    pattern: str
    where: str  # "" (anywhere in the head) or "start"
    unless: re.Pattern | None


@cache
def cues() -> tuple[Cue, ...]:
    raw = tomllib.loads(CUES_FILE.read_text(encoding="utf-8"))
    pattern = lambda p: "|".join(x.strip() for x in p) if isinstance(p, list) else p.strip()  # noqa: E731
    return tuple(Cue(c["feature"], c["cue"], pattern(c["pattern"]), c.get("where", ""),
                     re.compile(c["unless"], re.I) if c.get("unless") else None) for c in raw["cue"])


@cache
def matcher() -> Matcher:
    """All cue patterns behind one literal index (see literals.py): case-insensitive; "start" cues anchored
    at the turn's first characters."""
    return Matcher([(c.pattern, re.I, *((r"\A\W{0,3}(?:", ")") if c.where == "start" else ("", "")))
                    for c in cues()])


@cache
def _claim() -> Matcher:
    return Matcher([(CLAIM, re.I, "", "")])


@cache
def _asks() -> Matcher:
    return Matcher([(ASKS, re.I, "", "")])


CONTEXT = ("prev_claim", "prev_tools", "prev_cancelled", "prev_asks", "repeat", "repeat_after_claim",
           "error_after_change", "short", "short_after_long", "question", "long", "code_heavy")


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


def agent_acted(turn) -> bool:
    """Whether an AGENT turn holds anything the agent did (not only text generated into the user channel)."""
    extra = getattr(turn, "extra", None)
    if not extra or not hasattr(extra[0], "kind"):
        return True
    return any(m.kind not in ("automatic", "summary") for m in extra)


def agent_said(turn) -> tuple[str, bool]:
    """(tail of the agent's prose, whether it called tools) for an AGENT turn."""
    extra = getattr(turn, "extra", None)
    if extra and hasattr(extra[0], "kind"):
        tail, size = [], 0
        for m in reversed(extra):  # the last prose messages, up to CLAIM_TAIL characters
            if m.kind == "text" and size < CLAIM_TAIL:
                tail.append(m.text[-CLAIM_TAIL:])
                size += len(tail[-1])
        tools = any(m.kind == "tool_call" for m in extra)
        return "\n".join(reversed(tail))[-CLAIM_TAIL:], tools
    text = turn.text
    return text[-CLAIM_TAIL:], "Tool use:" in text or "```" in text


def context_of(prev) -> dict[str, float]:
    """Context features of the AGENT turn a human turn follows."""
    if prev is None:
        return {}
    said, tools = agent_said(prev)
    x = {"prev_tools": 1.0} if tools else {}
    said = said.rstrip()
    if said:
        if _claim().found(said):
            x["prev_claim"] = 1.0
        if _asks().found(said[-ASK_TAIL:]):
            x["prev_asks"] = 1.0
        if _CANCELLED.search(said[-60:]):
            x["prev_cancelled"] = 1.0
    return x


def reading(text: str) -> str:
    """The part of a human turn the cues read: its head, and its tail when it is long."""
    if len(text) <= HEAD + TAIL_READ:
        return text
    return text[:HEAD] + "\n…\n" + text[-TAIL_READ:]


def cue_hits(text: str) -> dict[str, tuple[str, str]]:
    """feature -> (cue, matched text) for every cue family matching ``text``."""
    head = reading(text)
    hits: dict[str, tuple[str, str]] = {}
    for c, span in zip(cues(), matcher().search(head)):
        if span is None or c.feature in hits or (c.unless is not None and c.unless.search(head)):
            continue
        hits[c.feature] = (c.cue, snippet(head, *span))
    return hits


def snippet(text: str, start: int, end: int) -> str:
    """The matched words for the explanation, continued to the end of their clause when they are few ("still" ->
    "still failing, same error"), at most 40 characters."""
    if end - start < SNIPPET:
        stop = _CLAUSE_END.search(text, end, start + SNIPPET)
        end = stop.start() if stop else min(len(text), start + SNIPPET)
    return " ".join(text[start:end].split())[:SNIPPET]


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text[:HEAD].lower()))


class SessionFeatures:
    """Walks one session's turns and yields (turn, human text, features, cue hits) for each human turn."""

    def __init__(self):
        self.seen: list[frozenset] = []

    def turn(self, text: str, prev) -> tuple[dict[str, float], dict]:
        hits = cue_hits(text)
        x = {f: 1.0 for f in hits}
        x.update(context_of(prev))
        w = words(_MARKER.sub(" ", text[:HEAD]))
        n = len(w) if not _CJK.search(text[:200]) else len(text[:HEAD]) // 3
        if "template" not in x and len(w) >= REPEAT_WORDS:  # a request the IDE generated is no repeat
            if any(len(w & o) / len(w | o) >= 0.5 for o in self.seen[-REPEAT_WINDOW:]):
                x["repeat"] = 1.0
            self.seen.append(w)
        if "repeat" in x and "prev_claim" in x:
            x["repeat_after_claim"] = 1.0  # the agent said it was done, and the instruction comes again
        if "error_report" in x and ("prev_claim" in x or "prev_tools" in x):
            x["error_after_change"] = 1.0  # an error pasted right after the agent changed or claimed
        if n <= 12:
            x["short"] = 1.0
            if prev is not None and len(prev.text) > 3000:
                x["short_after_long"] = 1.0
        if "?" in text[:HEAD] or "？" in text[:HEAD]:
            x["question"] = 1.0
        if n > 150:
            x["long"] = 1.0
        if text[:HEAD].count("```") >= 2 or text.count("\n") > 30:
            x["code_heavy"] = 1.0
        return x, hits
