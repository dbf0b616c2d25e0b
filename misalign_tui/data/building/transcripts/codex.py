"""Codex CLI rollouts: ``~/.codex/sessions/YYYY/MM/DD/rollout-<ts>-<uuid>.jsonl``.

Lines are ``session_meta`` / ``response_item`` / ``event_msg`` / ``turn_context`` / ``compacted`` objects
(older rollouts: bare response items after a ``{"id", "timestamp", ...}`` header line). Visible messages
are written twice (a ``response_item`` message and an ``event_msg`` user_message / agent_message mirror):
whichever comes first is kept and its mirror dropped, so each message appears once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from ...text import one_line
from .common import finish, gc_paused, iso_utc, parse_iso
from .jsonl import JsonlReader, input_summary, render_input, text_of
from .injected import user_message_kind
from .model import AUTO, INTERRUPT, SUMMARY, TEXT, THINKING, TOOL_CALL, TOOL_RESULT, Message, Transcript
from .repo import repo_of_cwd, repo_of_url

AGENT, PLATFORM = "Codex CLI", "CLI"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_FILE_TS = re.compile(r"rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})")
# Context Codex injects as "user" messages: <environment_context>, <user_instructions>, AGENTS.md, ...
_INJECTED = re.compile(r"\s*(?:<([a-z]+(?:[_ ][a-z]+)+|INSTRUCTIONS)>[\s\S]*</\1>\s*\Z|# AGENTS\.md instructions"
                       r"|<environment_context>|<user_instructions>|<INSTRUCTIONS>|<permissions instructions>)")
_CWD = re.compile(r"<cwd>([^<]+)</cwd>")
_PATCH_FILE = re.compile(r"^\*\*\* (?:Add|Update|Delete) File: (.+)$", re.M)
_EXIT = re.compile(r"^(?:Exit code|Process exited with code|exit code|exit status)\s*:?\s*(-?\d+)", re.M)
RESPONSE_TYPES = frozenset({"message", "reasoning", "function_call", "function_call_output", "custom_tool_call",
                            "custom_tool_call_output", "local_shell_call", "local_shell_call_output",
                            "web_search_call", "tool_search_call", "image_generation_call", "compaction",
                            "ghost_snapshot"})
TOP_TYPES = frozenset({"session_meta", "response_item", "event_msg", "turn_context", "compacted"})
# Lines with no conversation of their own, not imported by design (counted in the import summary).
BY_DESIGN = {"world_state": "workspace state (AGENTS.md text, open files)"}
BY_DESIGN_EVENTS = {"item_completed": "completion mirrors of response items",
                    "item_started": "start mirrors of response items"}
_ABORT_KEY = "\x00turn_aborted"


def _user_kind(text: str) -> tuple[str, str]:
    """(role, kind) of a user-channel message: injected context is agent-side AUTO (see ``injected``)."""
    role, kind = user_message_kind(text)
    if kind == TEXT and _INJECTED.match(text):
        return "agent", AUTO
    return role, kind


def _args(raw):
    if isinstance(raw, str) and raw.lstrip().startswith(("{", "[")):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _command_of(args) -> str | None:
    if isinstance(args, dict):
        cmd = args.get("command", args.get("cmd"))
        if isinstance(cmd, list) and all(isinstance(x, str) for x in cmd):
            if len(cmd) >= 3 and cmd[1] in ("-lc", "-c") and cmd[0].endswith(("sh", "bash", "zsh")):
                return cmd[2]
            return " ".join(cmd)
    return input_summary(args)


def _output(out) -> tuple[str, bool]:
    """Tool output text and whether it failed (exit code != 0, an error field, success false)."""
    code = err = None
    success = True
    text = out
    if isinstance(out, str) and out.lstrip().startswith("{"):
        parsed = _args(out)
        if isinstance(parsed, dict):
            out = parsed
    if isinstance(out, dict):
        meta = out.get("metadata") if isinstance(out.get("metadata"), dict) else {}
        code = meta.get("exit_code", out.get("exit_code"))
        err = out.get("error")
        success = out.get("success") is not False
        body = out.get("output", out.get("content"))
        text = body if isinstance(body, str) else text_of(body) if body is not None else json.dumps(out)
    elif isinstance(out, list):
        text = text_of(out)
    elif not isinstance(out, str):
        text = "" if out is None else str(out)
    if code is None and isinstance(text, str):
        m = _EXIT.search(text, 0, 600)
        if m:
            code = int(m.group(1))
    failed = (code not in (None, 0, "0")) or bool(err) or not success
    return text if isinstance(text, str) else str(text), failed


class _Builder:
    def __init__(self, t: Transcript):
        self.t = t
        self.model: str | None = None
        self.cwd: str | None = None
        self.git_repo: str | None = None
        self.tools: dict = {}
        self.pending = {"resp": Counter(), "event": Counter()}

    def add(self, role, text, kind=TEXT, ts=None, **kw):
        """``ts`` is the raw line timestamp, converted only for lines that become messages."""
        self.t.messages.append(Message(role, text, kind, iso_utc(ts), model=self.model if role == "agent" else None,
                                       **kw))

    def visible(self, source: str, role: str, kind: str, text: str, ts):
        """Emit a message seen in response_item ("resp") or event_msg ("event") once across both."""
        key = (role, kind, text.strip())
        other = self.pending["event" if source == "resp" else "resp"]
        if other[key] > 0:
            other[key] -= 1
            return
        self.pending[source][key] += 1
        if kind == INTERRUPT and text == _ABORT_KEY:
            text = "[turn aborted]"
        self.add(role, text, kind, ts)

    def response(self, p: dict, ts):
        pt = p.get("type")
        if pt == "message":
            role = p.get("role")
            text = text_of(p.get("content"))
            if role == "user":
                if text.lstrip().startswith("<turn_aborted>"):
                    self.visible("resp", "user", INTERRUPT, _ABORT_KEY, ts)
                else:
                    role, kind = _user_kind(text)
                    if (role, kind) == ("user", TEXT):
                        self.visible("resp", "user", TEXT, text, ts)
                    else:  # injected context (agent side) or a shell command the developer typed
                        self.add(role, text, kind, ts)
                        cwd = _CWD.search(text) if self.cwd is None else None
                        self.cwd = cwd.group(1).strip() if cwd else self.cwd
            elif role == "assistant":
                if text.strip():
                    self.visible("resp", "agent", TEXT, text, ts)
            # developer / system messages are instructions, not conversation
        elif pt == "reasoning":
            for s in p.get("summary") or []:
                text = text_of([s]) if isinstance(s, dict) else str(s)
                if text.strip():
                    self.visible("resp", "agent", THINKING, text, ts)
        elif pt in ("function_call", "custom_tool_call", "local_shell_call", "web_search_call", "tool_search_call"):
            name = p.get("name") or {"local_shell_call": "local_shell", "web_search_call": "web_search",
                                     "tool_search_call": "tool_search"}.get(pt)
            raw = p.get("arguments", p.get("input", p.get("action")))
            args = _args(raw)
            if pt == "local_shell_call" and isinstance(args, dict):
                summary = _command_of(args)
            elif pt == "custom_tool_call" and isinstance(args, str):
                pf = _PATCH_FILE.search(args, 0, 2000)
                summary = pf.group(0) if pf else args.strip().split("\n", 1)[0]
            else:
                summary = _command_of(args)
            if p.get("call_id"):
                self.tools[p["call_id"]] = name
            self.add("agent", render_input(args) if args is not None else "", TOOL_CALL, ts, tool_name=name,
                     tool_input=one_line(summary, 200))
        elif pt in ("function_call_output", "custom_tool_call_output", "local_shell_call_output"):
            text, failed = _output(p.get("output"))
            self.add("agent", text, TOOL_RESULT, ts, tool_name=self.tools.get(p.get("call_id")), is_error=failed)
        elif pt == "compaction":
            pass
        elif pt not in RESPONSE_TYPES:
            self.t.skipped[f"unknown response_item: {pt}"] += 1

    def event(self, p: dict, ts):
        pt = p.get("type")
        if pt == "user_message":
            text = p.get("message") or ""
            if isinstance(text, str) and _user_kind(text) == ("user", TEXT):
                self.visible("event", "user", TEXT, text, ts)
        elif pt == "agent_message":
            text = p.get("message") or ""
            if isinstance(text, str) and text.strip():
                self.visible("event", "agent", TEXT, text, ts)
        elif pt == "agent_reasoning":
            text = p.get("text") or ""
            if isinstance(text, str) and text.strip():
                self.visible("event", "agent", THINKING, text, ts)
        elif pt == "turn_aborted":
            self.visible("event", "user", INTERRUPT, _ABORT_KEY, ts)
            reason = p.get("reason")
            if reason and self.t.messages and self.t.messages[-1].text == "[turn aborted]":
                self.t.messages[-1].text = f"[turn aborted: {reason}]"
        elif pt == "thread_settings_applied":  # Codex 0.14x: the thread's model and working directory
            ts_ = p.get("thread_settings") if isinstance(p.get("thread_settings"), dict) else {}
            if isinstance(ts_.get("model"), str) and ts_["model"]:
                self.model = ts_["model"]
                self.t.model = self.t.model or ts_["model"]
            if self.cwd is None and isinstance(ts_.get("cwd"), str):
                self.cwd = ts_["cwd"]
        elif pt in BY_DESIGN_EVENTS:
            self.t.skipped[f"not imported by design: event_msg {pt} ({BY_DESIGN_EVENTS[pt]})"] += 1


def _parse_codex(path: Path) -> Transcript:
    """One rollout file -> one transcript (bad lines counted in ``skipped``, never raised)."""
    path = Path(path)
    m = _UUID.search(path.stem)
    t = Transcript(path=str(path), format="codex", session_id=m.group(0) if m else path.stem, agent=AGENT,
                   platform=PLATFORM)
    b = _Builder(t)
    reader = JsonlReader(path, t.skipped)
    started = None
    for obj in reader:
        typ = obj.get("type")
        if isinstance(typ, (list, dict)):  # unhashable: no set lookups
            typ = f"<{type(typ).__name__}>"
        payload = obj.get("payload")
        ts = obj.get("timestamp")
        if not isinstance(payload, dict):
            if typ in RESPONSE_TYPES:  # legacy rollouts: bare response items
                typ, payload = "response_item", obj
            elif typ is None and "id" in obj and "timestamp" in obj:
                typ, payload = "session_meta", obj
            elif typ is None and "record_type" in obj:
                continue
            elif typ in TOP_TYPES:
                payload = {}
        try:  # a line of the right shape with junk inside (lists for ids, numbers for text) is skipped
            if typ == "session_meta":
                if isinstance(payload.get("id"), str) and payload["id"]:
                    t.session_id = payload["id"]
                started = started or iso_utc(payload.get("timestamp")) or iso_utc(ts)
                b.cwd = b.cwd or (payload.get("cwd") if isinstance(payload.get("cwd"), str) else None)
                git = payload.get("git") if isinstance(payload.get("git"), dict) else {}
                b.git_repo = b.git_repo or repo_of_url(git.get("repository_url"))
                model = payload.get("model")
                if isinstance(model, str) and model:
                    b.model = t.model = t.model or model
            elif typ == "turn_context":
                model = payload.get("model")
                if isinstance(model, str) and model:
                    b.model = model
                    t.model = t.model or model
                b.cwd = b.cwd or (payload.get("cwd") if isinstance(payload.get("cwd"), str) else None)
            elif typ == "response_item":
                b.response(payload, ts)
            elif typ == "event_msg":
                b.event(payload, ts)
            elif typ == "compacted":
                text = payload.get("message") or ""
                if isinstance(text, str) and text.strip():
                    b.add("agent", text, SUMMARY, ts)
            elif typ in BY_DESIGN:
                t.skipped[f"not imported by design: {typ} lines ({BY_DESIGN[typ]})"] += 1
            else:
                t.skipped[f"unknown type: {typ}"] += 1
        except (TypeError, AttributeError, ValueError, KeyError):
            t.skipped["malformed entry"] += 1
    t.lines_read = reader.lines
    t.project = b.git_repo or repo_of_cwd(b.cwd)
    if started is None:
        fm = _FILE_TS.search(path.name)
        started = parse_iso(fm.group(1).replace("T", " ")) if fm else None
    t.started_at = started
    return finish(t)


def parse_codex(path: Path) -> Transcript:
    with gc_paused():
        return _parse_codex(path)
