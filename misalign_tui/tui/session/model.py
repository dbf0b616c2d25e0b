"""The Session screen's data model: blocks (turns) with the evidence marks of the current episode.

Nothing here imports textual. All corpus text goes through ``data.text.visible`` before it is stored in a
block, so everything downstream (wrapping, rendering, copying, the pager) handles safe text only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from misalign_tui.data.reading.corpus import Corpus, EpisodeDetail, Evidence, Turn
from misalign_tui.data.taxonomy import label
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.turns import parse_turn_ref

PUSHBACK = "pushback"
EVIDENCE = "evidence"

GLYPH = {PUSHBACK: "▶", EVIDENCE: "◆"}
MARK_LABEL = {PUSHBACK: "▶ PUSHBACK", EVIDENCE: "◆ evidence"}
OTHER_GLYPH = "◇"

NO_TRANSCRIPT = ("The transcript of this session is not in the corpus (the study's raw traces are mostly not "
                 "redistributable); import it with `misalign-tui import {path}`")


def display_text(text: str | None) -> str:
    """Corpus text made safe for the terminal (escapes visible) with tabs expanded."""
    return visible(text).expandtabs(4)


# ----- blocks ---------------------------------------------------------------------------------
@dataclass(eq=False, slots=True)
class Block:
    """One block of the transcript view: a turn, or an evidence item / note without a turn."""

    kind: str  # "turn" | "evidence" (an evidence item shown on its own) | "info"
    text: str  # display text (cleaned)
    turn_no: int | None = None
    role: str = ""  # USER / AGENT for turns
    ts: datetime | None = None
    title: str = ""  # header of non-turn blocks
    # marks of the current episode (reset by mark_blocks)
    # (sequences are shared empty tuples until something is marked: a long session has many blocks)
    mark: str | None = None  # PUSHBACK / EVIDENCE / None
    seqs: Sequence[int] = ()  # evidence seq numbers pointing here
    spans: Sequence[tuple[int, int]] = ()  # quote highlights in ``text``, sorted, disjoint
    notes: Sequence[str] = ()  # "quote not found verbatim: …" and the like
    others: Sequence[str] = ()  # other episodes' marks: "M002 ▶"
    # per session, kept across episode switches (not reset by mark_blocks)
    signals: Sequence[tuple[str, str]] = ()  # detected (kind, cue) of turn_signals (signals.py)
    search_hit: bool = False  # a hit turn of the search the screen was opened with (hits.py)
    hits: Sequence[tuple[int, int]] = ()  # the search's matches in ``text``, sorted, disjoint
    # view state
    expanded: bool = False
    # layout cache (owned by the view)
    cache_width: int = -1
    rows: tuple[int, ...] | None = None  # flat (start, end, …) row offsets (wrap.wrap_offsets)
    note_rows: Sequence[tuple[int, int, int]] | None = None
    estimate: int = 0
    long: bool = False

    def reset_marks(self) -> None:
        if self.mark or self.notes or self.others:
            self.mark = None
            self.seqs = self.spans = self.notes = self.others = ()
            self.note_rows = None


def turn_blocks(turns: list[Turn] | list[tuple]) -> list[Block]:
    """Blocks of turns: ``Turn`` objects or (turn_no, role, ts, text) rows of ``session_turns.sql``."""
    return [Block("turn", display_text(text), no, role, ts) for no, role, ts, text in
            (t if isinstance(t, tuple) else (t.turn_no, t.role, t.ts, t.text) for t in turns)]


# ----- locating quotes ------------------------------------------------------------------------
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.+|…)\s*")
_TRIM = " \t\n\"'“”‘’`.…"


def _loose(fragment: str) -> re.Pattern | None:
    words = fragment.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def locate_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` is in ``text`` (both display text): exact substring first, then ignoring case and
    whitespace, then (for quotes the annotator elided with "...") every fragment in order. [] = not found."""
    if not quote.strip():
        return []
    i = text.find(quote)
    if i >= 0:
        return [(i, i + len(quote))]
    core = quote.strip(_TRIM)
    pat = _loose(core)
    if pat is None:
        return []
    m = pat.search(text)
    if m:
        return [m.span()]
    parts = [p.strip(_TRIM) for p in _ELLIPSIS.split(core)]
    parts = [p for p in parts if len(p) >= 8]
    if len(parts) < 2:
        return []
    spans, pos = [], 0
    for p in parts:
        m = _loose(p).search(text, pos)
        if not m:
            return []
        spans.append(m.span())
        pos = m.end()
    return spans


