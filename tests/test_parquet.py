"""`misalign-tui export-parquet`: a partitioned Parquet copy written atomically, which every command (and
the viewer) opens like the corpus it came from, with identical results."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from misalign_tui.data.building.import_cache import resolve
from misalign_tui.data.building.parquet_export import export_parquet
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.reading.parquet import MARKER, is_parquet_dir

from .hardening_util import assert_one_line_error, cli


@pytest.fixture(scope="module")
def pq(sample_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("pq") / "sample.parquet"
    export_parquet(sample_corpus, out)
    return out


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(tmp_path / "cache"))


def _json(capsys, *args):
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    data = json.loads(out)
    data.pop("corpus", None)
    return data


@pytest.mark.parametrize("flags", [[], ["--filter", "platform=CLI", "--filter", "symptom=S3,S7"],
                                   ["--search", "config"], ["--filter", "validation=INVALID"], ["--licensed-only"]])
def test_stats_json_equal(flags, sample_corpus, pq, capsys):
    assert _json(capsys, "stats", pq, "--json", *flags) == _json(capsys, "stats", sample_corpus, "--json", *flags)


def test_cli_export_command_and_layout(sample_corpus, tmp_path, capsys):
    out = tmp_path / "exp"
    code, text, err = cli(capsys, "export-parquet", sample_corpus, out)
    assert code == 0, err
    assert "436 episodes" in text and "300 sessions" in text
    marker = json.loads((out / MARKER).read_text())
    assert marker["format"] == "misalign-tui-parquet" and marker["build_id"]
    months = sorted(p.name for p in (out / "episodes").iterdir())
    assert months and all(m.startswith("month=") for m in months)
    assert (out / "turns.parquet").is_file() and (out / "meta.parquet").is_file()
    # plain DuckDB (or any Parquet reader) reads the folders directly
    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{out}/episodes/**/*.parquet')").fetchone()[0]
    assert n == marker["tables"]["episodes"]["rows"] == 436
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []  # the temp folder is gone


def test_every_kind_of_query_matches(sample_corpus, pq):
    a, b = Corpus.open(sample_corpus), Corpus.open(pq)
    for specs in ([], ["severity=DS2,DS3"], ["agent=Claude Code"]):
        fa, fb = a.parse_filters(specs), b.parse_filters(specs)
        assert a.count(fa) == b.count(fb)
        assert a.facets(fa) == b.facets(fb)
        assert a.page(fa, sort="time", limit=500) == b.page(fb, sort="time", limit=500)
    key = a.page(a.parse_filters([]), limit=1)[0].key
    ea, eb = a.episode(key), b.episode(key)
    assert ea.row == eb.row and ea.evidence == eb.evidence
    sno = ea.row["session_no"]
    assert a.turns(sno) == b.turns(sno) and a.session(ea.row["session_key"]) == b.session(ea.row["session_key"])
    assert a.find(key) == b.find(key)
    a.close()
    b.close()


@pytest.mark.parametrize("args", [["export", "{c}", "--format", "jsonl"], ["export", "{c}", "--format", "md"],
                                  ["search", "{c}", "revert the config", "--limit", "20"],
                                  ["search", "{c}", "not what i asked", "--mode", "substring"],
                                  ["chart", "{c}", "symptom-share", "--plain"], ["detect-eval", "{c}"]])
def test_commands_give_the_same_output(args, sample_corpus, pq, capsys):
    outs = []
    for c in (sample_corpus, pq):
        code, out, err = cli(capsys, *[a.format(c=c) for a in args])
        assert code == 0, err
        outs.append(out.replace(str(c), "CORPUS"))
    if args[0] == "detect-eval":  # its per-cue table orders ties arbitrarily (ORDER BY flagged DESC)
        outs = [sorted(o.splitlines()) for o in outs]
    assert outs[0] == outs[1]


def test_resolve_and_viewer_open_the_folder(pq, monkeypatch, capsys):
    assert is_parquet_dir(pq) and resolve(str(pq)) == pq  # not imported as study sources
    import misalign_tui.tui.app as app

    seen = {}
    monkeypatch.setattr(app, "run_app", lambda path, **kw: seen.setdefault("path", path) and 0)
    assert cli(capsys, str(pq), "--filter", "symptom=S3")[0] == 0
    assert seen["path"] == pq


def test_replace_needs_force_and_is_atomic(sample_corpus, real_corpus, tmp_path, capsys):
    out = tmp_path / "x.parquet"
    assert cli(capsys, "export-parquet", sample_corpus, out)[0] == 0
    code, _, err = cli(capsys, "export-parquet", real_corpus, out)
    assert_one_line_error(code, err, "pass --force")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".x.parquet.{int(dead.stdout)}.deadbeef.tmp"  # an export killed half-way
    (stale / "episodes").mkdir(parents=True)
    assert cli(capsys, "export-parquet", real_corpus, out, "--force")[0] == 0
    assert not stale.exists()
    assert sorted(os.listdir(tmp_path)) == ["x.parquet"]
    c = Corpus.open(out)
    assert c.count(c.parse_filters([])) == 75  # the real excerpts now
    c.close()


@pytest.mark.parametrize("setup,needles", [
    (lambda d: [(d / "f").write_text("x"), d / "f"][-1], ["exists and is not a folder"]),
    (lambda d: [(d / "full").mkdir(), (d / "full" / "keep.txt").write_text("x"), d / "full"][-1], ["not empty"]),
    (lambda d: d / "no" / "such" / "x", ["output folder does not exist"]),
])
def test_bad_targets(setup, needles, sample_corpus, tmp_path, capsys):
    code, _, err = cli(capsys, "export-parquet", sample_corpus, setup(tmp_path))
    assert_one_line_error(code, err, *needles)


def _copy_export(pq, tmp_path):
    import shutil

    d = tmp_path / "copy.parquet"
    shutil.copytree(pq, d)
    return d


@pytest.mark.parametrize("damage,needles", [
    (lambda d: (d / MARKER).write_text("{oops"), ["unreadable Parquet export marker"]),
    (lambda d: (d / MARKER).write_text('{"format": "other"}'), ["not a misalign-tui Parquet export"]),
    (lambda d: (d / MARKER).write_text(json.dumps({**json.loads((d / MARKER).read_text()), "format_version": 9})),
     ["format 9 is newer"]),
    (lambda d: (d / "turns.parquet").unlink(), ["incomplete", "turns"]),
    (lambda d: (d / "turns.parquet").write_bytes(b"PAR1 junk"), ["damaged Parquet export"]),
    (lambda d: duckdb.connect().execute(f"COPY (SELECT key, CASE WHEN key = 'schema_version' THEN '0' ELSE value END "
                                        f"AS value FROM '{d}/meta.parquet') TO '{d}/meta.parquet'"),
     ["schema version 0 is older"]),
])
def test_damaged_exports(damage, needles, pq, tmp_path, capsys):
    d = _copy_export(pq, tmp_path)
    damage(d)
    for args in (["stats", d], [d]):
        code, out, err = cli(capsys, *args)
        assert_one_line_error(code, err, *needles)
    with pytest.raises(CorpusError):
        Corpus.open(d)
