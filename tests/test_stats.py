"""stats --json on the real excerpts equals an independent computation over the same JSON."""

from __future__ import annotations

import json
import math

import pytest

from misalign_tui.cli import main

from .conftest import REALDATA
from .independent import stats as independent_stats


def _load():
    eps = json.loads((REALDATA / "annotated_sample.json").read_text())
    sess = json.loads((REALDATA / "session_mapping_matching.json").read_text())
    return eps, sess


def run_stats(capsys, corpus, *filters):
    args = ["stats", str(corpus), "--json"]
    for f in filters:
        args += ["--filter", f]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def compare(got, want):
    for k in ("sessions", "episodes", "sessions_with_episode"):
        for t, v in want[k].items():
            assert got[k][t] == v, (k, t)
    for k in ("per_session", "per_user_turn"):
        for t, v in want[k].items():
            assert close(got[k][t], v), (k, t)
    for code, w in want["distribution"].items():
        g = got["distribution"][code]
        assert g["count"] == w["count"], code
        for f in ("pct", "ide_pct", "cli_pct"):
            assert close(g[f], w[f]), (code, f, g[f], w[f])
    for k, v in want["headline"].items():
        assert close(got["headline"][k], v), k
    for k, v in want["persistence"].items():
        assert close(got["persistence"][k], v), k
    assert got["monthly_episodes"] == want["monthly_episodes"]
    for s, row in want["symptom_x_cause_row_pct"].items():
        for c, v in row.items():
            assert close(got["symptom_x_cause_row_pct"][s][c], v), (s, c)


def test_stats_json_equals_independent_computation(real_corpus, capsys):
    eps, sess = _load()
    compare(run_stats(capsys, real_corpus), independent_stats(eps, sess))


@pytest.mark.parametrize("filters,keep_e,keep_s", [
    (["symptom=S3,S7"], lambda e: e["S3"] or e["S7"], lambda s: True),
    (["symptom=S2", "cause=C6,C7"], lambda e: e["S2"] and (e["C6"] is not None or e["C7"] is not None), lambda s: True),
    (["license=GPL-3.0"], lambda e: True, lambda s: s["license_type"] == "GPL-3.0"),
    (["severity=DS2", "since=2025-06-05"], lambda e: e["damage_severity"] == "DS2",
     lambda s: s["session_timestamp"] >= "2025-06-05"),
])
def test_filtered_stats_equal_independent(real_corpus, capsys, filters, keep_e, keep_s):
    eps, sess = _load()
    compare(run_stats(capsys, real_corpus, *filters), independent_stats(eps, sess, keep_e, keep_s))


def test_facets_count_each_axis_without_its_own_selection(real_corpus, capsys):
    eps, sess = _load()
    got = run_stats(capsys, real_corpus, "symptom=S3,S7", "license=GPL-3.0")["facets"]
    lic = {s["repository_id"]: s["license_type"] for s in sess}
    # symptom facet: license filter applied, symptom selection removed; counts episodes, not labels
    for code in ("S1", "S2", "S3", "S7"):
        want = sum(1 for e in eps if e[code] and lic[e["repository_id"]] == "GPL-3.0")
        assert got["symptom"][code] == want, code
    # license facet: symptom filter applied, license selection removed
    want_lic = {}
    for e in eps:
        if e["S3"] or e["S7"]:
            want_lic[e["license_type"]] = want_lic.get(e["license_type"], 0) + 1
    assert {k: v for k, v in got["license"].items() if v} == want_lic
    # the validation facet ignores the implicit VALID default: INVALID candidates have no symptoms -> 0
    assert got["validation"]["INVALID"] == 0


def test_validation_axes(real_corpus, capsys):
    v = json.loads((REALDATA / "validated_sample.json").read_text())
    invalid = [r for r in v if r["label"] == "INVALID"]
    got = run_stats(capsys, real_corpus, "validation=INVALID")
    assert got["episodes"]["total"] == len(invalid)
    got = run_stats(capsys, real_corpus, "invalid_category=invisible_agent_action")
    assert got["episodes"]["total"] == sum(r["invalid_category"] == "invisible_agent_action" for r in v)
    assert got["facets"]["invalid_category"]["intention_claim_without_pushback"] == sum(
        r["invalid_category"] == "intention_claim_without_pushback" for r in v)