# ----- marks ----------------------------------------------------------------------------------
def mark_kind(ev: Evidence) -> str:
    return PUSHBACK if ev.role == "USER" else EVIDENCE


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def evidence_block(ev: Evidence, why: str = "") -> Block:
    """A block showing one evidence item on its own (no transcript, or a turn not in it)."""
    quote = display_text(ev.quote)
    ctx = display_text(ev.context)
    text = quote if quote else "(empty quote)"
    spans = [(0, len(quote))] if quote else []
    if ctx:
        text += "\n\ncontext: " + ctx
    b = Block("evidence", text, title=display_text(ev.turn_ref) or "unknown turn")
    b.mark = mark_kind(ev)
    b.seqs = [ev.seq]
    b.spans = spans
    b.notes = [why] if why else []
    return b


def no_transcript_text(session: dict) -> str:
    path = f"workspace/{session.get('repo')}/session_parsed/{session.get('session_id')}.json"
    return NO_TRANSCRIPT.format(path=display_text(path))


def mark_blocks(turns: list[Block], detail: EpisodeDetail | None, session_evidence: list[tuple],
                session: dict) -> list[Block]:
    """Mark ``turns`` with the evidence of ``detail`` and of the session's other episodes.

    Returns the blocks to show: the turns, preceded by evidence items that point at no turn of the
    transcript; for a session without a transcript, an explanation and every evidence item.
    """
    for b in turns:
        b.reset_marks()
    lead: list[Block] = []
    evidence = detail.evidence if detail is not None else []
    if session.get("n_turns") is None:
        lead.append(Block("info", no_transcript_text(session), title="ⓘ no transcript"))
        if detail is None:
            lead.append(Block("info", "This session has no episode.", title="ⓘ no episode"))
        elif not evidence:
            lead.append(Block("info", "This episode has no evidence quotes in the corpus.", title="ⓘ no evidence"))
        for ev in evidence:
            lead.append(evidence_block(ev))
        return lead
    by_no = {b.turn_no: b for b in turns}
    for ev in evidence:
        b = by_no.get(ev.turn_no) if ev.turn_no is not None else None
        if b is None:
            num, _ = parse_turn_ref(ev.turn_ref)
            if num is None:
                why = "the turn reference is missing or unreadable"
            elif num > len(turns) or num < 1:
                why = f"turn {num} is past the end of the transcript ({len(turns):,} turns)"
            else:
                why = f"turn {num} is not in this transcript"
            lead.append(evidence_block(ev, f"⚠ not placed in the transcript: {why}"))
            continue
        kind = mark_kind(ev)
        if not b.mark:
            b.seqs, b.spans, b.notes, b.note_rows = [], [], [], None
        if b.mark != PUSHBACK:
            b.mark = kind
        b.seqs.append(ev.seq)
        if ev.role in ("USER", "AGENT") and ev.role != b.role:
            b.notes.append(f"⚠ the evidence refers to {display_text(ev.turn_ref)}, but this turn is {b.role}")
        quote = display_text(ev.quote)
        if quote.strip():
            found = locate_quote(b.text, quote)
            if found:
                b.spans.extend(found)
            else:
                b.notes.append(f"⚠ quote not found verbatim: “{quote}”")
    for b in turns:
        if len(b.spans) > 1:
            b.spans = _merge(list(b.spans))
    me = detail.key if detail is not None else None
    other: dict[int, dict[str, bool]] = {}
    for ekey, _eno, turn_no, role, _quote in session_evidence:
        if ekey == me or turn_no not in by_no:
            continue
        mids = other.setdefault(turn_no, {})
        mid = display_text(ekey.rsplit("/", 1)[-1])
        mids[mid] = mids.get(mid, False) or role == "USER"
    for turn_no, mids in other.items():
        by_no[turn_no].others = [f"{m} {GLYPH[PUSHBACK]}" if pb else m for m, pb in mids.items()]
        by_no[turn_no].note_rows = None
    if not turns and not lead:
        lead.append(Block("info", "This transcript has no turns.", title="ⓘ empty transcript"))
    return lead + turns


