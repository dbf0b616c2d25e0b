"""Import edge cases that must succeed (evidence past the last turn, a 5 MB turn, 100,000 sessions, an
Atlas record longer than the format sniffer reads) and one that must fail cleanly (a full disk)."""

from __future__ import annotations

import json
import resource
import shutil
import signal

import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus

from .conftest import REALDATA
from .hardening_util import assert_clean_failure, cli, no_temp_files, run_cli, sha

REPO, SID = 1000090305, "session_001"


@pytest.fixture
def core(tmp_path):
    d = tmp_path / "core"
    d.mkdir()
    for name, src in (("annotated_misalignments.json", "annotated_sample.json"),
                      ("session_mapping.json", "session_mapping_matching.json")):
        (d / name).write_bytes((REALDATA / src).read_bytes())
    return d


def _session(d, messages):
    p = d / "workspace" / str(REPO) / "session_parsed" / f"{SID}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"title": "t", "timestamp": "2025-06-04 00:56:00", "platform": "IDE",
                             "messages": messages}))
    return p


def _atlas(d, evidence, **kw):
    rec = {"source": "specstory", "repository_id": REPO, "session_id": SID, "id": "M001", "name": "n",
           "description": "d", "evidence": evidence, **kw}
    (d / "atlas.jsonl").write_text(json.dumps(rec) + "\n")


def test_evidence_past_the_last_turn_is_imported_and_counted(core, tmp_path, capsys):
    _session(core, [{"role": "user", "content": "do x"}, {"role": "assistant", "content": "did y"}])
    _atlas(core, [{"turn": "TURN 2 | AGENT", "quote": "did y", "context": "ok"},
                  {"turn": "TURN 99 | USER", "quote": "no", "context": "past the end"}])
    out = tmp_path / "c.duckdb"
    code, text, err = cli(capsys, "import", core, "--out", out)
    assert code == 0, err
    assert "skipped:" in text
    assert any(line.split() == ["1", "evidence", "turn", "past", "the", "last", "turn"] for line in text.splitlines())
    ev = Corpus.open(out).episode(f"specstory/{REPO}/{SID}/M001").evidence
    assert [(e.turn_ref, e.turn_no) for e in ev] == [("TURN 2 | AGENT", 2), ("TURN 99 | USER", None)]


def test_a_5mb_turn_imports(core, tmp_path, capsys):
    big = ("word " * 200_000 + "needle-in-haystack ") * 5  # ~5 MB in one message
    assert len(big) > 5_000_000
    _session(core, [{"role": "user", "content": "start"}, {"role": "assistant", "content": big}])
    out = tmp_path / "c.duckdb"
    code, _, err = cli(capsys, "import", core, "--out", out)
    assert code == 0, err
    c = Corpus.open(out)
    s = c.session(f"specstory/{REPO}/{SID}")
    turns = c.turns(s["session_no"])
    assert turns[1].text == big
    code, text, err = cli(capsys, "search", out, "needle-in-haystack")
    assert code == 0 and "turn 2 AGENT" in text, err


def test_atlas_record_longer_than_the_sniffed_head(core, tmp_path, capsys):
    """A first JSONL record with a 200 kB description was not recognised as Atlas text (silently ignored)."""
    _atlas(core, [{"turn": "TURN 1 | USER", "quote": "q", "context": "c"}], description="long " * 40_000)
    out = tmp_path / "c.duckdb"
    code, text, err = cli(capsys, "import", core, "--out", out)
    assert code == 0, err
    assert "atlas.jsonl" in text
    assert Corpus.open(out).episode(f"specstory/{REPO}/{SID}/M001").row["description"].startswith("long long")


def _many_sessions(d, n):
    rows = [{"repository_id": 10_000 + i // 50, "session_count_id": i % 50 + 1, "source": "swe",
             "session_timestamp": f"2025-{i % 12 + 1:02d}-01 00:00:00", "session_type": "CLI" if i % 3 else "IDE",
             "agent": "Claude Code", "user_turns": 1, "agent_turns": 1, "num_commits": 1, "license_type": "MIT",
             "session_sha": None} for i in range(n)]
    (d / "session_mapping.json").write_text(json.dumps(rows))
    eps = [dict(rows[i], session_id=f"session_{i % 50 + 1:03d}", misalignment_id="M001", alignment_goal="both",
                confidence="high", **{f"S{k}": k == 5 for k in range(1, 9)}, **{f"C{k}": None for k in range(1, 8)},
                damage_severity="DS1", damage_locus=None, resolution_status="RS2", resolver=None)
           for i in range(0, n, 10)]
    for e in eps:
        e["C7"] = "not_applicable"
    (d / "annotated_misalignments.json").write_text(json.dumps(eps))


@pytest.mark.parametrize("n", [10_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_many_tiny_sessions(n, tmp_path, capsys):
    """Many sessions import whole (the time it takes is reported by benchmarks/stress.py, not asserted)."""
    src = tmp_path / "big"
    src.mkdir()
    _many_sessions(src, n)
    out = tmp_path / "big.duckdb"
    code, _, err = cli(capsys, "import", src, "--out", out)
    assert code == 0, err
    c = Corpus.open(out)
    assert c.count(Filters()) == n // 10
    assert c.run("stats_sessions", {"f": Filters().params()}) is not None
    code, text, _ = cli(capsys, "stats", out, "--json")
    assert code == 0 and json.loads(text)["sessions"]["total"] == n


def _fsize_limit(limit):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


@pytest.mark.parametrize("limit", [200_000, 2_000_000, 4_000_000])
def test_full_disk_keeps_the_old_corpus(limit, sample_dir, sample_corpus, tmp_path):
    """A write that fails half-way (simulated with RLIMIT_FSIZE: EFBIG) leaves the old corpus and no temp files."""
    out = tmp_path / "c.duckdb"
    shutil.copyfile(sample_corpus, out)
    shutil.copyfile(str(sample_corpus) + ".fts", str(out) + ".fts")
    before, before_fts = sha(out), sha(str(out) + ".fts")
    r = run_cli("import", sample_dir, "--out", out, "--force", preexec_fn=_fsize_limit(limit))
    assert_clean_failure(r, "could not write corpus", "File too large")
    assert sha(out) == before and sha(str(out) + ".fts") == before_fts
    assert no_temp_files(tmp_path, out.name) == []
    Corpus.open(out).close()
    if limit == 200_000:  # room again: the import goes through (once is enough)
        r = run_cli("import", sample_dir, "--out", out, "--force")
        assert r.returncode == 0, r.stderr
