"""Source discovery for ``import``: what the command line names -> the files to read, each with its kind.

Every input named or found is either read or listed with the reason it was not (``Discovery.not_imported``,
printed in the import summary); nothing blocks and nothing is dropped silently:

- globs and folders are expanded; the same file named twice (again, through its folder, a glob or a link) is
  read once; a folder that cannot be listed is an error that says so;
- files are told apart by name and content (``classify``), a UTF-8 BOM is ignored, UTF-16 / UTF-32
  transcripts (BOM, or NULs in every other byte) are read as text;
- a pipe (``<(…)``, ``/dev/stdin``, a FIFO) is read exactly once, without blocking when nobody writes to it;
  devices and sockets are refused; such inputs and re-encoded transcripts are read from a private copy
  (``Discovery.origin`` maps the copy back to the name given, for the summary, errors and the corpus);
- a source that gives no importable file is an error that says what ``import`` reads.
"""

from __future__ import annotations

import glob
import os
import select
import shutil
import stat
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError

ACCEPTS = ("import reads the study's JSON files (annotated_misalignments, validated_misalignments, session_mapping), "
           "Atlas text records (JSON / JSONL) and SpecStory, Claude Code or Codex transcripts")
VCS_DIRS = (".git", ".hg", ".svn")
DUPLICATE = "the same file as another source (read once)"
HEAD = 65536
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


