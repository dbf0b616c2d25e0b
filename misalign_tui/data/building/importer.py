"""``misalign-tui import``: any mix of the study's files, Atlas text records and transcripts -> corpus."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import CorpusError
from .builder import CorpusBuilder
from .sources import ACCEPTS, Discovery, classify, collect  # noqa: F401 (classify: part of the importer's API)
from .study_load import StudyStage

KINDS = ("mapping", "annotated", "validated", "atlas", "parsed", "transcript")


@dataclass
class ImportReport:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    files: dict[str, str] = field(default_factory=dict)  # transcript file -> one-line report
    not_imported: list[tuple[str, str]] = field(default_factory=list)  # (file or folder, why) — see sources.py

    def lines(self) -> list[str]:
        out = [f"wrote {self.out}"]
        out += [f"  {t:<13} {n:>10,}" for t, n in self.counts.items()]
        if self.sources:
            out.append("read:")
            out += [f"  {k:<40} {v:>10,} records" for k, v in self.sources.items()]
        if self.files:
            out.append("transcript files:")
            out += [f"  {k if k.startswith(('/dev/', '/proc/')) else Path(k).name}: {v}"  # /dev/fd/63: whole
                    for k, v in sorted(self.files.items())]
        if self.skipped:
            out.append("skipped:")
            out += [f"  {v:>8,}  {k}" for k, v in self.skipped.most_common()]
        if self.not_imported:
            out.append("not imported:")
            out += [f"  {what}: {why}" for what, why in self.not_imported]
        return out


STUDY_KINDS = ("mapping", "annotated", "validated", "atlas")


def run_import(sources: list[str], out: Path, *, force: bool = False, source_name: str | None = None,
               progress=None) -> ImportReport:
    """Import ``sources`` into the corpus file ``out`` (atomic; ``force`` replaces an existing corpus, never
    one of the sources).

    The study's files are read by DuckDB and joined in SQL (``study_load``); transcripts are parsed in worker
    processes and staged in batches (``transcript_load``); the corpus' tables are then written in SQL
    (``builder``). Memory follows the batches, not the size of the sources."""
    from ..outputs import Protected, check_output

    builder = CorpusBuilder(Path(out), force=force)
    found = collect(sources)
    report = ImportReport(Path(out))
    try:
        check_output(out, force=force, stream=False, what="corpus",
                     inputs=[Protected(f, "one of the sources") for files in found.found.values() for f in files])
        con = builder.open()
        stage = StudyStage(con, builder.sources, builder.skipped)
        total = sum(len(found.found.get(k, ())) for k in STUDY_KINDS)
        done = 0
        for kind in STUDY_KINDS:
            for path in found.found.get(kind, ()):
                try:
                    stage.add(kind, path)
                except CorpusError as e:
                    raise CorpusError(found.display(str(e))) from None
                done += 1
                if progress:
                    progress("reading", done, total)
        stage.derive()
        files = [(kind, p) for kind in ("parsed", "transcript") for p in found.found.get(kind, ())]
        if files:
            from .transcript_load import TranscriptLoader  # the transcript parsers load when needed
            TranscriptLoader(con, builder.sources, builder.skipped, report.files, source_name,
                             Path(out).parent).run(files, progress)
            for copy, name in found.origin.items():  # private copies (pipes, re-encoded files): the names given
                con.execute("UPDATE stage.sessions_src SET origin = $name WHERE origin = $copy",
                            {"name": name, "copy": copy})
        staged = con.execute("SELECT (SELECT count(*) FROM stage.sessions_src) "
                             "+ (SELECT count(*) FROM stage.episodes_src)").fetchone()[0]
        if not staged:
            why = "; ".join(f"{found.display(f)}: {r}" for f, r in report.files.items()) or "nothing in them"
            raise CorpusError(f"nothing to import ({why}); {ACCEPTS}")
        report.counts = builder.finish(progress=(lambda i, n: progress("writing", i, n)) if progress else None)
    except duckdb.Error as e:
        raise CorpusError(f"could not write corpus: {str(e).splitlines()[0]}", path=str(out)) from None
    except OSError as e:
        raise CorpusError(f"could not write corpus: {e.strerror or e}", path=str(out)) from None
    finally:
        builder.close()
        found.cleanup()
    report.files = {found.display(k): v for k, v in report.files.items()}
    report.not_imported = found.not_imported
    report.skipped = builder.skipped
    report.sources = builder.sources
    return report
