"""A/B comparison: the two-proportion test against hand-computed values, both B modes against the
JSON, seeded samples, Markdown, the CLI and the screen."""

from __future__ import annotations

import math

import pytest
from textual.screen import Screen
from textual.widgets import DataTable

from misalign_tui.cli import main
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.compare import compare, rest_scope, significance, two_proportion_test
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.charts import CompareScreen

from .test_charts_util import SYM, load


@pytest.fixture(scope="module")
def study(charts_study):
    return charts_study


@pytest.fixture
def corpus(study):
    c = Corpus.open(study / "c.duckdb")
    yield c
    c.close()


def normal_upper_tail(z: float, steps: int = 20000) -> float:
    """P(Z > z) for z >= 0 by Simpson's rule on the normal density (no erfc)."""
    h = z / steps
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    s = pdf(0) + pdf(z) + sum((4 if i % 2 else 2) * pdf(i * h) for i in range(1, steps))
    return 0.5 - s * h / 3


def test_two_proportion_test_hand_computed():
    # 45/100 vs 30/100: pooled p = 0.375, SE = sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 0.0684653
    z, p = two_proportion_test(45, 100, 30, 100)
    assert z == pytest.approx(0.15 / math.sqrt(0.375 * 0.625 * 0.02), rel=1e-12)
    assert z == pytest.approx(2.190890, abs=1e-6)
    assert p == pytest.approx(2 * normal_upper_tail(z), abs=1e-9)
    assert p == pytest.approx(0.028459, abs=1e-6)
    # unequal sizes, A lower: 12/80 vs 40/150 -> pooled 52/230
    z2, p2 = two_proportion_test(12, 80, 40, 150)
    pooled = 52 / 230
    want = (12 / 80 - 40 / 150) / math.sqrt(pooled * (1 - pooled) * (1 / 80 + 1 / 150))
    assert z2 == pytest.approx(want, rel=1e-12) and z2 < 0
    assert p2 == pytest.approx(2 * normal_upper_tail(abs(z2)), abs=1e-9)
    # degenerate cases
    assert two_proportion_test(0, 10, 0, 20) == (0.0, 1.0)
    assert two_proportion_test(10, 10, 20, 20) == (0.0, 1.0)
    assert two_proportion_test(3, 0, 2, 10) == (None, None)


def test_significance_markers():
    assert [significance(p) for p in (0.0009, 0.001, 0.0099, 0.01, 0.049, 0.05, 0.5, None)] == \
        ["***", "**", "**", "*", "*", "", "", ""]


def test_a_vs_explicit_b_against_json(corpus, study):
    eps, _sess = load(study)
    r = compare(corpus, Filters.parse(["platform=CLI"]), Filters.parse(["platform=IDE"]), sample=3, seed=4)
    cli = [e for e in eps if e["session_type"] == "CLI"]
    ide = [e for e in eps if e["session_type"] == "IDE"]
    assert (r.a_n, r.b_n, r.overlap) == (len(cli), len(ide), 0)
    for s in SYM:
        row = r.row(s)
        x1, x2 = sum(e[s] for e in cli), sum(e[s] for e in ide)
        assert (row.a_count, row.b_count) == (x1, x2)
        assert row.a_pct == pytest.approx(100 * x1 / len(cli)) and row.b_pct == pytest.approx(100 * x2 / len(ide))
        assert row.diff_pp == pytest.approx(row.a_pct - row.b_pct)
        assert (row.z, row.p) == two_proportion_test(x1, len(cli), x2, len(ide))
        assert row.marker == significance(row.p)
    with_rv = [e for e in cli if e["resolver"]]
    rv2 = r.row("RV2")
    assert rv2.a_n == len(with_rv) and rv2.a_count == sum(e["resolver"] == "RV2" for e in with_rv)
    assert r.row("C7").a_count == sum(e["C7"] is not None for e in cli)
    # both samples come from their side, deterministic for a seed
    assert len(r.sample_a) == 3 and all(corpus.episode(k).row["platform"] == "CLI" for k in r.sample_a)
    assert all(corpus.episode(k).row["platform"] == "IDE" for k in r.sample_b)
    again = compare(corpus, Filters.parse(["platform=CLI"]), Filters.parse(["platform=IDE"]), sample=3, seed=4)
    assert again.sample_a == r.sample_a and again.sample_b == r.sample_b


