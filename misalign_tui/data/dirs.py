"""The user's folders: the cache (corpora imported from study sources, rebuilt search indexes) and the
data folder (reviewer workspaces that cannot sit beside their corpus).

From platformdirs — ``$XDG_CACHE_HOME/misalign-tui`` / ``$XDG_DATA_HOME/misalign-tui`` on Linux,
``~/Library/…`` on macOS, ``%LOCALAPPDATA%\\misalign-tui`` on Windows — unless ``MISALIGN_TUI_CACHE`` /
``MISALIGN_TUI_DATA`` name a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from .errors import CorpusError

APP = "misalign-tui"
ENV_CACHE = "MISALIGN_TUI_CACHE"
ENV_DATA = "MISALIGN_TUI_DATA"


def cache_dir() -> Path:
    """The cache folder (not created here)."""
    base = os.environ.get(ENV_CACHE)
    return Path(base).expanduser() if base else Path(platformdirs.user_cache_dir(APP, appauthor=False))


def data_dir() -> Path:
    """The user data folder (not created here)."""
    base = os.environ.get(ENV_DATA)
    return Path(base).expanduser() if base else Path(platformdirs.user_data_dir(APP, appauthor=False))


def writable_cache_dir() -> Path:
    """The cache folder, created when missing; a one-line CorpusError when it cannot be written."""
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CorpusError(f"cannot create the cache folder ({e.strerror}); set {ENV_CACHE} to a writable folder",
                          path=str(d)) from None
    if not os.access(d, os.W_OK):
        raise CorpusError(f"the cache folder is not writable; set {ENV_CACHE} to a writable folder", path=str(d))
    return d
