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


def add_transcript_file(joined, path: Path, source_name: str | None) -> None:
    """Parse one transcript file and add its session(s) to the sources being joined (``JoinedSources``)."""

    try:
        transcripts = parse_file(path)
    except CorpusError as e:
        joined.b.skipped[f"unreadable transcript file ({e})"] += 1
        joined.report_files[str(path)] = f"unreadable: {e}"
        return
    transcripts = [t for t in transcripts if t.messages]
    if not transcripts:
        joined.b.skipped["file of no known transcript format"] += 1
        joined.report_files[str(path)] = "no known transcript format"
        return
    notes = []
    for t in transcripts:
        session, turns, turn_ts, calls, events = session_rows(t, source_name)
        key = session["key"]
        if key in joined.sessions:
            joined.b.skipped[f"{t.format}: session already imported (twin export)"] += 1
            notes.append(f"{key}: duplicate, skipped")
            continue
        joined.sessions[key] = session
        joined.turns[key] = turns
        joined.turn_ts[key] = turn_ts
        joined.tool_calls[key] = calls
        joined.tool_events[key] = events
        for reason, n in t.skipped.items():
            joined.b.skipped[f"{t.format}: {reason}"] += n
        skipped = sum(t.skipped.values())
        notes.append(f"{len(turns)} turns, {t.lines_read} lines read" + (f", {skipped} skipped" if skipped else ""))
        joined.b.sources[f"{t.format} transcripts"] += 1
    joined.report_files[str(path)] = "; ".join(notes)
