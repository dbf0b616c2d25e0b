"""Turn numbering exactly as the study numbers turns.

The study's formatter merges consecutive messages of the same role (joined by a blank line), numbers
the merged turns from 1, shows the role as USER or AGENT, strips ``<|endoftext|>`` and one leading /
trailing ``---``. Evidence refers to turns as ``"TURN 7 | USER"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

_TURN_REF = re.compile(r"TURN\s*#?\s*(\d+)\s*(?:\|\s*([A-Za-z]+))?", re.IGNORECASE)


def role_of(raw: str | None) -> str:
    """Normalise a message role to USER or AGENT (assistant/agent/model -> AGENT)."""
    r = (raw if isinstance(raw, str) else "").strip().lower()  # junk roles (true, 3, [...]) count as AGENT
    return "USER" if r in ("user", "human", "developer") else "AGENT"


def clean_content(text: str) -> str:
    """The study's per-turn cleaning: drop <|endoftext|>, one leading and one trailing ``---``."""
    text = text.replace("<|endoftext|>", "")
    if text.startswith("---"):
        text = text[3:].lstrip()
    if text.endswith("---"):
        text = text[:-3].rstrip()
    return text


@dataclass
class MergedTurn:
    turn_no: int
    role: str  # USER / AGENT
    text: str
    first_index: int  # index of the first source message
    n_messages: int = 1
    extra: list = field(default_factory=list)  # per-message payloads, in order


def merge_turns(messages: Iterable[tuple[str, str]], payloads: Iterable | None = None) -> list[MergedTurn]:
    """Merge (role, content) messages into numbered turns the way the study does.

    Roles are compared after normalisation to USER/AGENT, so "assistant" followed by "agent" merge.
    ``payloads`` (optional, same length) are attached to the turn they fall in.
    """
    turns: list[MergedTurn] = []
    payload_iter = iter(payloads) if payloads is not None else None
    for i, (raw_role, content) in enumerate(messages):
        role = role_of(raw_role)
        payload = next(payload_iter) if payload_iter is not None else None
        content = content or ""
        if turns and turns[-1].role == role:
            t = turns[-1]
            t.text = t.text + "\n\n" + content
            t.n_messages += 1
        else:
            t = MergedTurn(len(turns) + 1, role, content, i)
            turns.append(t)
        if payload is not None:
            t.extra.append(payload)
    for t in turns:
        t.text = clean_content(t.text)
    return turns


def parse_turn_ref(ref: str | None) -> tuple[int | None, str | None]:
    """``"TURN 7 | USER"`` -> (7, "USER"); unknown/missing -> (None, None)."""
    if not ref:
        return None, None
    m = _TURN_REF.search(str(ref))
    if not m:
        return None, None
    role = m.group(2).upper() if m.group(2) else None
    if role not in (None, "USER", "AGENT"):
        role = role_of(role)
    return int(m.group(1)), role
