"""Shared fixtures: every corpus the tests need is built here, once per test run.

Everything the tests read is inside the repository: the study's real data/core excerpts in
``tests/fixtures/real/study`` (MIT, see its NOTICE), real transcripts of every layout in
``tests/fixtures/real/layouts`` and the labelled dev set in ``tests/fixtures/real/transcripts``
(licence and source of each file in the SOURCES files beside them).

Under pytest-xdist each worker process has its own session; a corpus is then built by the first
worker that needs it and reused by the others (a file lock guards the build, as the xdist docs advise).
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = FIXTURES / "real"
REALDATA = REAL / "study"
TRANSCRIPTS = REAL / "layouts"
DEVSET = REAL / "transcripts"


def _private_user_folders() -> None:
    """The tests never read or write the user's own cache and data folders: one pair per test run (shared by
    the xdist workers of the run, which carry the same run id)."""
    import tempfile

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{os.getpid()}"
    base = Path(tempfile.gettempdir()) / f"misalign-tui-tests-{run}"
    for var, sub in (("MISALIGN_TUI_CACHE", "cache"), ("MISALIGN_TUI_DATA", "data")):
        (base / sub).mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(base / sub)


_private_user_folders()


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def shared_build(tmp_path_factory, name: str, build) -> Path:
    """``build(folder) -> Path`` once per test run, even across xdist workers; returns its result.

    The folder lives beside the per-worker temp folders (their common parent); a ``.done`` marker
    beside it, written after a successful build makes the others reuse it.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / f"shared-{name}"
    with _locked(base / f".shared-{name}.lock"):
        done = base / f"shared-{name}.done"
        if done.exists():
            return Path(done.read_text())
        folder.mkdir(exist_ok=True)
        result = Path(build(folder))
        done.write_text(str(result))
        return result


def _import(sources, out: Path) -> Path:
    from misalign_tui.data.building.importer import run_import

    run_import([str(s) for s in sources], out, force=True)
    return out


# ----- real data ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def real_corpus(tmp_path_factory) -> Path:
    """The real excerpts (annotated + validated + matching mapping) imported into a corpus."""
    return shared_build(tmp_path_factory, "real", lambda d: _import(
        [REALDATA / "annotated_sample.json", REALDATA / "validated_sample.json",
         REALDATA / "session_mapping_matching.json"], d / "real.duckdb"))


# ----- the synthetic sample (the generator that made sample_data/) -------------------------------------
@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A small synthetic corpus in the study's file formats (data/core, atlas, workspace)."""
    from misalign_tui.data.building.sample import generate

    def build(d: Path) -> Path:
        generate(d / "src", sessions=300, seed=7)
        return d / "src"

    return shared_build(tmp_path_factory, "sample", build)


@pytest.fixture(scope="session")
def sample_corpus(sample_dir, tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory, "samplecorpus", lambda d: _import([sample_dir], d / "sample.duckdb"))


@pytest.fixture
def sample(sample_corpus):
    """The sample corpus, opened read-only for one test."""
    from misalign_tui.data.reading.corpus import Corpus

    c = Corpus.open(sample_corpus)
    yield c
    c.close()


# ----- explorer corpora (tests/test_tui_browse_support.py writes them) ---------------------------------
@pytest.fixture(scope="session")
def text_corpus(tmp_path_factory) -> Path:
    """60 episodes with names, descriptions and evidence; the first three names are hostile."""
    from .test_tui_browse_support import build

    return shared_build(tmp_path_factory, "tui_text", lambda d: build(d, 60, hostile=True))


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory) -> Path:
    """16,000 episodes: paging, G on the last page."""
    from .test_tui_browse_support import build

    return shared_build(tmp_path_factory, "tui_big", lambda d: build(d, 16000))


# ----- chart and comparison corpus (tests/test_charts_util.py writes it) --------------------------------
@pytest.fixture(scope="session")
def charts_study(tmp_path_factory) -> Path:
    """A ~400-session study-format folder spanning 19 months, both platforms, INVALID rows; its corpus
    is ``charts_study / "c.duckdb"``."""
    from .test_charts_util import write_study

    def build(d: Path) -> Path:
        write_study(d, sessions=400, seed=11)
        _import([d], d / "c.duckdb")
        return d

    return shared_build(tmp_path_factory, "charts", build)


# ----- session-screen corpus (tests/fixtures/session_corpus/build.py writes it) ---------------------------
@pytest.fixture(scope="session")
def session_corpus_path(tmp_path_factory) -> Path:
    """Sessions of every shape for the session screen: a 1,200-turn one, hostile text, no transcript."""
    from .test_tui_session_support import build

    return shared_build(tmp_path_factory, "session_corpus",
                        lambda d: build.build_corpus(d / "session.duckdb", d / "study"))


@pytest.fixture(scope="session")
def study_excerpt_corpus(tmp_path_factory) -> Path:
    """The corpus (with its .fts sidecar) of the real study excerpt's three data/core files, built once;
    tests that need an old corpus to survive a failed import copy it."""
    def build(d: Path) -> Path:
        from misalign_tui.data.building.importer import run_import

        core = d / "core"
        core.mkdir(parents=True)
        for name, src in (("annotated_misalignments.json", "annotated_sample.json"),
                          ("validated_misalignments.json", "validated_sample.json"),
                          ("session_mapping.json", "session_mapping_matching.json")):
            (core / name).write_bytes((REALDATA / src).read_bytes())
        run_import([str(core)], d / "c.duckdb")
        return d / "c.duckdb"

    return shared_build(tmp_path_factory, "study_excerpt", build)
