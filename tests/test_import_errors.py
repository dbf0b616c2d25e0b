"""Bad inputs to `import` end in one clear line, exit 2, no traceback, and leave the old corpus untouched."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil

import pytest

from misalign_tui.cli import main

from .conftest import REALDATA


def sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def core(tmp_path):
    d = tmp_path / "core"
    d.mkdir()
    for name, src in (("annotated_misalignments.json", "annotated_sample.json"),
                      ("validated_misalignments.json", "validated_sample.json"),
                      ("session_mapping.json", "session_mapping_matching.json")):
        (d / name).write_bytes((REALDATA / src).read_bytes())
    return d


def edit(path, fn):
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


def run(capsys, *args):
    code = main(["import", *map(str, args)])
    err = capsys.readouterr().err
    return code, err


def test_import_summary_and_no_overwrite(core, tmp_path, capsys):
    out = tmp_path / "c.duckdb"
    assert main(["import", str(core), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "episodes" in text and "session_mapping.json" in text
    before = sha(out)
    code, err = run(capsys, core, "--out", out)
    assert code == 2 and "--force" in err and err.count("\n") == 1
    assert sha(out) == before
    assert main(["import", str(core), "--out", str(out), "--force"]) == 0


CASES = {
    "malformed_json": (lambda d: (d / "annotated_misalignments.json").write_text('[{"source": "specstory",'),
                       "malformed JSON at line"),
    "object_not_array": (lambda d: (d / "session_mapping.json").write_text('{"a": 1}'), "expected a JSON array"),
    "nul_byte": (lambda d: (d / "annotated_misalignments.json").write_bytes(b'[\x00]'), "NUL byte"),
    "invalid_utf8": (lambda d: (d / "annotated_misalignments.json").write_bytes(b'["\xff\xfe"]'), "invalid UTF-8"),
    "unknown_symptom_S9": (lambda d: edit(d / "annotated_misalignments.json", lambda a: a[3].update(S9=True)),
                           "record 3"),
    "unknown_severity_DS7": (lambda d: edit(d / "annotated_misalignments.json",
                                            lambda a: a[5].update(damage_severity="DS7")), "DS7"),
    "unknown_tier": (lambda d: edit(d / "annotated_misalignments.json", lambda a: a[0].update(C1="certain")),
                     "certain"),
    "locus_without_ds2": (lambda d: edit(d / "annotated_misalignments.json",
                                         lambda a: a[0].update(damage_locus="DL1")), "DS2 or DS3"),
    "resolver_without_rs1": (lambda d: edit(d / "annotated_misalignments.json",
                                            lambda a: a[0].update(resolver="RV2")), "needs RS1"),
    "duplicate_key": (lambda d: edit(d / "annotated_misalignments.json", lambda a: a.append(copy.deepcopy(a[0]))),
                      "duplicate episode key"),
    "missing_session": (lambda d: edit(d / "session_mapping.json", lambda m: m.pop(0)), "missing join partner"),
    "valid_without_annotation": (lambda d: edit(d / "annotated_misalignments.json", lambda a: a.pop(0)),
                                 "missing join partner"),
    "bad_session_type": (lambda d: edit(d / "session_mapping.json", lambda m: m[2].update(session_type="WEB")),
                         "session_type"),
    "bad_timestamp": (lambda d: edit(d / "session_mapping.json", lambda m: m[2].update(session_timestamp="soon")),
                      "session_timestamp"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_and_old_corpus_survives(case, core, tmp_path, capsys, study_excerpt_corpus):
    out = tmp_path / "c.duckdb"  # the corpus of ``core``, built once per run
    shutil.copyfile(study_excerpt_corpus, out)
    shutil.copyfile(f"{study_excerpt_corpus}.fts", f"{out}.fts")
    before = sha(out)
    breaker, needle = CASES[case]
    breaker(core)
    inputs = {p: sha(p) for p in core.iterdir()}
    code, err = run(capsys, core, "--out", out, "--force")
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert needle in err, err
    assert str(core) in err  # names the file
    assert sha(out) == before  # the existing corpus is untouched
    assert {p: sha(p) for p in core.iterdir()} == inputs  # inputs unchanged
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".c.duckdb")]  # no temp files left


def test_atlas_record_without_partner(core, tmp_path, capsys):
    atlas = core / "atlas.jsonl"
    atlas.write_text(json.dumps({"source": "specstory", "repository_id": 1, "session_id": "session_009", "id": "M001",
                                 "name": "x", "description": "y", "evidence": []}) + "\n")
    code, err = run(capsys, core, "--out", tmp_path / "c.duckdb")
    assert code == 2 and "line 1" in err and "missing join partner" in err


def test_output_path_is_a_directory(core, tmp_path, capsys):
    code, err = run(capsys, core, "--out", tmp_path)
    assert code == 2 and "directory" in err


def test_missing_source(tmp_path, capsys):
    code, err = run(capsys, tmp_path / "nope", "--out", tmp_path / "c.duckdb")
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize("content,needle", [
    (b"", "empty file"), (b"hello world\n", "not a DuckDB corpus"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a DuckDB"),
])
def test_viewer_rejects_non_corpus_files(tmp_path, capsys, content, needle):
    p = tmp_path / "x.duckdb"
    p.write_bytes(content)
    assert main(["stats", str(p)]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
