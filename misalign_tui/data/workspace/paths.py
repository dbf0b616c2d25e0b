"""Where a corpus' reviewer workspace lives, and who the reviewer is.

Order: ``--workspace PATH`` (or ``MISALIGN_TUI_WORKSPACE``; a folder gets ``<corpus name>.review.duckdb``
inside it), else ``CORPUS.duckdb.review.duckdb`` beside the corpus when that folder is writable, else the
user data folder (``dirs.data_dir``: ``MISALIGN_TUI_DATA``, else the platform's, e.g. ``~/.local/share/misalign-tui``).
Each corpus imported into the cache (``misalign-tui FOLDER``, the bundled sample) has its own workspace in the
data folder, named by the cache corpus' stable source key (``sample.review.duckdb``,
``src-<hash of the folder's path>.review.duckdb``): notes on one corpus never show up in another, and they survive
re-imports (the canonical keys do not change). Nothing here creates a file or a folder.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from pathlib import Path

from ..dirs import cache_dir, data_dir

ENV_WORKSPACE = "MISALIGN_TUI_WORKSPACE"
ENV_REVIEWER = "MISALIGN_TUI_REVIEWER"
SUFFIX = ".review.duckdb"
CACHED = "cached-imports" + SUFFIX  # the one workspace all cache corpora shared before (left in place, unused)
_CACHE_NAME = re.compile(r"corpus-v\d+-(sample|src-[0-9a-f]{12})\.duckdb")


def dir_writable(folder: Path) -> bool:
    """Can a DuckDB file (and its .wal) be created in ``folder``? (A seam for tests running as root.)"""
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def _cache_key(corpus: Path) -> str | None:
    """The source key of a corpus in the cache folder (see ``building.import_cache``), else None."""
    try:
        if corpus.resolve().parent != cache_dir().resolve():
            return None
    except OSError:
        return None
    m = _CACHE_NAME.fullmatch(corpus.name)
    if m:
        return m.group(1)
    if corpus.name.startswith("corpus-v"):  # an earlier release's hashed name: its own workspace too
        return corpus.stem
    return None


def workspace_path(corpus_path: str | Path, override: str | Path | None = None) -> Path:
    """The workspace file of ``corpus_path`` (see the module doc for the order)."""
    corpus = Path(corpus_path)
    chosen = str(override) if override else os.environ.get(ENV_WORKSPACE, "")
    if chosen:
        p = Path(chosen).expanduser()
        if p.is_dir() or chosen.endswith(("/", os.sep)):
            return p / (corpus.name + SUFFIX)
        return p
    key = _cache_key(corpus)
    if key is not None:
        return data_dir() / (key + SUFFIX)
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
