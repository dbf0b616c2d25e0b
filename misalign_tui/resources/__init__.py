"""The files misalign-tui ships inside its package, read with ``importlib.resources``:

- ``queries/``: the SQL statements, one per file with named parameters (loaded by ``data.queries``);
- ``styles/``: the Textual CSS of the explorer's screens;
- ``sample_data/``: the bundled synthetic corpus in the study's file formats
  (``misalign-tui sample --out misalign_tui/resources/sample_data --sessions 300 --seed 7``);
- ``rules.toml``: the rules of the pushback detector.

Imports nothing of misalign_tui.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def read_text(*parts: str) -> str:
    """The text of a shipped file, e.g. ``read_text("queries", "count.sql")``."""
    return files(__name__).joinpath(*parts).read_text(encoding="utf-8")


def names(folder: str, suffix: str) -> list[str]:
    """The file names in a shipped folder that end with ``suffix``, sorted."""
    return sorted(p.name for p in files(__name__).joinpath(folder).iterdir() if p.name.endswith(suffix))


def path(*parts: str) -> Path:
    """A shipped file or folder on the file system (Textual's CSS_PATH, the sample corpus' folder)."""
    p = files(__name__).joinpath(*parts)
    if not isinstance(p, Path):
        raise FileNotFoundError(f"{'/'.join(parts)}: misalign-tui must be installed as files (not run from a zip)")
    return p