def _atlas_line(path: Path, limit: int = 64 << 20) -> bool:
    """Whether the first line of a JSONL file is a whole Atlas text record (keys past the sniffed head)."""
    import json

    try:
        with open(path, "rb") as fh:
            rec = json.loads(fh.readline(limit).decode("utf-8-sig", "replace"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(rec, dict) and "description" in rec and any(
        k in rec for k in ("evidence", "misalignment_id", "id"))


def wide_encoding(head: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" / "utf-32-…" for text in a wide encoding (by BOM, or NULs in every other
    byte of ASCII-heavy UTF-16 without one); None for anything else (UTF-8, binary)."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    sample = head[:4096]
    if len(sample) >= 16 and b"\x00\x00" not in sample:
        odd, even = sample[1::2], sample[0::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
            return "utf-16-be"
    return None


def decode_wide(data: bytes, enc: str) -> str:
    text = data.decode(enc, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def classify_text(path: Path, head: str) -> str | None:
    """What a file is, from its name and the first characters of its text (BOM already dropped)."""
    name = path.name.lower()
    for prefix, kind in (("annotated_misalignments", "annotated"), ("validated_misalignments", "validated"),
                         ("session_mapping", "mapping")):
        if name.startswith(prefix) and name.endswith(".json"):
            return kind
    if path.parent.name == "session_parsed" and name.endswith(".json"):
        return "parsed"
    s = head.lstrip()
    if s.startswith("[") or s.startswith("{"):
        if '"damage_severity"' in head and '"S1"' in head:
            return "annotated"
        if '"label"' in head and '"count_id"' in head:
            return "validated"
        if ('"evidence"' in head or '"misalignment_id"' in head) and '"description"' in head:
            return "atlas"
        if '"session_count_id"' in head and '"misalignment_id"' not in head and s.startswith("["):
            return "mapping"
    from .transcripts.formats import detect_format

    fmt = detect_format(path, head.encode("utf-8", "replace"))
    if fmt == "study":
        return "parsed"
    if fmt is not None:
        return "transcript"
    return None


def classify(path: Path) -> str | None:
    """What a (regular) file is: the study's files by name, transcripts by content, then JSON records by keys."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(HEAD)
    except OSError:
        return None
    enc = wide_encoding(raw)
    head = decode_wide(raw, enc) if enc else raw.decode("utf-8", "replace").removeprefix("\ufeff")
    s = head.lstrip()
    if not enc and s.startswith("{") and '"description"' in head and classify_text(path, "") is None \
            and not ('"evidence"' in head or '"misalignment_id"' in head) and _atlas_line(path):
        return "atlas"  # a first record longer than the sniffed head (a very long description)
    return classify_text(path, head)


@dataclass
class Discovery:
    """What ``collect`` found: files by kind, what was not imported and why, and the private copies."""

    found: dict[str, list[Path]] = field(default_factory=lambda: defaultdict(list))
    not_imported: list[tuple[str, str]] = field(default_factory=list)  # (what, why) for the summary
    origin: dict[str, str] = field(default_factory=dict)  # private copy -> the name the user gave
    tmp: Path | None = None

    def copy_of(self, path: Path, name: str, data: bytes) -> Path:
        """A private copy of ``data`` for ``path`` (its folder layout kept, for name-based detection)."""
        if self.tmp is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="misalign-import-"))
        rel = str(Path(os.path.abspath(path))).lstrip(os.sep) or "input"
        dest = self.tmp / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        self.origin[str(dest)] = name
        return dest

    def display(self, text: str) -> str:
        """``text`` with every private copy's path replaced by the name the user gave."""
        for copy, name in self.origin.items():
            text = text.replace(copy, name)
        return text

    def cleanup(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __len__(self) -> int:
        return sum(len(v) for v in self.found.values())


def read_pipe(path: Path) -> bytes:
    """Everything in a pipe / FIFO, read once; b"" at once when nobody has it open for writing."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:  # a writer is there but has not written yet: wait for data or its end
                select.select([fd], [], [])
                continue
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def _walk(folder: Path, hidden: Counter) -> list[Path]:
    """Files under ``folder`` (links to folders followed once each), sorted; hidden files and version-control
    folders counted, not read; a folder that cannot be listed is an error."""
    def fail(err: OSError):
        raise CorpusError("permission denied (cannot list this folder)" if isinstance(err, PermissionError)
                          else f"cannot list this folder: {(err.strerror or str(err)).lower()}",
                          path=err.filename or str(folder))

    out = []
    visited: set = set()
    for root, dirs, files in os.walk(folder, onerror=fail, followlinks=True):
        st = os.stat(root)
        visited.add((st.st_dev, st.st_ino))
        keep = []
        for d in sorted(dirs):
            if d in VCS_DIRS:
                hidden["version-control folders"] += 1
                continue
            try:
                sd = os.stat(os.path.join(root, d))
            except OSError:
                hidden["broken links to folders"] += 1
                continue
            if (sd.st_dev, sd.st_ino) in visited:
                hidden["links to folders already read"] += 1
                continue
            visited.add((sd.st_dev, sd.st_ino))
            keep.append(d)
        dirs[:] = keep
        for name in files:
            if name.startswith("."):
                hidden["hidden files"] += 1
                continue
            out.append(Path(root) / name)
    return sorted(out)


class _Collector:
    def __init__(self):
        self.d = Discovery()
        self.seen: set = set()

    def add(self, p: Path, *, named: bool, unread: Counter) -> bool:
        """Add one file; whether it is (or already was) among the files to read."""
        try:
            st = os.stat(p)
        except OSError as e:
            if named:
                raise CorpusError("broken link" if os.path.islink(p) else (e.strerror or str(e)).lower(),
                                  path=str(p)) from None
            unread[f"unreadable ({(e.strerror or str(e)).lower()})"] += 1
            return False
        identity = (st.st_dev, st.st_ino)
        if stat.S_ISREG(st.st_mode) and identity in self.seen:  # again, via its folder, a glob or a link
            if named:
                self.d.not_imported.append((str(p), DUPLICATE))
            else:
                unread[DUPLICATE] += 1
            return True
        if stat.S_ISFIFO(st.st_mode):
            if not named:
                unread["named pipes (read only when named on the command line)"] += 1
                return False
            data = read_pipe(p)
            if not data:
                raise CorpusError("a pipe with nothing to read (nobody writes to it)", path=str(p))
            return self._take(p, self.d.copy_of(p, str(p), data), named, unread)
        if not stat.S_ISREG(st.st_mode):
            if named:
                raise CorpusError("is a device or socket, not a file", path=str(p))
            unread["devices or sockets"] += 1
            return False
        if not os.access(p, os.R_OK):
            raise CorpusError("permission denied", path=str(p))
        self.seen.add(identity)
        return self._take(p, p, named, unread)

    def _take(self, p: Path, readable: Path, named: bool, unread: Counter) -> bool:
        try:
            with open(readable, "rb") as fh:
                head = fh.read(HEAD)
        except OSError as e:
            raise CorpusError(f"cannot read: {(e.strerror or str(e)).lower()}", path=str(p)) from None
        enc = wide_encoding(head)
        kind = classify(readable)
        if enc and kind == "transcript":  # the parsers read UTF-8: give them a UTF-8 copy
            readable = self.d.copy_of(p, str(p), decode_wide(readable.read_bytes(), enc).encode("utf-8"))
        if kind is None:
            why = ("empty file" if not head else "binary, not text" if b"\x00" in head and not enc
                   else "not a study file, Atlas record or transcript")
            if named:
                self.d.not_imported.append((str(p), why))
            unread[why] += 1
            return False
        self.d.found[kind].append(readable)
        return True


def collect(sources: list[str]) -> Discovery:
    """Expand globs and folders into files grouped by kind (see the module doc); raise on a source that
    gives nothing importable. The caller removes the private copies with ``Discovery.cleanup()``."""
    c = _Collector()
    try:
        for src, n in Counter(sources).items():  # the same argument twice is one argument
            if n > 1:
                c.d.not_imported.append((src, f"named {n} times: {DUPLICATE}"))
            literal = os.path.lexists(src) or not glob.has_magic(src)  # a name with [ ] * ? that exists is a name
            paths = [Path(src)] if literal else [Path(p) for p in sorted(glob.glob(src, recursive=True))]
            if not paths:
                raise CorpusError("no file matches this pattern", path=src)
            for p in paths:
                if not os.path.lexists(p):
                    raise CorpusError("no such file or directory", path=str(p))
                unread: Counter = Counter()
                if p.is_dir():
                    if not os.access(p, os.R_OK | os.X_OK):
                        raise CorpusError("permission denied (cannot list this folder)", path=str(p))
                    hidden: Counter = Counter()
                    files = _walk(p, hidden)
                    took = [c.add(f, named=False, unread=unread) for f in files]
                    for what, n in sorted(hidden.items()):
                        c.d.not_imported.append((str(p), f"{what} not read: {n}"))
                    for why, n in sorted(unread.items()):
                        c.d.not_imported.append((str(p), f"{why}: {n} file{'s' if n != 1 else ''}"))
                    if not any(took):
                        raise CorpusError(f"no importable files in this folder ({_summary(unread, hidden)}); "
                                          + ACCEPTS, path=str(p))
                elif not c.add(p, named=True, unread=unread):
                    why = next(iter(unread), "not importable")
                    raise CorpusError(f"not an importable file ({why}); {ACCEPTS}", path=str(p))
    except BaseException:
        c.d.cleanup()
        raise
    return c.d


def _summary(unread: Counter, hidden: Counter) -> str:
    parts = [f"{why}: {n}" for why, n in unread.items()] + [f"{what}: {n}" for what, n in hidden.items()]
    return "; ".join(parts) or "it is empty"
