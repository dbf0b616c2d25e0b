"""Where a corpus' reviewer workspace lives, and who the reviewer is.

Order: ``--workspace PATH`` (or ``MISALIGN_TUI_WORKSPACE``; a folder gets ``<corpus name>.review.duckdb``
inside it), else ``CORPUS.duckdb.review.duckdb`` beside the corpus when that folder is writable, else the
user data folder (``dirs.data_dir``: ``MISALIGN_TUI_DATA``, else the platform's, e.g. ``~/.local/share/misalign-tui``).
Corpora imported into the cache (``misalign-tui FOLDER``, the bundled sample) share one workspace in the
data folder: their file name changes with every re-import, their canonical keys do not.
Nothing here creates a file or a folder.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from ..dirs import cache_dir, data_dir

ENV_WORKSPACE = "MISALIGN_TUI_WORKSPACE"
ENV_REVIEWER = "MISALIGN_TUI_REVIEWER"
SUFFIX = ".review.duckdb"
CACHED = "cached-imports" + SUFFIX


def dir_writable(folder: Path) -> bool:
    """Can a DuckDB file (and its .wal) be created in ``folder``? (A seam for tests running as root.)"""
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def _in_cache(corpus: Path) -> bool:
    try:
        return corpus.resolve().parent == cache_dir().resolve() and corpus.name.startswith("corpus-v")
    except OSError:
        return False


def workspace_path(corpus_path: str | Path, override: str | Path | None = None) -> Path:
    """The workspace file of ``corpus_path`` (see the module doc for the order)."""
    corpus = Path(corpus_path)
    chosen = str(override) if override else os.environ.get(ENV_WORKSPACE, "")
    if chosen:
        p = Path(chosen).expanduser()
        if p.is_dir() or chosen.endswith(("/", os.sep)):
            return p / (corpus.name + SUFFIX)
        return p
    if _in_cache(corpus):
        return data_dir() / CACHED
    beside = corpus.with_name(corpus.name + SUFFIX)
    if dir_writable(corpus.parent) and (not beside.exists() or os.access(beside, os.W_OK)):
        return beside
    digest = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    return data_dir() / f"{corpus.stem}-{digest}{SUFFIX}"


def default_reviewer() -> str:
    """``MISALIGN_TUI_REVIEWER``, else ``$USER`` / ``$LOGNAME``, else the login name, else "reviewer"."""
    for var in (ENV_REVIEWER, "USER", "LOGNAME"):
        v = os.environ.get(var, "").strip()
        if v:
            return v
    try:
        return getpass.getuser() or "reviewer"
    except Exception:  # noqa: BLE001 — no passwd entry in a container
        return "reviewer"
