"""Claude Code session logs: ``~/.claude/projects/<dir>/<sessionId>.jsonl``.

Tool results live in ``type: "user"`` lines but are agent-side (role "agent", kind TOOL_RESULT).
Sub-agent threads (``isSidechain`` lines, sibling ``agent-*.jsonl`` files, ``<session>/subagents/*.jsonl``)
become separate transcripts with ``parent_session`` set; they never enter the main thread.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ...errors import CorpusError
from ...text import one_line
from .common import finish, gc_paused, iso_utc
from .injected import user_message_kind
from .jsonl import JsonlReader, input_summary, render_input, text_of
from .model import AUTO, SUMMARY, TEXT, THINKING, TOOL_CALL, TOOL_RESULT, Message, Transcript
from .repo import repo_of_claude_project_dir, repo_of_cwd, repo_of_url

AGENT, PLATFORM = "Claude Code", "CLI"
# Entry types that carry no conversation (hook / tool progress, file snapshots, UI state, titles, token
# reminders): not imported by design, counted in the import summary as such.
BY_DESIGN = {"system": "status lines (turn duration, hook summaries, API errors)",
             "progress": "tool / hook progress", "file-history-snapshot": "file snapshots",
             "file-history-delta": "file snapshots", "queue-operation": "queue bookkeeping",
             "attachment": "hook output and context attachments", "permission-mode": "UI state",
             "mode": "UI state", "last-prompt": "UI state", "ai-title": "titles", "custom-title": "titles",
             "pr-link": "pull-request links (repository taken from them)", "agent-name": "UI state"}
_SESSION_ID = re.compile(rb'"sessionId"\s*:\s*"([^"]+)"')


def _user_side(text: str, meta: bool, ts) -> Message:
    role, kind = user_message_kind(text, meta)
    return Message(role, text, kind, ts)


_ANSWERED = "User has answered your questions:"


def _answers(text: str, ts) -> list[Message]:
    """The developer's choices in an AskUserQuestion result, as a user message."""
    s = text.strip()
    if not s.startswith(_ANSWERED):
        return []
    s = s[len(_ANSWERED):].split(". You can now continue", 1)[0].strip()
    return [Message("user", f"Answer: {s}", TEXT, ts)] if s else []


def _entry_messages(e: dict, tool_names: dict, t: Transcript) -> list[Message]:
    typ = e.get("type")
    ts = iso_utc(e.get("timestamp"))
    if typ == "summary":
        text = e.get("summary")
        if not isinstance(text, str) or not text.strip():
            return []
        if not t.title:
            t.title = one_line(text, 120)
        return [Message("agent", text, SUMMARY, ts)]
    msg = e.get("message")
    if not isinstance(msg, dict):
        msg = {"content": msg} if isinstance(msg, str) else {}
    content = msg.get("content", e.get("content"))
    out: list[Message] = []
    if typ == "user":
        meta = bool(e.get("isMeta"))
        if e.get("isCompactSummary"):
            return [Message("agent", text_of(content), SUMMARY, ts)]
        if isinstance(content, str) or content is None:
            return [_user_side(content or "", meta, ts)]
        if not isinstance(content, list):
            content = [content]
        for b in content:
            if isinstance(b, str):
                b = {"type": "text", "text": b}
            if not isinstance(b, dict):
                continue
            bt = b.get("type")
            if bt == "tool_result":
                name = tool_names.get(b.get("tool_use_id"))
                text = text_of(b.get("content"))
                out.append(Message("agent", text, TOOL_RESULT, ts, tool_name=name, is_error=bool(b.get("is_error"))))
                if name == "AskUserQuestion":
                    out += _answers(text, ts)
            elif bt == "text":
                out.append(_user_side(b.get("text") or "", meta, ts))
            elif bt in ("image", "document"):
                out.append(Message("agent", f"[{bt}]", AUTO, ts) if meta else Message("user", f"[{bt}]", TEXT, ts))
        return out
    # assistant
    model = msg.get("model")
    model = model if isinstance(model, str) and model and not model.startswith("<") else None
    if isinstance(content, str):
        return [Message("agent", content, TEXT, ts, model=model)] if content.strip() else []
    if not isinstance(content, list):
        return []
    for b in content:
        if not isinstance(b, dict):
            continue
        bt = b.get("type")
        if bt == "text":
            text = b.get("text") or ""
            if text.strip():
                out.append(Message("agent", text, TEXT, ts, model=model))
        elif bt == "thinking":
            text = b.get("thinking") or b.get("text") or ""
            if text.strip():
                out.append(Message("agent", text, THINKING, ts, model=model))
        elif bt == "redacted_thinking":
            out.append(Message("agent", "[redacted thinking]", THINKING, ts, model=model))
        elif bt in ("tool_use", "server_tool_use", "mcp_tool_use"):
            name = b.get("name") or None
            if b.get("id"):
                tool_names[b["id"]] = name
            inp = b.get("input")
            out.append(Message("agent", render_input(inp), TOOL_CALL, ts, tool_name=name,
                               tool_input=one_line(input_summary(inp), 200), model=model))
        elif bt and bt.endswith("_tool_result"):
            out.append(Message("agent", text_of(b.get("content")), TOOL_RESULT, ts,
                               tool_name=tool_names.get(b.get("tool_use_id")), is_error=bool(b.get("is_error"))))
    return out


