"""Data-layer basics: turn numbering, every query runs, layering, filter syntax."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from misalign_tui.data.errors import CorpusError
from misalign_tui.data.filters import Filters
from misalign_tui.data.queries import all_queries
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.taxonomy import AXES, BIT_DEFAULT_VALID, BIT_LICENSED, BIT_TEXT
from misalign_tui.data.turns import clean_content, merge_turns, parse_turn_ref


def test_merge_turns_merges_same_role_runs():
    msgs = [("user", "a"), ("user", "b"), ("assistant", "c"), ("agent", "d"), ("user", "e"), ("assistant", "f")]
    turns = merge_turns(msgs)
    assert [(t.turn_no, t.role, t.text) for t in turns] == [
        (1, "USER", "a\n\nb"), (2, "AGENT", "c\n\nd"), (3, "USER", "e"), (4, "AGENT", "f")]
    assert turns[0].n_messages == 2


def test_cleaning_matches_the_study():
    assert clean_content("---\nhello<|endoftext|>\n---") == "hello"
    # only one leading / trailing marker is removed, after merging
    t = merge_turns([("user", "--- x"), ("user", "y ---")])
    assert t[0].text == "x\n\ny"


def test_turn_refs():
    assert parse_turn_ref("TURN 7 | USER") == (7, "USER")
    assert parse_turn_ref("turn 12|agent") == (12, "AGENT")
    assert parse_turn_ref(None) == (None, None)
    assert parse_turn_ref("unknown turn") == (None, None)


def test_every_query_runs(real_corpus):
    c = Corpus.open(real_corpus)
    cur = c.cursor()
    params = {"f": Filters.parse(["symptom=S3"]).params(), "sort": "time", "desc": True, "lim": 5, "off": 0,
              "seed": 3, "episode_no": 1, "key": "session_001/M001", "session_no": 1, "start": 1, "stop": 10,
              "nos": [1, 2], "q": "x", "regex": False, "human": True, "lim": 5, "episode_level": True}
    for name, sql in all_queries().items():
        needed = {k: v for k, v in params.items() if f"${k}" in sql}
        cur.execute(sql, needed)
        assert sql.lstrip().startswith("--"), f"{name}.sql needs a header comment"


def test_failmask_bits_match_the_taxonomy(real_corpus):
    """Each axis' failing filter sets exactly its Axis.bit in queries/macro_flagged.sql."""
    c = Corpus.open(real_corpus)
    cur = c.cursor()
    bogus = {"since": "2999-01-01", "until": "1999-01-01"}
    for ax in AXES:
        if ax.name in bogus:
            f = Filters(((ax.name, (bogus[ax.name],)),))
        else:
            f = Filters(((ax.name, ("__none__",)),))
        masks = {r[0] for r in cur.execute("SELECT DISTINCT failmask & ~$d FROM flagged($f)",
                                           {"f": f.params(), "d": 1 << BIT_DEFAULT_VALID}).fetchall()}
        assert masks == {1 << ax.bit}, ax.name
    masks = {r[0] for r in cur.execute("SELECT DISTINCT failmask FROM flagged($f)",
                                       {"f": Filters(text="zzzz-not-there").params()}).fetchall()}
    assert (1 << BIT_TEXT) in {m & (1 << BIT_TEXT) for m in masks}
    lic = {r[0] for r in cur.execute("SELECT DISTINCT failmask & $b FROM flagged($f) WHERE NOT licensed",
                                     {"f": Filters(licensed_only=True).params(), "b": 1 << BIT_LICENSED}).fetchall()}
    assert lic == {1 << BIT_LICENSED}


