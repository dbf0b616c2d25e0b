"""The numbers behind every chart and table, checked against stats.compute and an independent
plain-Python computation over the study JSON (never pixels)."""

from __future__ import annotations

import json
import math

import pytest

from misalign_tui.data.building.importer import run_import
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading import charts, stats
from misalign_tui.data.reading.charts import ChartData, linear_fit, month_range
from misalign_tui.data.reading.corpus import Corpus

from .conftest import REALDATA
from .test_charts_util import (SYM, episode_row, independent, load, session_row, write_rows)

CASES = [
    ([], lambda e: True, lambda s: True),
    (["platform=CLI"], lambda e: True, lambda s: s["session_type"] == "CLI"),
    (["symptom=S3,S7"], lambda e: e["S3"] or e["S7"], lambda s: True),
    (["cause=C7", "license=MIT"], lambda e: e["C7"] is not None, lambda s: s["license_type"] == "MIT"),
    (["since=2025-03-10"], lambda e: True, lambda s: s["session_timestamp"] >= "2025-03-10"),
]


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


@pytest.fixture(scope="module")
def synth(charts_study):
    """A ~400-session study-format corpus spanning 19 months, both platforms, with INVALID rows."""
    eps, sess = load(charts_study)
    c = Corpus.open(charts_study / "c.duckdb")
    yield c, eps, sess
    c.close()


@pytest.fixture(scope="module")
def real(real_corpus):
    eps = json.loads((REALDATA / "annotated_sample.json").read_text())
    sess = json.loads((REALDATA / "session_mapping_matching.json").read_text())
    c = Corpus.open(real_corpus)
    yield c, eps, sess
    c.close()


def check_against_independent(c: Corpus, eps, sess, specs, keep_e, keep_s):
    f = Filters.parse(specs)
    d = ChartData(c, f)
    want = independent(eps, sess, keep_e, keep_s)
    # monthly episodes and sessions, stacked IDE / CLI, continuous months
    ep = d.monthly()
    se = d.monthly_sessions()
    assert list(ep.x) == want["months"] == list(se.x)
    for p in ("IDE", "CLI"):
        got_e = list(ep.get(p).values) if p in [s.name for s in ep.series] else [0] * len(ep.x)
        got_s = list(se.get(p).values) if p in [s.name for s in se.series] else [0] * len(se.x)
        assert got_e == want["episodes_month"][p], p
        assert got_s == want["sessions_month"][p], p
    # misalignments per user turn and the trend slope
    put = d.per_user_turn()
    for g, w in zip(put.get("all").values, want["per_user_turn"]):
        assert close(g, w)
    assert close(put.extra["slope"], want["slope"], 1e-7)
    # share timelines (S8 left out), since 2025-02-01
    for axis in ("symptom", "cause"):
        ch = d.symptom_share() if axis == "symptom" else d.cause_share()
        w = want[f"{axis}_share"]
        assert list(ch.x) == w["months"]
        assert ch.extra["totals"] == {m: w["totals"].get(m, 0) for m in w["months"]}
        for code, vals in w["share"].items():
            for g, v in zip(ch.get(code).values, vals):
                assert close(g, v), (axis, code)
        assert "S8" not in [s.name for s in ch.series]
    # co-occurrence, session lift, severity x locus, symptom x resolver
    co, lift = d.episodes.pairs, d.episodes.spairs
    assert co.n == want["n"] and lift.n == want["sessions_with_episode"]
    for a in SYM:
        for b in SYM:
            assert co.pairs.get((a, b), 0) == want["pair"][(a, b)]
            assert lift.pairs.get((a, b), 0) == want["spair"][(a, b)]
    assert d.episodes.sevloc == want["sevloc"]
    assert d.episodes.symrv == want["symrv"]
    return d


@pytest.mark.parametrize("specs,keep_e,keep_s", CASES)
def test_chart_numbers_equal_independent_synthetic(synth, specs, keep_e, keep_s):
    c, eps, sess = synth
    check_against_independent(c, eps, sess, specs, keep_e, keep_s)


