"""Opening a corpus file read-only with one-line errors: locked by a writer, truncated, damaged.

DuckDB's file starts with a main header (magic ``DUCK`` at byte 8) and two database headers at 4096 and
8192; the current one (higher iteration) gives the block count and block size, so a file shorter than
``12288 + block_count * block_size`` was cut short (a partial copy, a full disk) even if DuckDB happens
to open it.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import duckdb

from ..errors import CorpusError


def _expected_size(path: Path) -> int | None:
    """File size the DuckDB header promises (header blocks + block_count x block size); None if unknown."""
    try:
        with open(path, "rb") as f:
            f.seek(4096)
            raw = f.read(8192)
    except OSError:
        return None
    if len(raw) < 8192:
        return 12288  # not even both database headers: truncated
    best = None
    for off in (0, 4096):  # the two database headers; the one with the higher iteration is current
        _check, iteration, _meta, _free, count, alloc = struct.unpack_from("<6Q", raw, off)
        if alloc >= 4096 and alloc & (alloc - 1) == 0 and alloc <= 1 << 30 and count < 1 << 40:
            if best is None or iteration > best[0]:
                best = (iteration, 12288 + count * alloc)
    return best[1] if best else None


def truncated(path: Path) -> str | None:
    expected, size = _expected_size(path), path.stat().st_size
    if expected is not None and size < expected:
        return (f"corpus file is truncated ({size:,} of {expected:,} bytes); copy it again or re-import it "
                "with `misalign-tui import … --force`")
    return None


def not_a_duckdb_file(path: Path) -> str | None:
    """Why ``path`` cannot be opened as a DuckDB file without harm, or None (a DuckDB file, empty or absent).

    Checked before ``duckdb.connect``: DuckDB opens an SQLite file (a corpus' ``.fts`` sidecar) by trying to
    download its SQLite extension, and blocks on a FIFO."""
    import os
    import stat as st

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if not st.S_ISREG(mode):
        return "is a folder, not a DuckDB file" if st.S_ISDIR(mode) else "is a device or pipe, not a DuckDB file"
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        return f"cannot read: {(e.strerror or str(e)).lower()}"
    if not head or head[8:12] == b"DUCK":
        return None
    if head.startswith(b"SQLite format 3"):
        return "is an SQLite database (a corpus' full-text index?), not a DuckDB file"
    return "is not a DuckDB file"


def _identity(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a corpus file, with one-line errors (locked, truncated, damaged)."""
    problem = not_a_duckdb_file(path)
    if problem:
        raise CorpusError(problem, path=str(path))
    con, error = None, None
    for _attempt in range(3):
        before = _identity(path)
        try:
            con, error = duckdb.connect(str(path), read_only=True), None
            break
        except duckdb.Error as e:
            error = e
            if before is None or _identity(path) == before:
                break  # a real problem with this file, not a replacement while it was being opened
            # replaced while it was being opened (an `import --force` renamed over it): open the new one
    if error is not None:
        e = error
        first = str(e).splitlines()[0]
        if "lock" in first.lower():
            pid = re.search(r"PID (\d+)", first)
            raise CorpusError("corpus is locked by a process writing to it" + (f" (PID {pid.group(1)})" if pid else "")
                              + "; try again when it is done", path=str(path)) from None
        raise CorpusError(truncated(path) or f"cannot open corpus: {first}", path=str(path)) from None
    problem = truncated(path)
    if problem:
        con.close()
        raise CorpusError(problem, path=str(path))
    return con

