"""The reviewer workspace in the explorer: bookmark / tag / note keys, the workspace facet group, saved
views, blind re-coding and agreement screens (data in ``misalign_tui.data.workspace``)."""

from __future__ import annotations

from pathlib import Path

from misalign_tui.data.errors import CorpusError
from misalign_tui.data.workspace.store import ReviewStore


def open_workspace(corpus_path: Path, workspace=None, reviewer: str | None = None) -> ReviewStore | None:
    """The app's workspace: ``workspace`` when it is a ReviewStore, else the store at that path (None: the
    default beside the corpus, see ``data.workspace.paths``). None when no workspace can be placed — the
    explorer then works without one. Opening creates no file: the first write does."""
    if isinstance(workspace, ReviewStore):
        if reviewer:
            workspace.reviewer = reviewer
        return workspace
    try:
        return ReviewStore.for_corpus(corpus_path, workspace, reviewer)
    except CorpusError:
        return None
