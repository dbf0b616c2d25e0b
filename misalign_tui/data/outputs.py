"""The write guard: where a command may write, and writing there.

The rule (every command that writes checks its output with ``check_output`` before it writes anything):

- no ``--out`` or ``-`` is standard output;
- a device, FIFO or socket (``/dev/stdout``, ``/dev/null``, a pipe ``>(…)``; any path under ``/dev`` or
  ``/proc``) is *streamed to*: opened and written, never removed or renamed over;
- an existing file or folder is replaced only with ``--force`` (atomically: a temp file beside it, renamed);
- never — not even with ``--force`` — over one of the command's own inputs: the corpus it reads, that
  corpus' full-text sidecar and reviewer workspace, a source file or any file inside a source folder,
  compared by identity (``os.path.samefile``: symlinks and hard links are the same file), nor over a folder
  that holds one of them;
- the folder of the output must exist and be writable; errors name the output, never a temp file.

Nothing here imports textual or rich.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import CorpusError

STDOUT, STREAM, FILE = "stdout", "stream", "file"
_SPECIAL = ("/dev/", "/proc/")
_STDOUT_NAMES = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


@dataclass(frozen=True)
class Protected:
    """An input of the command: never written over. ``tree``: a folder whose files are all inputs."""

    path: Path
    role: str  # "the corpus this command reads", "a source file", …
    tree: bool = False


@dataclass(frozen=True)
class Target:
    kind: str  # STDOUT, STREAM or FILE
    path: Path | None = None


def protect(path, role: str) -> list[Protected]:
    """``path`` as a Protected input (a folder protects every file in it); [] for None."""
    if path is None:
        return []
    p = Path(path)
    return [Protected(p, role, tree=p.is_dir())]


def _special(p: Path) -> bool:
    """A path that names a device or a stream (not a file that can be replaced)."""
    text = str(p.absolute())
    if text.startswith(_SPECIAL):
        return True
    try:
        real = os.path.realpath(p)
        if real.startswith(_SPECIAL):
            return True
        mode = os.stat(p).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(child: Path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(child)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def _clash(out: Path, inputs: Iterable[Protected], folder: bool) -> Protected | None:
    """The input that writing ``out`` would destroy, if any."""
    exists = out.exists()
    for inp in inputs:
        if not inp.path.exists():
            continue
        if exists and _same(out, inp.path):
            return inp
        if inp.tree and exists and _inside(out, inp.path):
            return inp
        if folder and _inside(inp.path, out):  # the output folder holds an input
            return inp
    return None


def check_output(out, *, force: bool, inputs: Iterable[Protected] = (), folder: bool = False,
                 stream: bool = True, what: str = "output") -> Target:
    """Where ``out`` may be written under the rule of the module doc; a one-line CorpusError if nowhere.

    ``folder``: the output is a folder (replaced as a whole); ``stream``: a device / pipe is acceptable
    (False for outputs that must be real files, like a corpus)."""
    if out is None or str(out) == "-":
        if not stream:
            raise CorpusError(f"the {what} must be a file name, not standard output")
        return Target(STDOUT)
    p = Path(out)
    inputs = list(inputs)
    if _special(p):
        if not os.path.exists(p):
            raise CorpusError("no such device or file", path=str(out))
        hit = _clash(p, inputs, folder)
        if hit is not None:
            raise CorpusError(f"refusing to write over {hit.role}", path=str(out))
        if not stream:
            raise CorpusError(f"the {what} must be a regular file, not a device or pipe", path=str(out))
        if str(p.absolute()) in _STDOUT_NAMES:
            return Target(STDOUT)
        return Target(STREAM, p)
    hit = _clash(p, inputs, folder)
    if hit is not None:
        raise CorpusError(f"refusing to write over {hit.role} (not even with --force)", path=str(out))
    if p.is_dir() and not folder:
        raise CorpusError(f"is a directory; give a file name for the {what}", path=str(out))
    if p.exists() and not p.is_dir() and folder:
        raise CorpusError(f"exists and is not a folder; give a folder name for the {what}", path=str(out))
    empty_folder = folder and p.is_dir() and not any(p.iterdir())
    if (p.exists() or p.is_symlink()) and not empty_folder:
        if not force:
            raise CorpusError("exists; add --force to replace it", path=str(out))
    parent = p.absolute().parent
    if not parent.is_dir():
        raise CorpusError(f"output folder does not exist ({parent})", path=str(out))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CorpusError(f"output folder is not writable (permission denied: {parent})", path=str(out))
    return Target(FILE, p)


@contextmanager
def opened(target: Target, *, newline: str | None = None):
    """A text stream for ``target``: stdout, the device / pipe itself, or a temp file beside the file that
    is renamed over it when the block ends without an error (and removed when it fails)."""
    if target.kind == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = target.path
    if target.kind == STREAM:
        try:
            fh = open(path, "a", encoding="utf-8", newline=newline)
        except OSError as e:
            raise CorpusError(f"cannot write: {(e.strerror or str(e)).lower()}", path=str(path)) from None
        with fh:
            yield fh
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.absolute().parent)
    except OSError as e:
        raise CorpusError(f"cannot write: {(e.strerror or str(e)).lower()}", path=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise CorpusError(f"cannot write: {(e.strerror or str(e)).lower()}", path=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(target: Target, text: str) -> None:
    with opened(target) as fh:
        fh.write(text)
