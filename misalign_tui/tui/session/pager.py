"""``o`` on the session screen: the transcript as plain text for ``$PAGER``, opened at the current turn.

Built from the screen's blocks (already safe display text), so the pager shows what the screen marks: the
episode's pushback (▶) and evidence (◆) turns, other episodes' marks (◇), detected signals (⚑ ✗ ↻), quotes
between ⟦ ⟧, search hits (⌕), evidence warnings and the reviewers' turn notes (✎). Nothing here imports textual.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from .model import MARK_LABEL, OTHER_GLYPH, Block, display_text, session_line
from .signals import signal_text

RULE = 72


def block_header(b: Block) -> str:
    parts = ["────"]
    if b.mark:
        parts.append(MARK_LABEL[b.mark])
    if b.kind == "turn":
        parts.append(f"TURN {b.turn_no} | {b.role}" + (f" · {b.ts:%Y-%m-%d %H:%M:%S}" if b.ts else ""))
    else:
        parts.append(b.title)
    if b.search_hit:
        parts.append("⌕ search hit")
    parts += [signal_text(kind, cue) for kind, cue in b.signals]
    if b.others:
        parts.append(f"{OTHER_GLYPH} also " + ", ".join(b.others))
    head = " ".join(parts) + " "
    return head + "─" * max(4, RULE - len(head))


def quoted(text: str, spans) -> str:
    """``text`` with the evidence quotes between ⟦ ⟧."""
    out, pos = [], 0
    for a, z in spans:
        out += [text[pos:a], "⟦", text[a:z], "⟧"]
        pos = z
    out.append(text[pos:])
    return "".join(out)


def pager_text(blocks: list[Block], session: dict, episode: str | None) -> tuple[str, dict[int, int]]:
    """(text, {block index: its 1-based header line}) of the transcript as the screen marks it."""
    lines = [f"SESSION {display_text(session.get('session_key'))}"]
    if session.get("title"):
        lines.append(f"TITLE   {display_text(session['title'])}")
    if session_line(session):
        lines.append(f"        {session_line(session)}")
    if episode:
        lines.append(f"EPISODE {display_text(episode)}   (▶ pushback  ◆ evidence  ◇ other episode  ⟦quote⟧  ✎ note)")
    lines.append("")
    where: dict[int, int] = {}
    for i, b in enumerate(blocks):
        where[i] = len(lines) + 1
        lines.append(block_header(b))
        lines += quoted(b.text, b.spans).split("\n")
        lines += [f"  {n}" for n in b.notes]
        lines.append("")
    return "\n".join(lines) + "\n", where


def pager_command(path: str, line: int | None) -> list[str]:
    """``$PAGER`` (default ``less``) on ``path``, at ``line`` when the pager takes a start line (less, more,
    most, vi-likes)."""
    cmd = shlex.split(os.environ.get("PAGER") or "less") or ["less"]
    name = Path(cmd[0]).name
    if line is not None:
        if name == "less":
            cmd.append(f"+{line}g")  # (less: go to line N, then show it at the top)
        elif name in ("more", "most", "vi", "vim", "nvim", "view"):
            cmd.append(f"+{line}")
    return [*cmd, path]
