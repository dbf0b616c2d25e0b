"""Per-turn pushback labels (``file  ordinal  label  anchor  reason``) and the dev set's fixed split.

``file`` is a transcript path relative to a root folder (the dev set: ``tests/fixtures/real/transcripts``);
``ordinal`` the 1-based index of the turn among the main session's human (USER) turns; ``label`` one of
``pushback`` / ``not`` / ``unsure``; ``anchor`` verbatim text of the turn, used to re-attach the label when
turn boundaries change; ``reason`` free text.

The split: the repository of a labelled file is read from its name, ``<owner>__<name>__<original name>``
(the dev set's naming). A repository is **held back** when the SHA-1 hex digest of the UTF-8 string
``"owner/name"`` starts with 0-5; every other repository is **tuning**. Tune rules and train weights on
the tuning part only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...errors import CorpusError

LABELS = ("pushback", "not", "unsure")
SPLITS = ("all", "tuning", "held-back")
HEADER = ["file", "ordinal", "label", "anchor", "reason"]
DEV_ROOT = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "real"  # in a source checkout


@dataclass(frozen=True)
class Label:
    file: str  # posix path relative to the transcripts root
    ordinal: int
    label: str
    anchor: str
    reason: str
    line: int  # line number in the labels file


def load_labels(path) -> list[Label]:
    """Read a labels file; a malformed file raises ``CorpusError`` naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise CorpusError(f"cannot read labels: {e.strerror or e}", path=str(path)) from None
    except UnicodeDecodeError:
        raise CorpusError("labels file is not UTF-8", path=str(path)) from None
    lines = text.splitlines()
    if not lines or lines[0].rstrip("\r").split("\t")[:3] != HEADER[:3]:
        raise CorpusError("labels file must start with the header file<TAB>ordinal<TAB>label<TAB>anchor<TAB>reason",
                          path=str(path))
    out, seen = [], set()
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cols = line.rstrip("\r").split("\t")
        if len(cols) < 3:
            raise CorpusError(f"line {n}: expected at least file, ordinal and label", path=str(path))
        cols += [""] * (5 - len(cols))
        f, o, lab, anchor, reason = cols[:5]
        try:
            ordinal = int(o)
        except ValueError:
            raise CorpusError(f"line {n}: ordinal {o[:20]!r} is not a number", path=str(path)) from None
        if ordinal < 1:
            raise CorpusError(f"line {n}: ordinal must be 1 or more", path=str(path))
        lab = lab.strip().lower()
        if lab not in LABELS:
            raise CorpusError(f"line {n}: label {lab[:20]!r} is not pushback, not or unsure", path=str(path))
        f = str(PurePosixPath(f.strip().replace("\\", "/")))
        if (f, ordinal) in seen:
            raise CorpusError(f"line {n}: {f} turn {ordinal} is labelled twice", path=str(path))
        seen.add((f, ordinal))
        out.append(Label(f, ordinal, lab, anchor, reason, n))
    return out


def repo_of(file: str) -> str | None:
    """``owner/name`` from a dev-set file name ``<owner>__<name>__<rest>``; None when it is not so named."""
    parts = PurePosixPath(file).name.split("__")
    if len(parts) < 3 or not parts[0] or not parts[1]:
        return None
    return f"{parts[0]}/{parts[1]}"


def split_of(repo: str) -> str:
    """"held-back" or "tuning" for an ``owner/name`` repository (the fixed SHA-1 rule)."""
    return "held-back" if hashlib.sha1(repo.encode("utf-8")).hexdigest()[0] in "012345" else "tuning"


def in_split(file: str, split: str) -> bool:
    if split == "all":
        return True
    repo = repo_of(file)
    if repo is None:
        raise CorpusError(f"--split needs files named <owner>__<name>__…, not {file[:80]}")
    return split_of(repo) == split


def format_of(file: str) -> str:
    """The first folder of the labelled path (the dev set keeps one folder per format)."""
    parts = PurePosixPath(file).parts
    return parts[0] if len(parts) > 1 else "-"
