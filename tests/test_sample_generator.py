"""The synthetic corpus generator: formats, invariants, evidence consistency, marginals, determinism."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from misalign_tui.data.building.sample import generate
from misalign_tui.data.taxonomy import (C7_MARKER, CAUSES, CONFIDENCES, GOALS, INVALID_CATEGORIES, LOCI, RESOLVERS,
                                        SEVERITIES, STATUSES, SYMPTOMS, TIERS, UNKNOWN_LICENSES)
from misalign_tui.data.turns import merge_turns, parse_turn_ref

from .conftest import REALDATA
MAPPING_FIELDS = ["repository_id", "num_commits", "license_type", "session_count_id", "session_sha",
                  "session_timestamp", "session_type", "agent", "user_turns", "agent_turns", "source"]
SESSION_PART = ["source", "session_count_id", "num_commits", "license_type", "session_sha", "session_timestamp",
                "session_type", "agent", "user_turns", "agent_turns"]
ANNOTATED_FIELDS = ["repository_id", "session_id", "misalignment_id", "alignment_goal", "confidence", *SESSION_PART,
                    *SYMPTOMS, "symptom_other_descriptor", *CAUSES, "damage_severity", "damage_locus",
                    "resolution_status", "resolver"]
VALIDATED_FIELDS = ["count_id", "repository_id", "session_id", "misalignment_id", "alignment_goal", "confidence",
                    "label", "invalid_category", *SESSION_PART]
ATLAS_BASE = ["source", "repository_id", "session_id", "id", "name", "description", "alignment_goal", "confidence",
              "evidence", "validation_note"]
ATLAS_VALID = ATLAS_BASE + ["symptom_reasoning", "cause_reasoning", "outcome_reasoning", "resolution_reasoning",
                            "symptom_other_descriptor", "cause_entries"]
CUES = re.compile(r"\b(no|not|don't|didn't|stop|why|revert|undo|wrong|again|said|told|still|never|isn't|"
                  r"interrupted|put it back|broken|who)\b", re.IGNORECASE)


def load(out: Path) -> dict:
    core = out / "data" / "core"
    d = {k: json.loads((core / f"{k}.json").read_text()) for k in
         ("session_mapping", "annotated_misalignments", "validated_misalignments")}
    atlas_path = out / "atlas" / "misalignments.jsonl"
    d["atlas"] = [json.loads(line) for line in atlas_path.read_text().splitlines()]
    d["transcripts"] = {}
    for p in sorted((out / "workspace").glob("*/session_parsed/session_*.json")):
        doc = json.loads(p.read_text())
        d["transcripts"][(p.parent.parent.name, int(p.stem.split("_")[1]))] = doc
    return d


def skey(r) -> tuple:
    return (str(r["repository_id"]), r["session_count_id"] if "session_count_id" in r else int(r["session_id"][8:]))


def merged(doc):
    return merge_turns([(m["role"], m["content"]) for m in doc["messages"]])


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample300")
    calls = []
    summary = generate(out, 300, 7, progress=lambda done, total: calls.append((done, total)))
    d = load(out)
    d.update(summary=summary, calls=calls, out=out)
    return d


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample3000")
    generate(out, 3000, 11, transcripts=False)
    return load(out)


def test_deterministic(tmp_path):
    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    generate(tmp_path / "a", 150, 3)
    generate(tmp_path / "b", 150, 3)
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a.keys() == b.keys() and len(a) > 100
    assert all(a[k] == b[k] for k in a)
    generate(tmp_path / "c", 150, 4)
    assert files(tmp_path / "c")["data/core/session_mapping.json"] != a["data/core/session_mapping.json"]


def test_summary_layout_and_progress(sample):
    s = sample["summary"]
    assert s["sessions"] == 300 == len(sample["session_mapping"])
    assert s["episodes"] == len(sample["annotated_misalignments"])
    assert s["candidates"] == len(sample["validated_misalignments"])
    assert s["transcripts"] == len(sample["transcripts"])
    assert s["atlas_records"] == len(sample["atlas"])
    assert s["turns"] == sum(r["user_turns"] + r["agent_turns"] for r in sample["session_mapping"])
    for p in s["paths"].values():
        assert Path(p).exists()
    assert sample["calls"] and sample["calls"][-1] == (300, 300)
    for name in ("session_mapping", "annotated_misalignments", "validated_misalignments"):
        text = (sample["out"] / "data" / "core" / f"{name}.json").read_text()
        assert text.startswith('[\n  {\n    "repository_id": ') or text.startswith('[\n  {\n    "count_id": ')
        assert text == json.dumps(json.loads(text), indent=2)  # pandas-style records, byte for byte


def test_field_order_and_types(sample):
    for rows, fields in ((sample["session_mapping"], MAPPING_FIELDS),
                         (sample["annotated_misalignments"], ANNOTATED_FIELDS),
                         (sample["validated_misalignments"], VALIDATED_FIELDS)):
        assert rows and all(list(r) == fields for r in rows)
    for name, rows in (("session_mapping_matching.json", sample["session_mapping"]),
                       ("annotated_sample.json", sample["annotated_misalignments"]),
                       ("validated_sample.json", sample["validated_misalignments"])):
        real = json.loads((REALDATA / name).read_text())[0]
        assert list(real) == list(rows[0])
        for k, v in real.items():
            if v is not None and rows[0][k] is not None:
                assert type(v) is type(rows[0][k]), k
    for r in sample["session_mapping"]:
        assert isinstance(r["repository_id"], int) and isinstance(r["num_commits"], int)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r["session_timestamp"])
        assert re.fullmatch(r"[0-9a-f]{40}", r["session_sha"])
        assert r["session_type"] in ("IDE", "CLI")


def test_every_code_appears(sample):
    ann, val = sample["annotated_misalignments"], sample["validated_misalignments"]
    for code in SYMPTOMS:
        assert any(r[code] for r in ann), code
    for code in CAUSES:
        assert any(r[code] is not None for r in ann), code
    tiers = {r[c] for r in ann for c in CAUSES if c != "C7"}
    assert set(TIERS) <= tiers
    for field, codes in (("damage_severity", SEVERITIES), ("damage_locus", LOCI), ("resolution_status", STATUSES),
                         ("resolver", RESOLVERS), ("alignment_goal", GOALS), ("confidence", CONFIDENCES)):
        assert set(codes) <= {r[field] for r in ann}, field
    cats = {r["invalid_category"] for r in val}
    assert set(INVALID_CATEGORIES) <= cats
    assert any(c and c.startswith("custom:") for c in cats)


def test_label_invariants(sample):
    for r in sample["annotated_misalignments"]:
        n_sym = sum(r[c] for c in SYMPTOMS)
        assert 1 <= n_sym <= 4
        assert (r["symptom_other_descriptor"] is not None) == r["S8"]
        causes = [c for c in CAUSES if r[c] is not None]
        assert 1 <= len(causes) <= 2
        if r["C7"] is not None:
            assert r["C7"] == C7_MARKER and causes == ["C7"]
        assert all(r[c] in TIERS for c in causes if c != "C7")
        assert (r["damage_locus"] is not None) == (r["damage_severity"] in ("DS2", "DS3"))
        assert (r["resolver"] is not None) == (r["resolution_status"] == "RS1")
        assert re.fullmatch(r"M\d{3}", r["misalignment_id"])
        assert r["session_id"] == f"session_{r['session_count_id']:03d}"


def test_validated_matches_annotated(sample):
    val, ann = sample["validated_misalignments"], sample["annotated_misalignments"]
    assert [r["count_id"] for r in val] == list(range(len(val)))
    key = lambda r: (r["source"], r["repository_id"], r["session_id"], r["misalignment_id"])  # noqa: E731
    assert [key(r) for r in val if r["label"] == "VALID"] == [key(r) for r in ann]
    assert len({key(r) for r in val}) == len(val)
    for r in val:
        assert (r["invalid_category"] is None) == (r["label"] == "VALID")
        if r["invalid_category"]:
            assert r["invalid_category"] in INVALID_CATEGORIES or r["invalid_category"].startswith("custom:")
    assert 0.45 < len(ann) / len(val) < 0.63
    mapping = {(r["source"], r["repository_id"], r["session_count_id"]): r for r in sample["session_mapping"]}
    for r in val:
        m = mapping[(r["source"], r["repository_id"], r["session_count_id"])]
        assert all(r[k] == m[k] for k in SESSION_PART)
    by_session = defaultdict(list)
    for r in val:
        by_session[(r["source"], r["repository_id"], r["session_id"])].append(int(r["misalignment_id"][1:]))
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in by_session.values())


def test_sessions_and_repositories(sample):
    rows = sample["session_mapping"]
    assert {r["source"] for r in rows} == {"specstory", "swe"}
    assert {r["session_type"] for r in rows if r["source"] == "swe"} == {"CLI"}
    assert {r["session_type"] for r in rows if r["source"] == "specstory"} == {"IDE", "CLI"}
    spec = {r["repository_id"] for r in rows if r["source"] == "specstory"}
    swe = {r["repository_id"] for r in rows if r["source"] == "swe"}
    assert not spec & swe and min(swe) > max(spec)
    repos = defaultdict(list)
    for r in rows:
        repos[(r["source"], r["repository_id"])].append(r)
    assert len(repos) < len(rows) / 2
    for ss in repos.values():
        ss.sort(key=lambda r: r["session_count_id"])
        assert [r["session_count_id"] for r in ss] == list(range(1, len(ss) + 1))
        assert all(a["session_timestamp"] < b["session_timestamp"] for a, b in zip(ss, ss[1:]))
        assert len({(r["license_type"], r["num_commits"]) for r in ss}) == 1
    assert len({r["session_sha"] for r in rows}) == len(rows)
    assert max(r["agent_turns"] for r in rows) >= 1000
    assert all(r["user_turns"] - r["agent_turns"] in (0, 1) for r in rows)
    assert Counter(r["license_type"] for r in rows).most_common(1)[0][0] == "NO_LICENSE"


def test_transcripts_match_mapping(sample):
    docs = sample["transcripts"]
    mapping = {skey(r): r for r in sample["session_mapping"]}
    assert 0.75 < len(docs) / len(mapping) < 0.95
    roles, n_msgs, n_turns, joined = Counter(), 0, 0, []
    for k, doc in docs.items():
        assert list(doc)[0] == "title" and list(doc)[-1] == "messages"
        turns = merged(doc)
        m = mapping[k]
        assert sum(t.role == "USER" for t in turns) == m["user_turns"]
        assert sum(t.role == "AGENT" for t in turns) == m["agent_turns"]
        roles.update(x["role"] for x in doc["messages"])
        n_msgs += len(doc["messages"])
        n_turns += len(turns)
        joined.extend(x["content"] for x in doc["messages"][:40])
    assert set(roles) == {"user", "assistant", "agent"}
    assert n_msgs > n_turns
    text = "\n".join(joined)
    for needle in ("Tool use: **", "```", "[Request interrupted by user", "<|endoftext|>", "---\n"):
        assert needle in text, needle
    assert max(len(merged(d)) for d in docs.values()) >= 1000


def test_evidence_resolves(sample):
    docs = sample["transcripts"]
    labels = {(r["source"], r["repository_id"], r["session_id"], r["misalignment_id"]): r["label"]
              for r in sample["validated_misalignments"]}
    found = total = unknown = 0
    for rec in sample["atlas"]:
        label = labels[(rec["source"], rec["repository_id"], rec["session_id"], rec["id"])]
        refs = [parse_turn_ref(e["turn"]) for e in rec["evidence"]]
        if label == "VALID":
            assert any(role == "USER" and num for num, role in refs)
        doc = docs.get((str(rec["repository_id"]), int(rec["session_id"][8:])))
        if doc is None:
            continue
        turns = merged(doc)
        for e, (num, role) in zip(rec["evidence"], refs):
            if num is None:
                unknown += 1
                continue
            assert 1 <= num <= len(turns) and turns[num - 1].role == role
            total += 1
            found += e["quote"] in turns[num - 1].text
    assert total > 200
    assert 0.9 <= found / total < 1.0
    assert unknown < total * 0.05


def test_atlas_records(sample):
    mapping = {(r["source"], r["repository_id"], r["session_count_id"]): r for r in sample["session_mapping"]}
    ann = {(r["source"], r["repository_id"], r["session_id"], r["misalignment_id"]): r
           for r in sample["annotated_misalignments"]}
    licensed = [r for r in sample["validated_misalignments"] if r["license_type"] not in UNKNOWN_LICENSES]
    assert len(sample["atlas"]) == len(licensed) > 0
    for rec in sample["atlas"]:
        m = mapping[(rec["source"], rec["repository_id"], int(rec["session_id"][8:]))]
        assert m["license_type"] not in UNKNOWN_LICENSES
        k = (rec["source"], rec["repository_id"], rec["session_id"], rec["id"])
        assert list(rec) == (ATLAS_VALID if k in ann else ATLAS_BASE)
        assert 3 <= len(re.findall(r"[.!?](?:\s|$)", rec["description"])) <= 6
        assert rec["name"] and rec["evidence"]
        if k in ann:
            a = ann[k]
            assert {e["label"] for e in rec["cause_entries"]} == {c for c in CAUSES if a[c] is not None}
            assert all(e["evidence_tier"] == a[e["label"]] for e in rec["cause_entries"])
            assert rec["symptom_other_descriptor"] == a["symptom_other_descriptor"]
            assert all(code in rec["symptom_reasoning"] for code in SYMPTOMS if a[code])
            assert rec["outcome_reasoning"].startswith(a["damage_severity"])
            assert rec["alignment_goal"] == a["alignment_goal"]


def test_pushback_is_measurable(sample):
    docs = sample["transcripts"]
    evidence = set()
    for rec in sample["atlas"]:
        for e in rec["evidence"]:
            num, role = parse_turn_ref(e["turn"])
            if role == "USER" and num and rec["validation_note"].startswith("VALID"):
                evidence.add((str(rec["repository_id"]), int(rec["session_id"][8:]), num))
    pos = neg = pos_cue = neg_cue = 0
    for (repo, cid), doc in docs.items():
        for t in merged(doc):
            if t.role != "USER":
                continue
            cue = bool(CUES.search(t.text))
            if (repo, cid, t.turn_no) in evidence:
                pos, pos_cue = pos + 1, pos_cue + cue
            else:
                neg, neg_cue = neg + 1, neg_cue + cue
    assert pos > 50 and neg > pos
    assert pos_cue / pos > 0.7  # most pushback has cue words ...
    assert pos_cue < pos  # ... some does not (subtle pushback)
    assert 0.03 < neg_cue / neg < 0.4  # innocent cue words in other turns


def test_published_marginals_roughly_hold(big):
    rows, ann = big["session_mapping"], big["annotated_misalignments"]
    n = Counter(r["session_type"] for r in rows)
    assert 0.55 < n["IDE"] / len(rows) < 0.65
    ide = [r for r in ann if r["session_type"] == "IDE"]
    cli = [r for r in ann if r["session_type"] == "CLI"]
    share = lambda eps, c: sum(r[c] for r in eps) / len(eps)  # noqa: E731
    assert share(cli, "S3") > share(ide, "S3") + 0.1
    assert share(ide, "S5") > share(cli, "S5") + 0.07
    assert 0.28 < share(ide, "S3") < 0.37 and 0.44 < share(cli, "S3") < 0.55
    assert 0.8 < len(ide) / n["IDE"] < 0.9 and 0.63 < len(cli) / n["CLI"] < 0.73
    with_ep = {(r["source"], r["repository_id"], r["session_count_id"]) for r in ann}
    assert 0.38 < len(with_ep) / len(rows) < 0.46
    assert 0.87 < sum(r["damage_severity"] == "DS1" for r in ann) / len(ann) < 0.94
    c6 = sum(r["C6"] is not None for r in ann) / len(ann)
    c7 = sum(r["C7"] is not None for r in ann) / len(ann)
    assert 0.32 < c6 < 0.41 and 0.23 < c7 < 0.31
    res = [r["resolver"] for r in ann if r["resolver"]]
    assert 0.05 < len(res) / len(ann) < 0.14 and res.count("RV2") / len(res) > 0.8
    assert statistics.median(r["user_turns"] for r in rows if r["session_type"] == "IDE") == 3
    assert statistics.median(r["user_turns"] for r in rows if r["session_type"] == "CLI") == 5
    assert 0.45 < len(ann) / len(big["validated_misalignments"]) < 0.62
    months = Counter(r["session_timestamp"][:7] for r in ann)
    assert "2025-06" <= months.most_common(1)[0][0] <= "2026-04" and months["2025-01"] < months["2025-06"]
    order = sorted(rows, key=lambda r: (r["source"], r["repository_id"], r["session_timestamp"]))
    pairs = Counter()
    for a, b in zip(order, order[1:]):
        if (a["source"], a["repository_id"]) == (b["source"], b["repository_id"]):
            pairs[((a["source"], a["repository_id"], a["session_count_id"]) in with_ep,
                   (b["source"], b["repository_id"], b["session_count_id"]) in with_ep)] += 1
    p_any = pairs[True, True] / (pairs[True, True] + pairs[True, False])
    p_none = pairs[False, True] / (pairs[False, True] + pairs[False, False])
    assert p_any > p_none * 1.2
    assert not big["transcripts"]


def test_small_corpus_scales(tmp_path):
    s = generate(tmp_path, 120, 5, transcripts=False)
    assert s["sessions"] == 120 and s["transcripts"] == 0 and "workspace" not in s["paths"]
    assert not (tmp_path / "workspace").exists()
    assert 0.6 < s["episodes"] / 120 < 0.95 and s["candidates"] > s["episodes"]
