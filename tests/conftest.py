"""Shared fixtures: corpora built once per test session from the real excerpts and the sample generator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MISALIGN_SHARED", ROOT.parent / "shared")) / "reference"
REALDATA = SHARED / "realdata"
TRANSCRIPTS = SHARED / "transcripts"


def need_shared():
    if not REALDATA.is_dir():
        pytest.skip("../shared/reference is not beside the checkout")


@pytest.fixture(scope="session")
def real_corpus(tmp_path_factory) -> Path:
    """The real excerpts (annotated + validated + matching mapping) imported into a corpus."""
    need_shared()
    from misalign_tui.data.building.importer import run_import

    out = tmp_path_factory.mktemp("real") / "real.duckdb"
    run_import([str(REALDATA / "annotated_sample.json"), str(REALDATA / "validated_sample.json"),
                str(REALDATA / "session_mapping_matching.json")], out)
    return out


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A small synthetic corpus in the study's file formats (data/core, atlas, workspace)."""
    from misalign_tui.data.building.sample import generate

    out = tmp_path_factory.mktemp("sample")
    generate(out, sessions=300, seed=7)
    return out


@pytest.fixture(scope="session")
def sample_corpus(sample_dir, tmp_path_factory) -> Path:
    from misalign_tui.data.building.importer import run_import

    out = tmp_path_factory.mktemp("samplecorpus") / "sample.duckdb"
    run_import([str(sample_dir)], out)
    return out


@pytest.fixture
def sample(sample_corpus):
    """The sample corpus, opened read-only for one test."""
    from misalign_tui.data.reading.corpus import Corpus

    c = Corpus.open(sample_corpus)
    yield c
    c.close()
