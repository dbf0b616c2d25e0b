"""The workspace's records: notes, the explorer's snapshot of a workspace, the orphan report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import CorpusError

MAX_TAG = 64


class WorkspaceError(CorpusError):
    """A workspace that cannot be read or written (one line for the user)."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def session_of(episode_key: str) -> str:
    """``src/repo/session_001/M002`` -> ``src/repo/session_001``."""
    return episode_key.rsplit("/", 1)[0]


def clean_tag(tag: str) -> str:
    """A tag as stored: whitespace collapsed; raises WorkspaceError for empty, long or control text."""
    t = " ".join((tag or "").split())
    if not t:
        raise WorkspaceError("empty tag")
    if len(t) > MAX_TAG:
        raise WorkspaceError(f"tag longer than {MAX_TAG} characters")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in t):
        raise WorkspaceError("tag contains control characters")
    if t.startswith("-"):
        raise WorkspaceError("a tag cannot start with '-' (that removes a tag)")
    return t


@dataclass(frozen=True)
class Note:
    note_id: str
    kind: str  # episode / turn
    target: str  # episode key, or session key for a turn note
    turn_no: int | None
    episode_key: str | None
    reviewer: str
    body: str
    created_at: str
    updated_at: str

    @property
    def session_key(self) -> str:
        return self.target if self.kind == "turn" else session_of(self.target)

    def heading(self) -> str:
        where = f"turn {self.turn_no} · " if self.kind == "turn" else ""
        return f"{where}{self.reviewer} · {self.updated_at[:16].replace('T', ' ')}"

    def line(self) -> str:
        """One line for case files: ``alice (2025-01-02, turn 7): body`` (newlines folded)."""
        where = f", turn {self.turn_no}" if self.kind == "turn" else ""
        return f"{self.reviewer} ({self.updated_at[:10]}{where}): " + " ".join(self.body.split())


@dataclass
class Snapshot:
    """Everything the explorer shows of a workspace, read at once (all reviewers)."""

    bookmarks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> reviewers
    tags: dict[str, set[str]] = field(default_factory=dict)  # tag -> keys
    key_tags: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # key -> tag -> reviewers
    notes: dict[str, list[Note]] = field(default_factory=dict)  # episode key -> episode notes
    turn_notes: dict[str, list[Note]] = field(default_factory=dict)  # session key -> turn notes
    views: dict[str, dict] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.bookmarks or self.tags or self.notes)

    def keys_of(self, value: str) -> set[str]:
        """Episode keys of a workspace facet value: ``bookmarked``, ``noted`` or ``tag:NAME``."""
        if value == "bookmarked":
            return set(self.bookmarks)
        if value == "noted":
            return set(self.notes)
        if value.startswith("tag:"):
            return set(self.tags.get(value[4:], ()))
        return set()

    def all_keys(self) -> set[str]:
        out = set(self.bookmarks) | set(self.notes)
        for keys in self.tags.values():
            out |= keys
        return out


@dataclass
class OrphanReport:
    """Workspace entries whose episode (or session, or turn) is not in the corpus."""

    bookmarks: list[tuple[str, str]] = field(default_factory=list)  # (key, reviewer)
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # (key, tag, reviewer)
    notes: list[Note] = field(default_factory=list)
    codings: list[tuple[str, str]] = field(default_factory=list)  # (round, key)

    @property
    def total(self) -> int:
        return len(self.bookmarks) + len(self.tags) + len(self.notes) + len(self.codings)

    def lines(self) -> list[str]:
        out = [f"bookmark\t{k}\t{r}" for k, r in self.bookmarks]
        out += [f"tag\t{k}\t{r}\t{t}" for k, t, r in self.tags]
        out += [f"note\t{n.target}" + (f"#turn{n.turn_no}" if n.kind == "turn" else "") + f"\t{n.reviewer}"
                for n in self.notes]
        out += [f"coding\t{k}\tround {r}" for r, k in self.codings]
        return out