def test_data_layer_never_imports_textual_or_rich():
    code = ("import sys, misalign_tui.data, misalign_tui.data.reading.corpus, misalign_tui.data.building.importer, "
            "misalign_tui.data.reading.stats, misalign_tui.data.building.export, misalign_tui.data.filters;"
            "bad=[m for m in sys.modules if m.split('.')[0] in ('textual','rich')]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_filter_roundtrip_and_words():
    f = Filters.parse(["symptom=s3,S7", "platform=CLI", "since=2025-02-01"])
    assert f.to_args() == ["symptom=S3,S7", "platform=CLI", "since=2025-02-01"]
    assert Filters.parse(f.to_args()) == f
    assert f.describe().startswith("symptom ∈ {S3, S7} · platform = CLI · since 2025-02-01")
    assert "--filter symptom=S3,S7" in f.to_cli()


@pytest.mark.parametrize("spec,needle", [
    ("symptom=S9", "valid: S1"), ("severity=DS7", "DS0"), ("bogus=1", "valid axes"), ("symptom", "AXIS=V1"),
    ("month=2025-13", "YYYY-MM"), ("since=yesterday", "YYYY-MM-DD"), ("cause=", "no value"),
])
def test_bad_filters(spec, needle):
    with pytest.raises(CorpusError) as e:
        Filters.parse([spec])
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_open_values_validated_against_the_corpus(real_corpus):
    c = Corpus.open(real_corpus)
    warnings: list[str] = []  # an open-ended axis: a value this corpus lacks warns and matches nothing
    assert c.parse_filters(["agent=Nope"], warnings=warnings).get("agent") == ("Nope",)
    assert "not in this corpus" in warnings[0]
    assert c.parse_filters(["license=gpl-3.0"]).get("license") == ("GPL-3.0",)


def test_page_sort_and_position(real_corpus):
    c = Corpus.open(real_corpus)
    f = Filters()
    rows = c.page(f, sort="time", limit=1000)
    assert len(rows) == c.count(f) == 75
    assert [r.ts for r in rows] == sorted(r.ts for r in rows)
    desc = c.page(f, sort="time", desc=True, limit=1000)
    assert desc[0].ts == rows[-1].ts
    r1 = c.page(f, sort="random", seed=1, limit=1000)
    assert sorted(r.key for r in r1) == sorted(r.key for r in rows)
    assert [r.key for r in r1] == [r.key for r in c.page(f, sort="random", seed=1, limit=1000)]
    assert [r.key for r in r1] != [r.key for r in c.page(f, sort="random", seed=2, limit=1000)]
    target = rows[40]
    assert c.position(f, target.episode_no, sort="time") == 40 or rows[c.position(f, target.episode_no, sort="time")].ts == target.ts


def test_text_search_is_literal_and_regex_errors_are_clean(real_corpus):
    c = Corpus.open(real_corpus)
    assert c.count(Filters(text="'; DROP TABLE episodes; --")) == 0
    assert c.count(Filters(text="%")) == 0  # no LIKE wildcards
    with pytest.raises(CorpusError):
        c.count(Filters(text="(unclosed", regex=True))


def test_find_key(real_corpus):
    c = Corpus.open(real_corpus)
    assert c.find("specstory/1000090305/session_001/M003") == ("episode", "specstory/1000090305/session_001/M003")
    assert c.find("specstory/1000090305/session_001")[0] == "session"
    assert c.find("nope") is None


def test_json_export_roundtrip(real_corpus, tmp_path):
    from misalign_tui.data.building.export import export_episodes

    c = Corpus.open(real_corpus)
    out = tmp_path / "x.jsonl"
    n = export_episodes(c, Filters.parse(["status=RS1"]), "jsonl", out)
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == len(recs) == 7 and all(r["status"] == "RS1" for r in recs)
    for fmt in ("csv", "md"):
        assert export_episodes(c, Filters(), fmt, tmp_path / f"x.{fmt}") == 75


@pytest.mark.parametrize("spec", [[], ["symptom=S3,S7", "license=GPL-3.0"], ["validation=INVALID"],
                                  ["invalid_category=truncation", "goal=both"]])
def test_facet_totals_are_counts_without_the_axis(real_corpus, spec):
    from misalign_tui.data.taxonomy import AXIS_BY_NAME, FACET_AXES, VALIDATION_AXES

    c = Corpus.open(real_corpus)
    f = Filters.parse(spec)
    selected, totals = c.facet_totals(f)
    assert selected == c.count(f)
    for ax in FACET_AXES:
        g = f.cleared(ax.name)
        if ax.name in VALIDATION_AXES and g.default_valid:
            g = g.with_values("validation", tuple(AXIS_BY_NAME["validation"].codes))
        assert totals[ax.name] == c.count(g), ax.name