def _queued(e: dict, typ) -> str | None:
    """Text a person typed while the agent worked: ``queue-operation`` enqueue, ``queued_command`` attachment."""
    if typ == "queue-operation" and e.get("operation") == "enqueue":
        text = e.get("content")
    elif typ == "attachment" and isinstance(e.get("attachment"), dict) and e["attachment"].get("type") == "queued_command":
        text = e["attachment"].get("prompt")
    else:
        return None
    if not isinstance(text, str) or not text.strip() or text.lstrip().startswith("{"):
        return None
    return text if user_message_kind(text) == ("user", TEXT) else None


def _plain_user_text(e: dict) -> str | None:
    msg = e.get("message")
    content = msg.get("content") if isinstance(msg, dict) else msg
    if isinstance(content, list) and len(content) == 1 and isinstance(content[0], dict):
        content = content[0].get("text")
    return content if isinstance(content, str) else None


def _hashable(v):
    """An id usable as a dict key (str / int), else None: ids of junk lines are ignored."""
    return v if isinstance(v, (str, int)) and not isinstance(v, bool) else None


def _build(path: Path, entries, parent: str | None = None, skipped: Counter | None = None) -> Transcript:
    """Messages of one thread; the caller sets session_id / project / lines_read."""
    t = Transcript(path=str(path), format="claude-code", session_id="", agent=AGENT, platform=PLATFORM,
                   parent_session=parent)
    if skipped is not None:
        t.skipped = skipped
    tool_names: dict = {}
    seen: set = set()
    queued: set = set()  # texts typed while the agent worked (queue-operation / queued_command)
    for e in entries:
        typ = e.get("type")
        if typ != "assistant" and typ != "user" and typ != "summary":
            if isinstance(typ, (list, dict)):  # unhashable: no set lookups
                typ = f"<{type(typ).__name__}>"
            queued_text = _queued(e, typ)
            if queued_text is not None:
                if queued_text not in queued:
                    queued.add(queued_text)
                    t.messages.append(Message("user", queued_text, TEXT, iso_utc(e.get("timestamp"))))
            elif typ in BY_DESIGN:
                t.skipped[f"not imported by design: {typ} entries ({BY_DESIGN[typ]})"] += 1
            else:
                t.skipped[f"unknown type: {typ}"] += 1
            continue
        if typ == "user" and queued and _plain_user_text(e) in queued:
            t.skipped["queued message written again when delivered (kept once)"] += 1
            continue
        uid = _hashable(e.get("uuid"))
        if uid:
            if uid in seen:
                t.skipped["duplicate entry"] += 1
                continue
            seen.add(uid)
        try:  # junk inside a well-formed line (a list as tool id, a number as text) skips that line
            t.messages.extend(_entry_messages(e, tool_names, t))
        except (TypeError, AttributeError, ValueError, KeyError):
            t.skipped["malformed entry"] += 1
    return finish(t)


class _Info:
    """Session-level fields picked up while streaming a file."""
    sid = cwd = aid = pr_repo = None

    def repo(self, path: Path) -> str | None:
        return self.pr_repo or repo_of_cwd(self.cwd) or repo_of_claude_project_dir(_project_dir_name(path))


def _stream(reader: JsonlReader, info: _Info, side: list | None):
    for e in reader:
        if info.sid is None and isinstance(e.get("sessionId"), str) and e["sessionId"]:
            info.sid = e["sessionId"]
        if info.cwd is None and isinstance(e.get("cwd"), str) and e["cwd"]:
            info.cwd = e["cwd"]
        if info.aid is None and isinstance(e.get("agentId"), str) and e["agentId"]:
            info.aid = e["agentId"]
        if info.pr_repo is None and e.get("type") == "pr-link":
            pr = e.get("prRepository")
            url = e.get("prUrl") if isinstance(e.get("prUrl"), str) else ""
            info.pr_repo = (pr if isinstance(pr, str) and pr.count("/") == 1 and pr.strip("/") == pr
                            else repo_of_url(url.split("/pull/")[0]) if "/pull/" in url else None)
        if side is not None and e.get("isSidechain") is True:
            side.append(e)
            continue
        yield e


