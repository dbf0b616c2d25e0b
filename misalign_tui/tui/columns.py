"""The episode table's columns: what each shows, how they share the width, what tells rows apart.

The Episode column shows the repository's short name, the session and the misalignment id (``short_key``);
the Name column gets the room left. The user can widen or narrow Name (``>`` / ``<``), show full keys (``K``)
and hide or show columns (palette); narrow tables drop columns by ``PRIORITY``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from misalign_tui.data.reading.corpus import EpisodeRow
from misalign_tui.data.schema import SORT_COLUMNS
from misalign_tui.data.text import one_line, visible


@dataclass(frozen=True)
class Column:
    sort: str  # one of schema.SORT_COLUMNS
    title: str
    width: int  # 0 = takes the rest of the width


COLUMNS: tuple[Column, ...] = (
    Column("key", "Episode", 20),
    Column("time", "Session time", 16),
    Column("platform", "Plat", 5),
    Column("agent", "Agent", 11),
    Column("symptoms", "Symptoms", 11),
    Column("causes", "Causes", 8),
    Column("severity", "Sev", 5),
    Column("resolution", "Resolution", 10),
    Column("name", "Name", 0),
)
NAME_MIN = 24
NAME_STEP = 8  # cells ``>`` / ``<`` widen or narrow the Name column by
KEY_MIN = 12
# When the table is narrow, columns are kept in this order of priority (the detail card shows all).
PRIORITY = ("key", "name", "symptoms", "severity", "time", "resolution", "causes", "agent", "platform")


def short_key(key: str) -> str:
    """What tells episodes apart in a row: repository short name, session and misalignment id
    (``specstory/100629158/session_001/M001`` -> ``100629158/s001/M001``; a Claude Code session UUID keeps its
    first 8 characters). ``y`` copies the full key; ``K`` shows full keys in the table."""
    parts = key.split("/")
    if len(parts) < 4:
        return key
    return f"{_short(parts[-3], parts[-2])}/{parts[-1]}"


def short_session(key: str) -> str:
    """``specstory/100629158/session_001`` -> ``100629158/s001`` (as ``short_key``, for a session key)."""
    parts = key.split("/")
    return _short(parts[-2], parts[-1]) if len(parts) >= 3 else key


def _short(repo: str, session: str) -> str:
    repo = repo.rsplit("__", 1)[-1] or repo  # owner__name folders: the name
    if len(repo) > 16:
        repo = repo[:15] + "…"
    m = _SESSION_NO.fullmatch(session)
    if m:
        session = "s" + m.group(1)
    elif len(session) > 10:
        session = session[:8]
    return f"{repo}/{session}"


_SESSION_NO = re.compile(r"session[_-]?(\d+)")


def layout(width: int, key_width: int, *, hidden: frozenset[str] = frozenset(), name_extra: int = 0) -> \
        list[tuple[int, int]]:
    """(column index, width) of the columns shown in ``width`` cells, in table order. ``hidden``: columns the
    user turned off; ``name_extra``: cells the user gave the Name column (other columns give way, by priority)."""
    by_sort = {c.sort: i for i, c in enumerate(COLUMNS)}
    name_min = max(8, min(NAME_MIN + name_extra, width - 1 - KEY_MIN))
    key_w = max(min(key_width, width - 1 - name_min), min(KEY_MIN, key_width))
    used = key_w + 1 + name_min
    shown = {by_sort["key"], by_sort["name"]}
    for sort in PRIORITY[2:]:
        c = COLUMNS[by_sort[sort]]
        if sort not in hidden and used + 1 + c.width <= width:
            shown.add(by_sort[sort])
            used += 1 + c.width
    widths = {by_sort["key"]: key_w, by_sort["name"]: name_min + max(width - used, 0)}
    return [(i, widths.get(i, COLUMNS[i].width)) for i in sorted(shown)]


def cells(row: EpisodeRow, full_key: bool = False) -> list[str]:
    """The row's cell texts, in COLUMNS order (corpus text made safe)."""
    name = one_line(visible(row.name), 200)
    if not name:
        name = f"INVALID: {one_line(visible(row.invalid_category), 60) or '?'}" if row.validation != "VALID" else "—"
    key = visible(row.key)
    return [
        key if full_key else short_key(key),
        row.ts.strftime("%Y-%m-%d %H:%M") if row.ts else "—",
        row.platform or "—",
        one_line(visible(row.agent), 40) or "—",
        " ".join(row.symptoms) or "—",
        " ".join(row.causes) or "—",
        row.severity or "—",
        " ".join(x for x in (row.status, row.resolver) if x) or "—",
        name,
    ]


def fit(text: str, width: int, left: bool = False) -> str:
    if len(text) > width:
        if width <= 0:
            return ""
        return "…" + text[len(text) - width + 1:] if left else text[: width - 1] + "…"
    return text.ljust(width)


def sort_cycle(current: str, shown: list[str]) -> str:
    """``s``: the next sort column among the columns on screen (sorting by a hidden one shows nothing)."""
    order = [c for c in SORT_COLUMNS if c in shown] or list(SORT_COLUMNS)
    later = [c for c in order if SORT_COLUMNS.index(c) > SORT_COLUMNS.index(current)] \
        if current in SORT_COLUMNS else []
    return later[0] if later else order[0]
