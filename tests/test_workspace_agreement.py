"""Agreement statistics against hand-computed and published values; codings and their edits."""

from __future__ import annotations

import random

import pytest

from misalign_tui.data.workspace.agreement import (compare, cohen_kappa, krippendorff_alpha, masi_distance,
                                                   observed_agreement)
from misalign_tui.data.workspace.coding import Coding, sample_keys
from misalign_tui.data.workspace.store import WorkspaceError


def table_pairs(table: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    return [pair for pair, n in table.items() for _ in range(n)]


def test_kappa_of_perfect_agreement_is_one():
    pairs = [(c, c) for c in "abcabcaab"]
    assert cohen_kappa(pairs) == pytest.approx(1.0)
    assert observed_agreement(pairs) == 1.0
    assert krippendorff_alpha(pairs) == pytest.approx(1.0)


def test_kappa_textbook_two_by_two_is_0_40():
    """50 items, two raters, yes/no (the classic example):

                     rater B yes   rater B no
        rater A yes       20            5
        rater A no        10           15

    p_o = 35/50 = 0.70; p_yes = 25/50 · 30/50 = 0.30, p_no = 25/50 · 20/50 = 0.20, p_e = 0.50;
    κ = (0.70 − 0.50) / (1 − 0.50) = 0.40."""
    pairs = table_pairs({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    assert observed_agreement(pairs) == pytest.approx(0.70)
    assert cohen_kappa(pairs) == pytest.approx(0.40)


def test_kappa_of_chance_level_coding_is_about_zero():
    rng = random.Random(11)
    codes = ["DS0", "DS1", "DS2", "DS3", "DS4"]
    pairs = [(rng.choice(codes), rng.choice(codes)) for _ in range(20_000)]
    assert abs(cohen_kappa(pairs)) < 0.02
    assert abs(krippendorff_alpha(pairs)) < 0.02
    assert observed_agreement(pairs) == pytest.approx(0.2, abs=0.02)


def test_kappa_below_chance_and_undefined():
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None  # no variation: p_e = 1
    assert cohen_kappa([]) is None and krippendorff_alpha([]) is None
    assert krippendorff_alpha([("a", "a"), ("a", "a")]) is None


def test_krippendorff_alpha_published_examples():
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four observers, twelve units,
    missing values, nominal data: α = 0.743; and two observers, ten binary units: α = 0.095."""
    n = None
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3]
    c = [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]
    assert krippendorff_alpha(zip(a, b, c, d)) == pytest.approx(0.743, abs=5e-4)
    x = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    y = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha(zip(x, y)) == pytest.approx(0.095, abs=5e-4)


def test_masi_distance():
    f = frozenset
    assert masi_distance(f("ab"), f("ab")) == 0.0 and masi_distance(f(), f()) == 0.0
    assert masi_distance(f("a"), f("ab")) == pytest.approx(1 - 0.5 * 2 / 3)  # subset
    assert masi_distance(f("ab"), f("bc")) == pytest.approx(1 - (1 / 3) * (1 / 3))  # overlap
    assert masi_distance(f("a"), f("b")) == 1.0  # disjoint
    sets = [(f("ab"), f("ab")), (f("c"), f("c")), (f("a"), f("a"))]
    assert krippendorff_alpha(sets, masi_distance) == pytest.approx(1.0)


def C(symptoms=("S1",), causes=(("C1", "direct"),), severity="DS1", locus=None, status="RS2", resolver=None):
    return Coding(tuple(symptoms), tuple(causes), severity, locus, status, resolver)


def test_compare_per_axis_by_hand():
    reviewer = {"k1": C(("S1", "S3")), "k2": C(("S2",), severity="DS2", locus="DL1"),
                "k3": C(("S3",), (("C7", None),)), "k4": C(("S1",), status="RS1", resolver="RV2")}
    model = {"k1": C(("S1",)), "k2": C(("S2",), severity="DS2", locus="DL3"),
             "k3": C(("S3",), (("C4", "contextual"),)), "k4": C(("S1",), (("C1", "speculative"),), status="RS1",
                                                             resolver="RV2"), "k5": C()}
    ag = compare(reviewer, model, "alice", "model")
    assert ag.n == 4 and ag.keys == ["k1", "k2", "k3", "k4"]  # k5 not coded by the reviewer
    sev = ag.axis("severity")
    assert (sev.n, sev.agreement, sev.kappa) == (4, 1.0, 1.0)
    assert sev.rows == ["DS1", "DS2"] and sev.matrix == [[3, 0], [0, 1]]
    locus = ag.axis("locus")  # —, DL1/DL3, —, —: 3 of 4 agree
    assert locus.agreement == 0.75 and locus.disagreements == [("k2", "DL1", "DL3")]
    # κ by hand: A = {—: 3, DL1: 1}, B = {—: 3, DL3: 1}; p_e = 9/16; κ = (3/4 − 9/16) / (7/16) = 3/7
    assert locus.kappa == pytest.approx(3 / 7)
    sym = ag.axis("symptom")
    assert sym.kind == "set" and sym.agreement == 0.75 and sym.disagreements == [("k1", "S1 S3", "S1")]
    s3 = ag.axis("symptom:S3")  # present: reviewer k1, k3; model k3 -> 3 of 4 agree
    assert s3.kind == "code" and s3.agreement == 0.75 and s3.matrix == [[1, 1], [0, 2]]
    assert s3.kappa == pytest.approx(0.5)  # p_o 3/4, p_e = (2·1 + 2·3)/16 = 1/2
    cause = ag.axis("cause")
    assert cause.agreement == 0.75 and cause.disagreements == [("k3", "C7", "C4")]  # k4: same code, tiers differ
    tier = ag.axis("tier")  # shared causes: k1 C1, k2 C1, k4 C1 -> direct/direct ×2, direct/speculative
    assert tier.n == 3 and tier.disagreements == [("k4", "C1:direct", "C1:speculative")]
    assert ag.disagreeing_keys() == ["k1", "k2", "k3", "k4"]
    md = ag.markdown()
    assert "# Agreement: alice vs model" in md and "| severity | 4 | 100.0% | 1.000 | 1.000 |" in md
    assert "`k2` — locus: DL1 vs DL3" in md


def test_coding_edits():
    c = Coding()
    assert not c.complete and c.missing() == ["symptom", "cause", "severity", "status"]
    c = c.toggle_symptom("S3").toggle_symptom("S1").toggle_symptom("S3")
    assert c.symptoms == ("S1",)
    c = c.toggle_cause("C1").toggle_cause("C4")
    assert c.cause_codes == ("C1", "C4")
    c = c.toggle_cause("C2")  # a third cause replaces the oldest
    assert c.cause_codes == ("C4", "C2")
    c = c.with_tier(0, "direct")
    assert c.causes == (("C4", "direct"), ("C2", None)) and "tier of C2" in c.missing()
    c = c.toggle_cause("C7")  # exclusive
    assert c.causes == (("C7", None),)
    assert c.with_tier(0, "direct") == c  # C7 has no tier
    c = c.toggle_cause("C5")
    assert c.causes == (("C5", None),)
    c = c.with_tier(0, "speculative").with_value("severity", "DS0").with_value("status", "RS2")
    assert c.complete and c.value("cause") == "C5:speculative" and c.value("locus") == "—"
    with pytest.raises(WorkspaceError):
        c.with_value("severity", "DS9")


def test_sample_is_seeded_and_order_independent():
    pop = [f"k{i}" for i in range(100)]
    a = sample_keys(pop, 10, seed=4)
    assert a == sample_keys(list(reversed(pop)), 10, seed=4) and len(set(a)) == 10
    assert a != sample_keys(pop, 10, seed=5)
    assert sorted(sample_keys(pop[:3], 10, seed=1)) == pop[:3]