def _read_thread(path: Path, side: list | None) -> tuple[Transcript, _Info]:
    reader, info = JsonlReader(path), _Info()
    t = _build(path, _stream(reader, info, side), skipped=reader.skipped)
    t.lines_read = reader.lines
    return t, info


def _agent_id(entries: list[dict]) -> str | None:
    return next((e["agentId"] for e in entries if isinstance(e.get("agentId"), str) and e["agentId"]), None)


def _stem_id(path: Path) -> str:
    return path.stem[len("agent-"):] if path.stem.startswith("agent-") else path.stem


def _peek_session(p: Path) -> str | None:
    try:
        with open(p, "rb") as fh:
            m = _SESSION_ID.search(fh.read(16384))
    except OSError:
        return None
    return m.group(1).decode("utf-8", "replace") if m else None


@lru_cache(maxsize=32)
def _agent_index(directory: str, mtime_ns: int) -> dict:
    """sessionId -> sibling ``agent-*.jsonl`` files in one project directory (cached per mtime)."""
    idx: dict = {}
    for p in sorted(Path(directory).glob("agent-*.jsonl")):
        sid = _peek_session(p)
        if sid:
            idx.setdefault(sid, []).append(p)
    return idx


def subagent_files(path: Path, session_id: str) -> list[Path]:
    """Sub-agent logs belonging to the session in ``path``: siblings and ``<session>/subagents/``."""
    path = Path(path)
    files: list[Path] = []
    try:
        files += _agent_index(str(path.parent), path.parent.stat().st_mtime_ns).get(session_id, [])
    except OSError:
        pass
    dirs = [path.with_suffix("") / "subagents", path.parent / session_id / "subagents"]
    for d in dirs[: 1 if dirs[0] == dirs[1] else 2]:
        if d.is_dir():
            files += sorted(d.glob("*.jsonl"))
    seen, out = set(), []
    for f in files:
        if f.resolve() != path.resolve() and f not in seen:
            seen.add(f)
            out.append(f)
    return out


def is_subagent_file(path: Path) -> bool:
    path = Path(path)
    return path.name.startswith("agent-") or path.parent.name == "subagents"


def parent_log_exists(path: Path) -> bool:
    """For a sub-agent file: is its main session log beside it (so parsing that log includes this one)?"""
    path = Path(path)
    if path.parent.name == "subagents":
        sess = path.parent.parent
        return sess.with_suffix(".jsonl").is_file()
    sid = _peek_session(path)
    return bool(sid) and (path.parent / f"{sid}.jsonl").is_file()


def _project_dir_name(path: Path) -> str | None:
    p = Path(path)
    if p.parent.name == "subagents":
        return p.parent.parent.parent.name or None
    return p.parent.name or None


def _parse_claude_code(path: Path) -> list[Transcript]:
    path = Path(path)
    in_subagents = path.parent.name == "subagents"
    if is_subagent_file(path):
        t, info = _read_thread(path, None)
        parent = info.sid or (path.parent.parent.name if in_subagents else None)
        t.parent_session = parent
        t.session_id = f"{parent}:agent-{info.aid or _stem_id(path)}" if parent else path.stem
        t.project = info.repo(path)
        return [t]

    side: list = []
    main, info = _read_thread(path, side)
    sid = main.session_id = info.sid or path.stem
    project = main.project = info.repo(path)
    result = [main]

    groups: dict = {}
    root_of: dict = {}
    for e in side:  # group sidechain lines by agentId, else by the chain they continue
        uid, par = _hashable(e.get("uuid")), _hashable(e.get("parentUuid"))
        key = _hashable(e.get("agentId")) or root_of.get(par) or uid or f"line{len(groups)}"
        if uid:
            root_of[uid] = key
        groups.setdefault(key, []).append(e)
    for n, group in enumerate(groups.values(), 1):
        aid = _agent_id(group)
        t = _build(path, group, sid)
        t.session_id = f"{sid}:agent-{aid}" if aid else f"{sid}:sidechain-{n}"
        t.project, t.lines_read = project, len(group)
        result.append(t)

    for f in subagent_files(path, sid):
        try:
            t, sub = _read_thread(f, None)
        except CorpusError:
            main.skipped["unreadable sub-agent file"] += 1
            continue
        t.parent_session, t.project = sid, project
        t.session_id = f"{sid}:agent-{sub.aid or _stem_id(f)}"
        result.append(t)
    return result


def parse_claude_code(path: Path) -> list[Transcript]:
    """The main thread first, then one transcript per sub-agent thread (``parent_session`` set).

    Raises ``CorpusError`` naming the file when it cannot be read; bad lines are counted, never raised.
    """
    with gc_paused():
        return _parse_claude_code(path)
