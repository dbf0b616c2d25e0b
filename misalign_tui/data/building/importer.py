"""``misalign-tui import``: any mix of the study's files, Atlas text records and transcripts -> corpus."""

from __future__ import annotations

import glob
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import CorpusError
from .builder import CorpusBuilder
from .jsonio import sniff
from .study_load import StudyStage

KINDS = ("mapping", "annotated", "validated", "atlas", "parsed", "transcript")


@dataclass
class ImportReport:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    files: dict[str, str] = field(default_factory=dict)  # transcript file -> one-line report

    def lines(self) -> list[str]:
        out = [f"wrote {self.out}"]
        out += [f"  {t:<13} {n:>10,}" for t, n in self.counts.items()]
        if self.sources:
            out.append("read:")
            out += [f"  {k:<40} {v:>10,} records" for k, v in self.sources.items()]
        if self.files:
            out.append("transcript files:")
            out += [f"  {Path(k).name}: {v}" for k, v in sorted(self.files.items())]
        if self.skipped:
            out.append("skipped:")
            out += [f"  {v:>8,}  {k}" for k, v in self.skipped.most_common()]
        return out


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


def classify(path: Path) -> str | None:
    """What a file is: the study's files by name, transcripts by content, then JSON records by keys."""
    name = path.name.lower()
    for prefix, kind in (("annotated_misalignments", "annotated"), ("validated_misalignments", "validated"),
                         ("session_mapping", "mapping")):
        if name.startswith(prefix) and name.endswith(".json"):
            return kind
    if path.parent.name == "session_parsed" and name.endswith(".json"):
        return "parsed"
    head = sniff(path, 65536)
    s = head.lstrip()
    if s.startswith("[") or s.startswith("{"):
        if '"damage_severity"' in head and '"S1"' in head:
            return "annotated"
        if '"label"' in head and '"count_id"' in head:
            return "validated"
        if ('"evidence"' in head or '"misalignment_id"' in head) and '"description"' in head:
            return "atlas"
        if s.startswith("{") and '"description"' in head and _atlas_line(path):
            return "atlas"  # a first record longer than the sniffed head (a very long description)
        if '"session_count_id"' in head and '"misalignment_id"' not in head and s.startswith("["):
            return "mapping"
    from .transcripts.formats import detect_format

    fmt = detect_format(path, head.encode("utf-8", "replace"))
    if fmt == "study":
        return "parsed"
    if fmt is not None:
        return "transcript"
    return None


def collect(sources: list[str]) -> dict[str, list[Path]]:
    """Expand globs and folders into files grouped by kind; raise on paths that give nothing."""
    found: dict[str, list[Path]] = defaultdict(list)
    seen: set[Path] = set()
    for src in sources:
        paths = [Path(p) for p in sorted(glob.glob(src, recursive=True))] if glob.has_magic(src) else [Path(src)]
        if not paths:
            raise CorpusError("no file matches this pattern", path=src)
        for p in paths:
            if not p.exists():
                raise CorpusError("no such file or directory", path=str(p))
            if p.is_dir() and not os.access(p, os.R_OK | os.X_OK):
                raise CorpusError("permission denied (cannot list this folder)", path=str(p))
            files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
            n_before = sum(len(v) for v in found.values())
            for f in files:
                if f.name.startswith(".") and p.is_dir():
                    continue
                if not os.access(f, os.R_OK):
                    raise CorpusError("permission denied", path=str(f))
                kind = classify(f)
                if kind is None or f.resolve() in seen:
                    continue
                seen.add(f.resolve())
                found[kind].append(f)
            if sum(len(v) for v in found.values()) == n_before:
                raise CorpusError("no importable files (study JSON, Atlas records, transcripts) found", path=str(p))
    return found


STUDY_KINDS = ("mapping", "annotated", "validated", "atlas")


def run_import(sources: list[str], out: Path, *, force: bool = False, source_name: str | None = None,
               progress=None) -> ImportReport:
    """Import ``sources`` into the corpus file ``out`` (atomic; ``force`` replaces an existing corpus).

    The study's files are read by DuckDB and joined in SQL (``study_load``); transcripts are parsed in worker
    processes and staged in batches (``transcript_load``); the corpus' tables are then written in SQL
    (``builder``). Memory follows the batches, not the size of the sources."""
    builder = CorpusBuilder(Path(out), force=force)
    found = collect(sources)
    report = ImportReport(Path(out))
    try:
        con = builder.open()
        stage = StudyStage(con, builder.sources, builder.skipped)
        total = sum(len(found.get(k, ())) for k in STUDY_KINDS)
        done = 0
        for kind in STUDY_KINDS:
            for path in found.get(kind, ()):
                stage.add(kind, path)
                done += 1
                if progress:
                    progress("reading", done, total)
        stage.derive()
        files = [(kind, p) for kind in ("parsed", "transcript") for p in found.get(kind, ())]
        if files:
            from .transcript_load import TranscriptLoader  # the transcript parsers load when needed

            TranscriptLoader(con, builder.sources, builder.skipped, report.files, source_name,
                             Path(out).parent).run(files, progress)
        report.counts = builder.finish(progress=(lambda i, n: progress("writing", i, n)) if progress else None)
    except duckdb.Error as e:
        raise CorpusError(f"could not write corpus: {str(e).splitlines()[0]}", path=str(out)) from None
    except OSError as e:
        raise CorpusError(f"could not write corpus: {e.strerror or e}", path=str(out)) from None
    finally:
        builder.close()
    report.skipped = builder.skipped
    report.sources = builder.sources
    return report
