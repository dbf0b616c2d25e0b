"""Finding the corpus to open: a .duckdb file, study sources imported into a cache corpus, or the sample.

A cache corpus has a stable name per source — ``corpus-v{schema}-sample.duckdb`` for the bundled sample,
``corpus-v{schema}-src-<hash of the source paths>.duckdb`` for a folder — so a copied view string keeps naming
a file that exists across installs. ``<name>.fingerprint`` beside it records the sources (path, size, mtime) and
the code that built it; a change re-imports in place. Older cache corpora (earlier schema versions, the
per-install hashed names of earlier releases) are removed when a cache corpus is made; ``resolve`` reports
what it removed. Each cache corpus has its own reviewer workspace (``data.workspace.paths``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
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


SAMPLE_KEY = "sample"
# cache corpus names: this release's stable ones, and the per-install hashed ones of earlier releases
STABLE_NAME = re.compile(r"corpus-v(\d+)-(sample|src-[0-9a-f]{12})\.duckdb")
LEGACY_NAME = re.compile(r"corpus-v(\d+)-[0-9a-f]{20}\.duckdb")
SIDECARS = (".fts", ".fingerprint", ".wal", ".fts-journal")


def source_key(sources: list[Path]) -> str:
    """``sample`` for the bundled sample, else ``src-`` and a hash of the sources' resolved paths: the same for
    the same folder whatever its content or the installed code."""
    try:
        if [Path(s).resolve() for s in sources] == [sample_sources().resolve()]:
            return SAMPLE_KEY
    except CorpusError:
        pass
    joined = "\0".join(sorted(str(Path(s).resolve()) for s in sources))
    return "src-" + hashlib.sha1(joined.encode()).hexdigest()[:12]


def cache_corpus_key(corpus: Path) -> str | None:
    """The source key of a cache corpus file name (``sample``, ``src-…``); None for any other file."""
    m = STABLE_NAME.fullmatch(corpus.name)
    return m.group(2) if m else None


def cache_sources(corpus: Path) -> list[str] | None:
    """The source paths a cache corpus was imported from (its fingerprint file), None if unknown."""
    try:
        return list(json.loads(Path(str(corpus) + ".fingerprint").read_text(encoding="utf-8"))["sources"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stale_cache_files(folder: Path, keep: Path | None = None) -> list[Path]:
    """Cache corpora (and their sidecars) this release no longer opens: other schema versions and the hashed
    names of earlier releases. ``keep`` is never listed."""
    out = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    for p in entries:
        m = STABLE_NAME.fullmatch(p.name) or LEGACY_NAME.fullmatch(p.name)
        if m is None or p == keep:
            continue
        if LEGACY_NAME.fullmatch(p.name) or int(m.group(1)) != SCHEMA_VERSION:
            out.append(p)
            out += [Path(str(p) + s) for s in SIDECARS if Path(str(p) + s).exists()]
    return out


def clean_cache(folder: Path, keep: Path | None = None) -> list[tuple[str, int]]:
    """Remove ``stale_cache_files``; (name, bytes) of each file removed (a file another process still has open
    stays readable to it until closed)."""
    removed = []
    for p in stale_cache_files(folder, keep):
        try:
            size = p.stat().st_size
            p.unlink()
        except OSError:
            continue
        removed.append((p.name, size))
    return removed


def cached_import(sources: list[Path], progress=None, removed: list | None = None) -> Path:
    """Import study sources into their cache corpus (stable name per source); re-import in place when the
    sources or the code changed. ``removed`` collects the stale cache files cleaned up meanwhile."""
    from .importer import run_import  # (the importer and its parsers load only when there is something to import)

    fingerprint = _fingerprint(sources)
    folder = writable_cache_dir()
    out = folder / f"corpus-v{SCHEMA_VERSION}-{source_key(sources)}.duckdb"
    stamp = Path(str(out) + ".fingerprint")
    try:
        current = out.exists() and json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") == fingerprint
    except (OSError, ValueError, AttributeError):
        current = False
    if not current:
        run_import([str(s) for s in sources], out, force=True, progress=progress)  # atomic: built beside, renamed
        stamp.write_text(json.dumps({"fingerprint": fingerprint, "sources": [str(Path(s).resolve()) for s in sources]}),
                         encoding="utf-8")
        cleaned = clean_cache(folder, keep=out)
        if removed is not None:
            removed.extend(cleaned)
    return out


def resolve(arg: str | None, progress=None, removed: list | None = None) -> Path:
    """The corpus file for the viewer's argument (None = the bundled sample). ``removed`` collects the (name,
    bytes) of stale cache corpora cleaned up when a cache corpus was (re)built."""
    if arg is None:
        return cached_import([sample_sources()], progress, removed)
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
        return cached_import([p], progress, removed)
    except CorpusError as e:  # neither a corpus nor importable: say both what was expected and what this is
        from .sources import ACCEPTS

        if ACCEPTS not in str(e):  # importable, but bad (a broken record): that error as it is
            raise
        got = str(e).removeprefix(f"{arg}: ")
        raise CorpusError(f"expected a corpus (a .duckdb file or a Parquet export folder) or sources to import; "
                          f"got: {got}", path=arg) from None
