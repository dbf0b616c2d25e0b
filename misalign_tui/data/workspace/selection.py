"""Selecting episodes through the workspace: the bookmarked / noted / tagged facet group of the explorer.

The group has three facets — ``bookmarked``, ``noted`` and the tags (``tag:NAME``) — OR within the tags,
AND across the three, like the corpus facets. Selecting values filters through the ``episode`` axis of
``Filters`` (an explicit list of episode keys). A value's live count is the episodes of the current
selection it would select, the other workspace facets' selections applied and its own ignored.
"""

from __future__ import annotations

from ..filters import Filters
from .model import Snapshot

BOOKMARKED, NOTED, TAG = "bookmarked", "noted", "tag:"
NO_KEY = "\x00no-such-episode"  # an episode-axis value that matches nothing


def group(value: str) -> str:
    return "tag" if value.startswith(TAG) else value


def label(value: str) -> str:
    """How a value shows in the facet panel and the palette."""
    if value == BOOKMARKED:
        return "★ bookmarked"
    if value == NOTED:
        return "✎ has a note"
    return "# " + value[len(TAG):]


def values(snap: Snapshot) -> list[str]:
    """The group's values: bookmarked, noted, then the tags (most used first)."""
    tags = sorted(snap.tags, key=lambda t: (-len(snap.tags[t]), t.casefold()))
    return [BOOKMARKED, NOTED] + [TAG + t for t in tags]


def _by_group(sel) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in sel:
        out.setdefault(group(v), []).append(v)
    return out


def selected_keys(snap: Snapshot, sel, skip_group: str | None = None) -> set[str] | None:
    """Episode keys the selection ``sel`` picks (None: no workspace selection), ignoring ``skip_group``."""
    keys: set[str] | None = None
    for g, vals in _by_group(sel).items():
        if g == skip_group:
            continue
        union: set[str] = set()
        for v in vals:
            union |= snap.keys_of(v)
        keys = union if keys is None else keys & union
    return keys


def counts(snap: Snapshot, sel, in_selection: set[str]) -> dict[str, int]:
    """Live count per value: keys of ``in_selection`` (the current selection without the workspace group)
    that selecting the value would give."""
    out = {}
    for v in values(snap):
        keys = snap.keys_of(v) & in_selection
        others = selected_keys(snap, sel, skip_group=group(v))
        out[v] = len(keys if others is None else keys & others)
    return out


def restrict(f: Filters, keys) -> Filters:
    """``f`` further restricted to the episode ``keys`` (intersected with an episode selection it has)."""
    keys = set(keys)
    if f.get("episode"):
        keys &= set(f.get("episode"))
    return f.with_values("episode", sorted(keys) or [NO_KEY])


def selection_keys(corpus, f: Filters, *, sort: str = "key", desc: bool = False, seed: int = 0) -> list[str]:
    """The keys of every episode ``f`` selects, in the table's order."""
    return [r[0] for r in corpus.run("ws_selection_keys", {"f": f.params(), "sort": sort, "desc": desc,
                                                            "seed": seed})]
