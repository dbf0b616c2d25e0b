"""Finding the corpus to open: a .duckdb file, study sources imported into a cache corpus, or the sample."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ... import resources
from ..dirs import writable_cache_dir
from ..errors import CorpusError
from ..reading.parquet import is_parquet_dir
from ..schema import SCHEMA_VERSION


def sample_sources() -> Path:
    """The bundled sample corpus (study-format files) shipped with the package."""
    try:
        sample = resources.path("sample_data")
    except FileNotFoundError as e:
        raise CorpusError(str(e)) from None
    if not sample.is_dir():
        raise CorpusError("the bundled sample corpus is missing from this installation")
    return sample


def is_corpus_file(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return len(head) >= 12 and head[8:12] == b"DUCK"


def _fingerprint(paths: list[Path]) -> str:
    """Sources (path, size, mtime) plus the code that builds a corpus (the data layer and the detector's
    rules): a change to either re-imports."""
    h = hashlib.sha256()
    data_layer = Path(__file__).parents[1]
    for code in sorted([*data_layer.rglob("*.py"), resources.path("rules.toml")]):
        h.update(code.read_bytes())
    for p in paths:
        if not p.is_dir() and not p.is_file():  # a pipe: its content differs every time, never reuse
            h.update(os.urandom(16))
            continue
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            st = f.stat()
            h.update(f"{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def cached_import(sources: list[Path], progress=None) -> Path:
    """Import study sources into a cache corpus once; reuse it while the sources are unchanged."""
    from .importer import run_import  # (the importer and its parsers load only when there is something to import)

    key = _fingerprint(sources)
    out = writable_cache_dir() / f"corpus-v{SCHEMA_VERSION}-{key}.duckdb"
    if not out.exists():
        run_import([str(s) for s in sources], out, force=True, progress=progress)
    return out


def resolve(arg: str | None, progress=None) -> Path:
    """The corpus file for the viewer's argument (None = the bundled sample)."""
    if arg is None:
        return cached_import([sample_sources()], progress)
    p = Path(arg)
    if not p.exists():
        raise CorpusError("no such file or directory", path=arg)
    if is_parquet_dir(p):  # a Parquet export (misalign-tui export-parquet) opens as it is
        return p
    if p.is_file() and (p.suffix == ".duckdb" or is_corpus_file(p)):
        return p
    if p.is_file() and p.stat().st_size == 0:
        raise CorpusError("empty file, not a corpus", path=arg)
    try:
        return cached_import([p], progress)
    except CorpusError as e:  # neither a corpus nor importable: say both what was expected and what this is
        from .sources import ACCEPTS

        if ACCEPTS not in str(e):  # importable, but bad (a broken record): that error as it is
            raise
        got = str(e).removeprefix(f"{arg}: ")
        raise CorpusError(f"expected a corpus (a .duckdb file or a Parquet export folder) or sources to import; "
                          f"got: {got}", path=arg) from None
