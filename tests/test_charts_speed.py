"""Time to compute every chart and table of the charts screen (``ChartData.compute_all``).

Target: <= 100 ms at the paper's scale (20,574 sessions). The assertions are loose (machines and load
differ); run with ``-s`` to see the figures, and ``-m slow`` for the full-scale corpus.
"""

from __future__ import annotations

import time

import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.charts import ChartData
from misalign_tui.data.reading.corpus import Corpus

SPECS = ([], ["platform=CLI"], ["symptom=S3,S7"], ["cause=C6", "severity=DS1"])


def measure(path, runs: int = 7) -> dict[str, tuple[float, float]]:
    c = Corpus.open(path)
    try:
        c.cursor()  # the cursor (macros installed) is created once per thread, not per screen
        out = {}
        for specs in SPECS:
            f = Filters.parse(specs)
            ChartData(c, f).compute_all()
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                ChartData(c, f).compute_all()
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            out[" ".join(specs) or "(no filter)"] = (times[0], times[len(times) // 2])
        return out
    finally:
        c.close()


def report(label: str, figures: dict) -> None:
    for k, (best, median) in figures.items():
        print(f"{label} {k:<24} best {best:6.1f} ms  median {median:6.1f} ms")


def test_compute_all_time_sample_corpus(sample_corpus):
    figures = measure(sample_corpus)
    report("sample (300 sessions)", figures)
    assert all(best < 1000 for best, _ in figures.values())


@pytest.mark.slow
def test_compute_all_time_full_scale(tmp_path_factory):
    from misalign_tui.data.building.importer import run_import
    from misalign_tui.data.building.sample import generate

    root = tmp_path_factory.mktemp("charts_full")
    generate(root / "study", sessions=20574, transcripts=False)
    run_import([str(root / "study")], root / "full.duckdb")
    figures = measure(root / "full.duckdb")
    report("full (20,574 sessions)", figures)
    assert all(best < 300 for best, _ in figures.values())
