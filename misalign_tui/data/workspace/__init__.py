"""The reviewer workspace: notes, tags, bookmarks, saved views and blind re-coding rounds, kept in a DuckDB
file of its own beside the corpus (the corpus is never written). Nothing here imports textual or rich.

- ``store``: the file, its connections and bookmarks / tags / notes / views / snapshots / orphans;
- ``coding``: seeded re-coding rounds and codings; ``agreement``: κ, α, confusion tables and their Markdown;
- ``exchange``: export (JSONL, CSV, Markdown), merge, and ``notes_for`` for case files;
- ``paths``: where the workspace lives and who the reviewer is.
"""

from .exchange import notes_for
from .paths import default_reviewer, workspace_path
from .store import Note, ReviewStore, Snapshot, WorkspaceError

__all__ = ["Note", "ReviewStore", "Snapshot", "WorkspaceError", "default_reviewer", "notes_for", "workspace_path"]
