"""What every transcript importer produces: one ``Transcript`` per session, a list of ``Message``.

Importers keep the human apart from tool output: a tool result stored by Claude Code as a "user"
line is an AGENT-side message here (role "agent", kind "tool_result"); only what the developer typed
(and interruptions) has role "user"; text the tool injected there is agent-side AUTO (see ``injected``). Turn numbering is done afterwards by ``turns.merge_turns``
(consecutive same-role messages merge), so importers never number turns themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

# Message kinds.
TEXT = "text"  # prose typed by the developer or written by the agent
INTERRUPT = "interrupt"  # the developer interrupted the agent ([Request interrupted by user], turn_aborted)
TOOL_CALL = "tool_call"  # the agent invoked a tool (tool_name, tool_input)
TOOL_RESULT = "tool_result"  # output of a tool (is_error when it failed)
THINKING = "thinking"  # agent reasoning blocks
SUMMARY = "summary"  # compaction / session summaries
COMMAND = "command"  # a command the developer typed: slash command, <bash-input> shell line, memory note
AUTO = "automatic"  # generated text delivered in the user channel (agent side): notifications, injections


@dataclass
class Message:
    role: str  # "user" (the developer) or "agent"
    text: str
    kind: str = TEXT
    ts: datetime | None = None
    tool_name: str | None = None
    tool_input: str | None = None  # one-line summary of the call's input
    is_error: bool = False
    model: str | None = None


@dataclass
class Transcript:
    path: str  # file it came from
    format: str  # "specstory", "claude-code", "codex", "study"
    session_id: str  # stable id within the project (uuid, or file stem)
    messages: list[Message] = field(default_factory=list)
    title: str | None = None
    started_at: datetime | None = None
    agent: str | None = None  # "Claude Code", "Cursor IDE", "Codex CLI", "Copilot IDE", ...
    platform: str | None = None  # "IDE" or "CLI"
    model: str | None = None
    project: str | None = None  # repository / project key used for the repo facet
    parent_session: str | None = None  # sub-agent transcripts: the main session's id
    lines_read: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count of skipped lines/records