def test_a_vs_everything_else(corpus, study):
    eps, _sess = load(study)
    a = Filters.parse(["symptom=S3"])
    r = compare(corpus, a, sample=4, seed=1)
    rest = [e for e in eps if not e["S3"]]
    assert r.b_filters is None and r.b_n == len(rest) and r.a_n == len(eps) - len(rest)
    assert r.row("S3").b_count == 0 and r.row("S3").a_pct == 100.0
    for s in ("S1", "S7"):
        assert r.row(s).b_count == sum(e[s] for e in rest)
    rv = [e for e in rest if e["resolver"]]
    assert r.row("RV3").b_n == len(rv)
    # everything else = what B would be with the complementary filter, here platform CLI vs IDE
    r2 = compare(corpus, Filters.parse(["platform=CLI"]))
    r3 = compare(corpus, Filters.parse(["platform=CLI"]), Filters.parse(["platform=IDE"]))
    assert [(x.code, x.b_count, x.b_n) for x in r2.rows] == [(x.code, x.b_count, x.b_n) for x in r3.rows]
    # the rest sample never contains an episode of A
    assert len(r.sample_b) == 4
    assert all("S3" not in corpus.episode(k).row["symptoms"] for k in r.sample_b)
    assert all("S3" in corpus.episode(k).row["symptoms"] for k in r.sample_a)
    assert rest_scope(Filters.parse(["symptom=S3", "validation=INVALID"], licensed_only=True)) == \
        Filters.parse(["validation=INVALID"], licensed_only=True)


def test_overlapping_sides_are_reported(corpus):
    r = compare(corpus, Filters.parse(["symptom=S3"]), Filters.parse(["symptom=S7"]), sample=0)
    assert r.overlap > 0 and "in both A and B" in r.markdown()
    assert r.sample_a == () == r.sample_b


def test_markdown(corpus):
    r = compare(corpus, Filters.parse(["platform=CLI"]), sample=2, seed=9)
    md = r.markdown()
    assert md.startswith("### A/B comparison")
    assert "| Symptom | S3 Developer Constraint Violation |" in md
    assert "Random sample (seed 9)" in md and r.sample_a[0] in md
    n_rows = len([ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith("| Axis")])
    assert n_rows == len(r.rows)


def test_compare_cli(study, capsys, tmp_path):
    path = str(study / "c.duckdb")
    assert main(["compare", path, "--a", "platform=CLI", "--b", "platform=IDE", "--sample", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### A/B comparison") and "platform = IDE" in out
    assert main(["compare", path, "--a", "symptom=S9"]) == 2
    assert "unknown value" in capsys.readouterr().err
    assert main(["compare", path]) == 2


# ----- the screen --------------------------------------------------------------------------------
class CompareApp(MisalignApp):
    def __init__(self, corpus, a, b=None):
        super().__init__(corpus, local_clipboard=False)
        self.a, self.b = a, b

    def get_default_screen(self) -> Screen:
        return Screen()

    def on_mount(self):
        self.push_screen(CompareScreen(self.services, self.a, self.b))


async def _ready(pilot) -> CompareScreen:
    screen = pilot.app.screen
    for _ in range(400):
        await pilot.pause()
        if screen.result is not None or screen.error:
            await pilot.pause()
            return screen
    raise AssertionError("compare screen did not load")


async def test_compare_screen(corpus):
    app = CompareApp(corpus, Filters.parse(["platform=CLI"]), Filters.parse(["platform=IDE"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(pilot)
        assert screen.error is None
        assert screen.query_one(DataTable).row_count == len(screen.result.rows)
        await pilot.press("y")
        assert app.clipboard == screen.result.markdown()
        first = screen.result.sample_a
        await pilot.press("s")
        for _ in range(200):
            await pilot.pause()
            if screen.result.seed == 1:
                break
        assert screen.result.seed == 1 and screen.result.sample_a != first
        a_n = screen.result.a_n
        await pilot.press("w")
        for _ in range(400):
            await pilot.pause()
            if screen.result is not None:
                break
        assert screen.result.b_n == a_n and screen.b == Filters.parse(["platform=CLI"])
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_compare_screen_rest_cannot_swap(corpus):
    app = CompareApp(corpus, Filters.parse(["symptom=S1"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _ready(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert screen.a == Filters.parse(["symptom=S1"]) and screen.b is None