@pytest.mark.parametrize("specs,keep_e,keep_s", CASES[:3])
def test_chart_numbers_equal_independent_real(real, specs, keep_e, keep_s):
    c, eps, sess = real
    check_against_independent(c, eps, sess, specs, keep_e, keep_s)


def test_sample_corpus_against_independent(sample_dir, sample_corpus):
    eps = json.loads((sample_dir / "data" / "core" / "annotated_misalignments.json").read_text())
    sess = json.loads((sample_dir / "data" / "core" / "session_mapping.json").read_text())
    c = Corpus.open(sample_corpus)
    try:
        check_against_independent(c, eps, sess, [], lambda e: True, lambda s: True)
    finally:
        c.close()


@pytest.mark.parametrize("specs", [[], ["platform=IDE"], ["symptom=S2"], ["severity=DS2,DS3"], ["cause=C6,C7"]])
def test_distributions_and_tables_equal_stats(synth, specs):
    c, _eps, _sess = synth
    f = Filters.parse(specs)
    st = stats.compute(c, f, facets=True)
    d = ChartData(c, f)
    for axis in ("symptom", "cause", "severity", "locus", "status", "resolver"):
        t = d.distribution_table(axis)
        ch = d.distribution(axis)
        for code, w in st["distribution"].items():
            if w["axis"] != axis:
                continue
            row = t.row(code)
            assert row[1] == w["count"], code
            assert close(row[2], w["pct"]), code
            for p in ("IDE", "CLI"):
                if f"{p} %" in t.columns:
                    assert close(t.value(code, f"{p} %"), w[f"{p.lower()}_pct"]), (code, p)
                    assert close(ch.values(p)[code], w[f"{p.lower()}_pct"]), (code, p)
    # every facet axis: counts agree with stats' facets when the axis has no selection of its own
    for axis, counts in st["facets"].items():
        if f.get(axis) or axis in ("validation", "invalid_category"):  # facets lift the VALID default
            continue
        dist = d.distribution_counts(axis)
        got = {v: dist.counts.get((v, "all"), 0) for v in dist.values}
        assert {v: n for v, n in got.items() if n} == {v: n for v, n in counts.items() if n}, axis
    # symptom x cause and persistence are stats' own
    sxc = d.symptom_cause()
    for s, row in st["symptom_x_cause_row_pct"].items():
        for cz, v in row.items():
            assert close(sxc.value(s, cz), v), (s, cz)
    per = d.persistence()
    assert per.rows[0][1] == st["persistence"]["pairs"]
    assert close(per.rows[1][1], st["persistence"]["p_next_given_current"])
    assert close(per.rows[4][1], st["persistence"]["association_ratio"])
    assert d.monthly().extra["total"] == {m: st["monthly_episodes"].get(m, 0) for m in d.monthly().x}


def test_open_axes_distribution_equals_json(synth):
    c, eps, sess = synth
    d = ChartData(c, Filters())
    want = independent(eps, sess)["agent"]
    dist = d.distribution_counts("agent")
    assert {(v, p): n for (v, p), n in dist.counts.items() if p != "all"} == want
    t = d.distribution_table("agent")
    assert sum(r[1] for r in t.rows) == len(eps)


def test_two_query_paths_agree(synth):
    """chart_episodes.sql (label axes) and chart_values.sql (episode_values) count the same."""
    c, _e, _s = synth
    for f in (Filters(), Filters.parse(["platform=CLI", "symptom=S1"]), Filters.parse(["validation=INVALID"])):
        d = ChartData(c, f)
        rows = c.run("chart_values", {"f": f.params()})
        for axis in charts.EPISODE_VALUE_AXES:
            want = {}
            for a, v, p, n in rows:
                if a == axis:
                    want[(v, p or "Unknown")] = want.get((v, p or "Unknown"), 0) + n
            assert d.value_counts(axis) == want, axis


