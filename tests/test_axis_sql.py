"""The taxonomy is the only definition of an axis: the per-axis SQL fragments, the corpus' columns and the
facet values at import are generated from ``taxonomy.AXES`` and agree with it."""

from __future__ import annotations

import pytest

from misalign_tui.data.axis_sql import FRAGMENTS, expand
from misalign_tui.data.queries import all_queries
from misalign_tui.data.taxonomy import (AXES, BIT_DEFAULT_VALID, BIT_LICENSED, BIT_TEXT, FACET_AXES, SYMPTOMS,
                                        wide_column)


def test_bits_are_distinct_and_fit_an_integer():
    bits = [a.bit for a in AXES] + [BIT_TEXT, BIT_DEFAULT_VALID, BIT_LICENSED]
    assert len(bits) == len(set(bits)) and all(0 <= b < 31 for b in bits)
    assert len({a.name for a in AXES}) == len(AXES)
    assert all(a.level in ("episode", "session") and a.storage in ("one", "many", "since", "until") for a in AXES)


def test_every_fragment_is_expanded():
    queries = all_queries()
    assert not [n for n, q in queries.items() if "{{" in q]
    for name in FRAGMENTS:
        assert any(f"{{{{{name}}}}}" in q for q in _raw_queries()), f"fragment {name} is used by no query"
    with pytest.raises(KeyError):
        expand("SELECT {{no_such_fragment}}")


def test_failmask_has_one_term_per_axis_and_flag():
    macro = all_queries()["macro_flagged"]
    for ax in AXES:
        [line] = [ln for ln in macro.splitlines() if ln.rstrip().endswith(f"-- when: {ax.name}")]
        assert f"ELSE {1 << ax.bit} END" in line and f"e.{ax.column}" in line
    sessions = all_queries()["macro_flagged_sessions"]
    assert {ln.rsplit("-- when: ", 1)[1] for ln in sessions.splitlines() if "-- when: " in ln} == {
        a.name for a in AXES if a.level == "session"} | {"licensed_only"}


def test_corpus_columns_and_values_follow_the_taxonomy(sample):
    cur = sample.cursor()
    episodes = {r[0]: r[1] for r in cur.execute("DESCRIBE episodes").fetchall()}
    sessions = {r[0]: r[1] for r in cur.execute("DESCRIBE sessions").fetchall()}
    for ax in AXES:
        assert ax.column in episodes, ax.name
        if ax.level == "session":
            assert ax.column in sessions, ax.name
        if ax.multi:
            assert episodes[ax.column] == "VARCHAR[]", ax.name
    assert all(episodes[wide_column(c)] == "BOOLEAN" for c in SYMPTOMS)
    stored = dict(cur.execute("SELECT DISTINCT axis, bit FROM episode_values").fetchall())
    assert stored == {a.name: a.bit for a in FACET_AXES if a.name in stored}
    _, totals = sample.facet_totals(sample.parse_filters([]))
    assert list(totals) == [a.name for a in FACET_AXES]


def _raw_queries() -> list[str]:
    from misalign_tui import resources

    return [resources.read_text("queries", n) for n in resources.names("queries", ".sql")]