# ----- labels and citations -------------------------------------------------------------------
def label_parts(row: dict) -> list[str]:
    """Glossed labels of an episode row: symptoms, causes (with tier), damage, resolution."""
    if row.get("validation") == "INVALID":
        from misalign_tui.data.taxonomy import gloss
        return [f"INVALID candidate: {gloss('invalid_category', row.get('invalid_category')) or 'no category'}"]
    parts = [label("symptom", s) for s in row.get("symptoms") or ()]
    parts += [label("cause", code) + (f" ({tier})" if tier else "") for code, tier in EpisodeDetail(row).cause_tiers()]
    if row.get("severity"):
        parts.append(label("severity", row["severity"]))
    if row.get("locus"):
        parts.append(label("locus", row["locus"]))
    if row.get("status"):
        parts.append(label("status", row["status"]))
    if row.get("resolver"):
        parts.append(label("resolver", row["resolver"]))
    return parts


def citation(detail: EpisodeDetail) -> str:
    """A Markdown citation: key, name, glossed labels and the (first) pushback quote with its turn."""
    row = detail.row
    lines = [f"**{detail.key}**" + (f" — {one_line(visible(row.get('name')), 200)}" if row.get("name") else "")]
    symptoms = [label("symptom", s) for s in row.get("symptoms") or ()]
    causes = [label("cause", code) + (f" ({tier})" if tier else "") for code, tier in detail.cause_tiers()]
    if row.get("validation") == "INVALID":
        lines.append(f"- {label_parts(row)[0]}")
    if symptoms:
        lines.append("- Symptoms: " + "; ".join(symptoms))
    if causes:
        lines.append("- Causes: " + "; ".join(causes))
    damage = [label(a, row.get(k)) for a, k in (("severity", "severity"), ("locus", "locus")) if row.get(k)]
    if damage:
        lines.append("- Damage: " + "; ".join(damage))
    res = [label(a, row.get(a)) for a in ("status", "resolver") if row.get(a)]
    if res:
        lines.append("- Resolution: " + "; ".join(res))
    ev = (detail.pushback() or detail.evidence or [None])[0]
    if ev is not None and ev.quote.strip():
        quote = " ".join(display_text(ev.quote).split())
        ref = display_text(ev.turn_ref) or "unknown turn"
        lines.append("")
        lines.append(f"> “{quote}” — {ref}")
    return "\n".join(lines) + "\n"


def session_line(session: dict | None) -> str:
    if not session:
        return ""
    bits = [session.get("platform"), session.get("agent")]
    out = " · ".join(display_text(str(b)) for b in bits if b)
    if session.get("ts"):
        out += (" · " if out else "") + str(session["ts"])
    return out


def render_transcript_text(corpus: Corpus, session_key: str) -> str:
    """The session's transcript as plain, cleaned text with ``TURN n | ROLE`` headers (for a pager)."""
    s = corpus.session(session_key)
    if s is None:
        return f"no such session: {display_text(session_key)}\n"
    out = [f"SESSION {display_text(s['session_key'])}"]
    if s.get("title"):
        out.append(f"TITLE   {display_text(s['title'])}")
    if session_line(s):
        out.append(f"        {session_line(s)}")
    out.append("")
    if s.get("n_turns") is None:
        out.append(no_transcript_text(s))
        return "\n".join(out) + "\n"
    for t in corpus.turns(s["session_no"]):
        head = f"──── TURN {t.turn_no} | {t.role}" + (f" · {t.ts}" if t.ts else "") + " "
        out.append(head + "─" * max(4, 72 - len(head)))
        out.append(display_text(t.text))
        out.append("")
    return "\n".join(out) + "\n"