def test_cooccurrence_metrics(synth):
    c, eps, sess = synth
    d = ChartData(c, Filters())
    w = independent(eps, sess)
    n = w["n"]
    for a, b in (("S2", "S4"), ("S3", "S5"), ("S1", "S7")):
        nab, na, nb = w["pair"][(a, b)], w["pair"][(a, a)], w["pair"][(b, b)]
        assert d.cooccurrence("count").value(a, b) == nab
        assert close(d.cooccurrence("jaccard").value(a, b), nab / (na + nb - nab))
        assert close(d.cooccurrence("lift").value(a, b), (nab / n) / ((na / n) * (nb / n)))
        assert close(d.cooccurrence("cond").value(a, b), nab / na)
        pairs = d.cooccurrence_pairs()
        row = next(r for r in pairs.rows if r[:2] == (a, b))
        assert row[4] == nab and close(row[7], nab / na) and close(row[8], nab / nb)
        # session level: the paper's lift over sessions with >= 1 episode
        sn = w["sessions_with_episode"]
        sab, sa, sb = w["spair"][(a, b)], w["spair"][(a, a)], w["spair"][(b, b)]
        assert close(d.session_lift("lift").value(a, b), (sab / sn) / ((sa / sn) * (sb / sn)))
    assert d.cooccurrence("lift").value("S3", "S3") is None  # diagonal
    assert d.session_lift().n == w["sessions_with_episode"]


def test_severity_locus_and_symptom_resolver_tables(synth):
    c, eps, sess = synth
    d = ChartData(c, Filters())
    w = independent(eps, sess)
    t = d.severity_locus()
    assert t.value("DS2", "DL1") == w["sevloc"].get(("DS2", "DL1"), 0)
    assert t.value("DS1", "no locus") == w["sevloc"].get(("DS1", None), 0)
    assert t.value("All", "n") == len(eps) == t.n
    r = d.symptom_resolver()
    for s in ("S2", "S3"):
        resolved = sum(w["symrv"].get((s, rv), 0) for rv in ("RV1", "RV2", "RV3"))
        assert r.value(s, "resolved n") == resolved
        assert close(r.value(s, "RV2"), 100 * w["symrv"].get((s, "RV2"), 0) / resolved)
        assert r.value(s, "episodes n") == sum(1 for e in eps if e[s])
    assert r.n == sum(1 for e in eps if e["resolver"])


def test_share_denominator_leaves_s8_out_and_buckets_months(tmp_path):
    """Hand-made: the share denominator is label occurrences of S1–S7; months are calendar months of
    the session timestamp; the since boundary is inclusive; gap months are filled."""
    s = [session_row(1, 1, "2025-01-31 23:59:59"), session_row(1, 2, "2025-02-01 00:00:00"),
         session_row(1, 3, "2025-02-28 23:59:59", "CLI"), session_row(1, 4, "2025-04-02 10:00:00", "CLI", 4),
         session_row(2, 1, "2025-02-15 12:00:00", user_turns=6)]
    e = [episode_row(s[0], 1, ("S1", "S2")),
         episode_row(s[1], 1, ("S1", "S8")),                       # S8 does not count
         episode_row(s[2], 1, ("S2",), (("C7", "not_applicable"),)),
         episode_row(s[2], 2, ("S1", "S3", "S7"), (("C1", "direct"), ("C2", "speculative"))),
         episode_row(s[3], 1, ("S3",)),
         episode_row(s[4], 1, ("S8",))]                           # only S8: no share occurrence
    src = write_rows(tmp_path / "src", s, e)
    run_import([str(src)], tmp_path / "c.duckdb")
    c = Corpus.open(tmp_path / "c.duckdb")
    try:
        d = ChartData(c, Filters())
        sh = d.symptom_share()
        assert sh.x == ("2025-02", "2025-03", "2025-04")  # January is before 2025-02-01; March is a gap
        assert sh.extra["totals"] == {"2025-02": 5, "2025-03": 0, "2025-04": 1}  # S1, S1, S2, S3, S7 (no S8)
        assert sh.values("S1") == {"2025-02": 40.0, "2025-03": None, "2025-04": 0.0}
        assert sh.values("S3")["2025-04"] == 100.0
        cs = d.cause_share()
        assert cs.extra["totals"]["2025-02"] == 5  # C1 (x2: S1+S8 episode and S1..S7 one), C7, C1, C2
        assert cs.values("C7")["2025-02"] == 20.0
        # a since date inside a month is exact (episodes of 2025-02-01 .. 2025-02-14 drop out)
        mid = d.symptom_share(since="2025-02-15")
        assert mid.extra["totals"]["2025-02"] == 4  # S2, S1, S3, S7 of 02-28 (the 02-15 one is S8 only)
        everything = d.symptom_share(since=None)
        assert everything.x[0] == "2025-01" and everything.extra["totals"]["2025-01"] == 2
        # monthly bucketing of episodes and sessions, gap month filled with 0
        ep = d.monthly()
        assert ep.x == ("2025-01", "2025-02", "2025-03", "2025-04")
        assert ep.values("IDE") == {"2025-01": 1, "2025-02": 2, "2025-03": 0, "2025-04": 0}
        assert ep.values("CLI") == {"2025-01": 0, "2025-02": 2, "2025-03": 0, "2025-04": 1}
        assert d.monthly_sessions().values("IDE") == {"2025-01": 1, "2025-02": 2, "2025-03": 0, "2025-04": 0}
        # per user turn: February = 4 episodes / (10 + 10 + 6) user turns; March has no sessions
        put = d.per_user_turn()
        assert close(put.values("all")["2025-02"], 4 / 26)
        assert put.values("all")["2025-03"] is None
        assert close(put.values("CLI")["2025-04"], 1 / 4)
    finally:
        c.close()


