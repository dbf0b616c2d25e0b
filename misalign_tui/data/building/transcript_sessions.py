"""Bring-your-own transcripts (SpecStory, Claude Code, Codex) -> sessions and turns of a corpus."""

from __future__ import annotations

from pathlib import Path

from ..errors import CorpusError
from ..turns import merge_turns
from .transcripts.formats import parse_file
from .transcripts.model import AUTO, SUMMARY, THINKING, TOOL_CALL, TOOL_RESULT, Message, Transcript

TOOL_RESULT_LIMIT = 20000  # characters of one tool output kept in the turn text


def _message_text(m: Message) -> str:
    if m.kind == TOOL_CALL:
        inp = f" `{m.tool_input}`" if m.tool_input else ""
        more = f"\n{m.text}" if m.text and m.text != m.tool_input else ""
        return f"Tool use: **{m.tool_name or 'tool'}**{inp}{more}"
    if m.kind == TOOL_RESULT:
        body = m.text if len(m.text) <= TOOL_RESULT_LIMIT else m.text[:TOOL_RESULT_LIMIT] + "\n… [output cut]"
        return ("Tool result (error):" if m.is_error else "Tool result:") + f"\n```\n{body}\n```"
    if m.kind == THINKING:
        return f"[thinking]\n{m.text}"
    if m.kind == SUMMARY:
        return f"[summary]\n{m.text}"
    if m.kind == AUTO:
        return f"[automatic]\n{m.text}"
    return m.text


def session_rows(t: Transcript, source_name: str | None):
    """(session dict, merged turns, tool events) for one transcript."""
    source = (source_name or t.format).strip().lower()
    repo = (t.project or "unknown").strip() or "unknown"
    key = f"{source}/{repo}/{t.session_id}"
    msgs = [m for m in t.messages]
    turns = merge_turns([(m.role, _message_text(m)) for m in msgs], payloads=msgs)
    events, calls = [], []
    for turn in turns:
        seq = 0
        for m in turn.extra:
            if m.kind == TOOL_CALL:
                seq += 1
                calls.append([turn.turn_no, seq, m.tool_name, m.tool_input, False])
                events.append([turn.turn_no, f"{m.tool_name} {m.tool_input or ''}".strip(), False])
            elif m.kind == TOOL_RESULT and m.is_error:
                match = next((c for c in reversed(calls) if m.tool_name in (None, c[2])), None)
                if match is not None:
                    match[4] = True
                events.append([turn.turn_no, f"{m.tool_name or 'tool'} result", True])
    ts = t.started_at or next((m.ts for m in msgs if m.ts), None)
    if ts is not None and ts.tzinfo is not None:
        ts = ts.replace(tzinfo=None)
    session = {
        "key": key, "source": source, "repo": repo, "session_id": t.session_id, "session_count_id": None,
        "ts": ts, "platform": t.platform, "agent": t.agent or "Unknown", "model": t.model, "title": t.title,
        "origin": t.path, "user_turns": sum(x.role == "USER" for x in turns),
        "agent_turns": sum(x.role == "AGENT" for x in turns), "license": None, "unannotated": True,
        "parent": f"{source}/{repo}/{t.parent_session}" if t.parent_session else None,
    }
    turn_ts = [next((m.ts.replace(tzinfo=None) for m in x.extra if m.ts), None) for x in turns]
    return session, turns, turn_ts, calls, [tuple(e) for e in events]


MAX_CANDIDATES = 50  # candidate episodes per unannotated session


def _candidates(turns, signals) -> list[dict]:
    """Each detected pushback turn as a CANDIDATE episode (kept when the session has no annotated episode)."""
    by_turn = {t.turn_no: t for t in turns}
    out = []
    for sig in sorted((s for s in signals if s.kind == "pushback"), key=lambda s: s.turn_no)[:MAX_CANDIDATES]:
        text = by_turn[sig.turn_no].text
        quote = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:200]
        out.append({"mid": f"P{sig.turn_no:03d}",
                    "name": f"Candidate pushback at turn {sig.turn_no} — {sig.cue.split(':')[0]}",
                    "description": f"Detected without annotation ({sig.cue}, score {sig.score:.1f}). "
                                   f"Turn {sig.turn_no}: {text[:300]}",
                    "evidence": [{"turn": f"TURN {sig.turn_no} | USER", "quote": quote, "context": sig.cue}]})
    return out


def _rows(key_turns, turn_ts, calls, events, detect_signals: bool):
    from .pushback.signals import detect

    signals = detect(key_turns, events) if key_turns and detect_signals else []
    turns = [(t.turn_no, t.role, ts, t.n_messages, t.text) for t, ts in zip(key_turns, turn_ts)]
    return turns, calls, [(s.turn_no, s.kind, s.cue, s.score) for s in signals], _candidates(key_turns, signals)


def parse_one(job: tuple[str, str, str | None, bool]) -> dict:
    """Parse one file of the study's parsed sessions or of raw transcripts into plain rows (runs in a worker
    process): turns, tool calls, detected signals and candidate episodes per session. Errors are returned."""
    kind, path, source_name, detect_signals = job
    path = Path(path)
    try:
        if kind == "parsed":
            from . import study as st

            header, turns = st.parsed_session(path)
            rows = _rows(turns, [None] * len(turns), [], None, detect_signals)
            return {"kind": kind, "path": str(path), "ids": st.workspace_ids(path), "header": header, "rows": rows,
                    "size": path.stat().st_size}
        try:
            transcripts = parse_file(path)
        except CorpusError as e:
            return {"kind": kind, "path": str(path), "unreadable": str(e), "size": 0}
        sessions = []
        for t in (t for t in transcripts if t.messages):
            session, turns, turn_ts, calls, events = session_rows(t, source_name)
            sessions.append({"session": session, "format": t.format, "skipped": dict(t.skipped),
                             "lines": t.lines_read, "rows": _rows(turns, turn_ts, calls, events, detect_signals)})
        return {"kind": kind, "path": str(path), "sessions": sessions, "size": path.stat().st_size}
    except CorpusError as e:
        return {"kind": kind, "path": str(path), "error": str(e)}
