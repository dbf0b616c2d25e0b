"""Messages of the reviewer workspace's thread workers (posted to the browse screen)."""

from __future__ import annotations

from textual.message import Message

from misalign_tui.data.workspace.store import Snapshot


class WorkspaceLoaded(Message):
    """A fresh snapshot of the workspace (bookmarks, tags, notes, views) and its coding rounds."""

    def __init__(self, snapshot: Snapshot, rounds: list, error: str = "", seq: int = 0) -> None:
        super().__init__()
        self.snapshot, self.rounds, self.error, self.seq = snapshot, rounds, error, seq


class WorkspaceCounted(Message):
    """Live counts of the workspace facet values (None: hide the group) for filter generation ``gen``."""

    def __init__(self, gen: int, values: list[tuple[str, int]] | None, total: int, seq: int = 0) -> None:
        super().__init__()
        self.gen, self.values, self.total, self.seq = gen, values, total, seq


class WorkspaceWritten(Message):
    """A workspace write finished: ``text`` for a toast (empty: none); the snapshot is reloaded."""

    def __init__(self, text: str, severity: str = "information", open_round: str | None = None) -> None:
        super().__init__()
        self.text, self.severity, self.open_round = text, severity, open_round


class WorkspaceJump(Message):
    """Rows of the bookmarked episodes in view ``view`` (u / U)."""

    def __init__(self, view: int, positions: list[int], step: int) -> None:
        super().__init__()
        self.view, self.positions, self.step = view, positions, step