def test_linear_fit_and_month_range():
    a, b = linear_fit([0, 1, 2, 3], [1, 3, 5, 7])
    assert close(a, 1) and close(b, 2)
    a, b = linear_fit([1, 2, 3], [2, 2, 5])  # hand: mean x 2, mean y 3, Sxy = 3, Sxx = 2 -> b 1.5, a 0
    assert close(b, 1.5) and close(a, 0.0)
    assert linear_fit([5], [1]) is None and linear_fit([2, 2], [1, 3]) is None
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_markdown_export(synth):
    c, _e, _s = synth
    d = ChartData(c, Filters.parse(["platform=CLI"]))
    md = d.symptom_cause().markdown()
    lines = md.splitlines()
    assert lines[0] == "### Symptom × cause (row % of label pairs)"
    assert "platform = CLI" in md and "n = " in md
    header = next(i for i, ln in enumerate(lines) if ln.startswith("| Symptom"))
    assert lines[header + 1].startswith("|:---|---:")
    assert len([ln for ln in lines if ln[:4] in {f"| S{i}" for i in range(1, 9)}]) == 8
    assert d.persistence().markdown().count("\n| ") >= 5
    assert "| P(next any \\| current any) |" in d.persistence().markdown()  # pipes escaped
    chart_md = d.monthly().markdown()
    assert "| Month | CLI |" in chart_md
    for kind in charts.TABLE_KINDS + ("monthly", "distribution:agent", "cooccurrence:lift", "lift:jaccard"):
        assert d.build(kind).markdown().startswith("### ")


def test_unknown_kind_axis_metric_raise_corpus_error(synth):
    c, _e, _s = synth
    for kind in ("pie", "distribution:colour", "cooccurrence:cosine", "monthly:x"):
        with pytest.raises(CorpusError):
            charts.build(c, Filters(), kind)
    with pytest.raises(CorpusError):
        ChartData(c, Filters(), since="2025-13-01")


def test_empty_selection(synth):
    c, _e, _s = synth
    d = ChartData(c, Filters(text="no-such-text-anywhere"))
    res = d.compute_all()
    assert res["monthly"].n == 0 and res["symptom-share"].x == ()
    assert res["cooccurrence"]["lift"].value("S1", "S2") is None
    assert res["persistence"].rows[1][1] is None or res["persistence"].rows[1][1] == 0
