"""Bad study files given to `import`: one `error:` line naming the file (and record or line), exit 2,
no traceback, the inputs byte-identical and the previous corpus untouched, no temp files left.

Extends tests/test_import_errors.py (same fixture shape, different breakages); the corpus-argument,
CLI-flag and text-safety cases live in tests/test_hardening_*.py.
"""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from .conftest import REALDATA
from .hardening_util import (assert_clean_failure, assert_one_line_error, cli, no_temp_files, permission_preexec,
                             run_cli, sha, snapshot)

A, V, S = "annotated_misalignments.json", "validated_misalignments.json", "session_mapping.json"
PARSED = "workspace/1000090305/session_parsed/session_001.json"


@pytest.fixture
def core(tmp_path):
    d = tmp_path / "core"
    d.mkdir()
    for name, src in ((A, "annotated_sample.json"), (V, "validated_sample.json"), (S, "session_mapping_matching.json")):
        (d / name).write_bytes((REALDATA / src).read_bytes())
    return d


@pytest.fixture
def old_corpus(core, tmp_path, study_excerpt_corpus):
    """A corpus imported from ``core`` (a copy of the one built once per run, with its sidecar)."""
    out = tmp_path / "c.duckdb"
    shutil.copyfile(study_excerpt_corpus, out)
    shutil.copyfile(f"{study_excerpt_corpus}.fts", f"{out}.fts")
    return out


def edit(path, fn):
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


def first(pred):
    """Apply ``fn`` to the first record matching ``pred``."""
    def wrap(fn):
        return lambda recs: fn(next(r for r in recs if pred(r)))
    return wrap


def atlas(d, *lines):
    (d / "atlas.jsonl").write_text("".join(line + "\n" for line in lines))


def atlas_rec(**kw):
    rec = {"source": "specstory", "repository_id": 1000090305, "session_id": "session_001", "id": "M001",
           "name": "n", "description": "d", "evidence": []}
    rec.update(kw)
    return json.dumps(rec)


def parsed(d, text):
    p = d / PARSED
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


invalid = first(lambda r: r["label"] == "INVALID")

# case -> (breaker, file the message names, record it names or None, words of the message)
CASES = {
    "truncated_json": (lambda d: (d / A).write_bytes((d / A).read_bytes()[:5000]), A, None, "malformed JSON at line"),
    "json_null": (lambda d: (d / A).write_text("null"), A, None, "found a JSON null"),
    "array_of_numbers": (lambda d: (d / S).write_text("[1, 2]"), S, "record 0", "found number"),
    "non_object_record": (lambda d: edit(d / A, lambda a: a.insert(2, "x")), A, "record 2", "found string"),
    "empty_file": (lambda d: (d / V).write_bytes(b""), V, None, "empty file"),
    "whitespace_only": (lambda d: (d / V).write_text(" \n\t\n"), V, None, "empty file"),
    "deeply_nested": (lambda d: (d / A).write_text("[" * 100000 + "]" * 100000), A, None, "nested too deeply"),
    "utf16_file": (lambda d: (d / S).write_bytes('[{"a": 1}]'.encode("utf-16")), S, None, "NUL byte"),
    "invalid_utf8_mapping": (lambda d: (d / S).write_bytes((d / S).read_bytes().replace(b"Unknown", b"Unk\xc3own", 1)),
                             S, None, "invalid UTF-8 at byte"),
    "unknown_cause_C8": (lambda d: edit(d / A, lambda a: a[1].update(C8="direct")), A, "record 1 specstory/",
                         "unknown cause column C8"),
    "c7_with_a_tier": (lambda d: edit(d / A, lambda a: a[1].update(C7="direct")), A, "record 1", "C7 must be"),
    "symptom_not_boolean": (lambda d: edit(d / A, lambda a: a[4].update(S2="yes")), A, "record 4",
                            "S2 must be true/false"),
    "missing_severity": (lambda d: edit(d / A, lambda a: a[0].pop("damage_severity")), A, "record 0",
                         "unknown damage_severity None"),
    "unknown_locus_DL9": (lambda d: edit(d / A, lambda a: a[0].update(damage_severity="DS2", damage_locus="DL9")),
                          A, "record 0", "unknown damage_locus 'DL9'"),
    "unknown_status_RS3": (lambda d: edit(d / A, lambda a: a[0].update(resolution_status="RS3")), A, "record 0",
                           "unknown resolution_status 'RS3'"),
    "unknown_resolver_RV9": (lambda d: edit(d / A, lambda a: a[0].update(resolution_status="RS1", resolver="RV9")),
                             A, "record 0", "unknown resolver 'RV9'"),
    "unknown_goal": (lambda d: edit(d / A, lambda a: a[0].update(alignment_goal="vibes")), A, "record 0",
                     "unknown alignment_goal"),
    "unknown_confidence": (lambda d: edit(d / A, lambda a: a[0].update(confidence="sure")), A, "record 0",
                           "unknown confidence"),
    "missing_misalignment_id": (lambda d: edit(d / A, lambda a: a[0].pop("misalignment_id")), A, "record 0",
                                "missing misalignment_id"),
    "unknown_validation_label": (lambda d: edit(d / V, lambda v: v[0].update(label="MAYBE")), V, "record 0",
                                 "unknown label 'MAYBE'"),
    "valid_with_invalid_category": (lambda d: edit(d / V, lambda v: v[0].update(invalid_category="truncation")),
                                    V, "record 0", "VALID row with invalid_category"),
    "annotated_but_invalid": (lambda d: edit(d / V, lambda v: v[0].update(label="INVALID")), V, "record 0",
                              "annotated as a valid episode"),
    "duplicate_validated_key": (lambda d: edit(d / V, lambda v: v.append(copy.deepcopy(v[0]))), V, "record",
                                "duplicate episode key"),
    "invalid_candidate_without_session": (
        lambda d: edit(d / V, invalid(lambda r: r.update(session_id="session_999", session_count_id=999))),
        V, "record", "missing join partner"),
    "session_count_id_not_a_number": (lambda d: edit(d / S, lambda m: m[0].update(session_count_id="abc")), S,
                                      "record 0", "session_count_id 'abc' is not a number"),
    "integer_overflow": (lambda d: edit(d / S, lambda m: m[0].update(user_turns=10**30)), S, "record 0",
                         "out of range"),
    "nan_count": (lambda d: (d / S).write_text((d / S).read_text().replace('"num_commits": 10,', '"num_commits": NaN,',
                                                                            1)),
                  S, "record 0", "num_commits nan is not a number"),
    "missing_repository_id": (lambda d: edit(d / S, lambda m: m[0].update(repository_id=None)), S, "record 0",
                              "missing repository_id"),
    "missing_source": (lambda d: edit(d / S, lambda m: m[0].update(source="")), S, "record 0", "missing source"),
    "duplicate_session": (lambda d: edit(d / S, lambda m: m.append(copy.deepcopy(m[0]))), S, "record",
                          "duplicate session"),
    "year_zero_timestamp": (lambda d: edit(d / S, lambda m: m[0].update(session_timestamp="0000-01-01 00:00:00")),
                            S, "record 0", "session_timestamp"),
    "atlas_malformed_line": (lambda d: atlas(d, atlas_rec(), "{not json"), "atlas.jsonl", "line 2", "malformed JSON"),
    "atlas_line_not_object": (lambda d: atlas(d, atlas_rec(), "[1, 2]"), "atlas.jsonl", "line 2",
                              "expected an object, found array"),
    "atlas_duplicate_record": (lambda d: atlas(d, atlas_rec(), atlas_rec()), "atlas.jsonl", "line 2",
                               "duplicate text record"),
    "parsed_malformed": (lambda d: parsed(d, '{"messages": [{"role": "user"'), PARSED, None, "malformed JSON"),
    "parsed_without_messages": (lambda d: parsed(d, '{"title": "x", "messages": 3}'), PARSED, None,
                                "'messages' list"),
    "parsed_message_not_object": (lambda d: parsed(d, '{"messages": [{"role": "user", "content": "a"}, 7]}'),
                                  PARSED, "message 1", "not an object"),
    "parsed_deeply_nested": (lambda d: parsed(d, '{"messages": ' + "[" * 100000 + "]" * 100000 + "}"), PARSED, None,
                             "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_study_file(case, core, old_corpus, tmp_path, capsys):
    breaker, fname, record, needle = CASES[case]
    before = sha(old_corpus)
    breaker(core)
    inputs = snapshot(core)
    code, _, err = cli(capsys, "import", core, "--out", old_corpus, "--force")
    assert_one_line_error(code, err, needle, str(core / fname))
    if record:
        assert f"({record}" in err, err
    assert sha(old_corpus) == before
    assert snapshot(core) == inputs
    assert no_temp_files(tmp_path, old_corpus.name) == []


@pytest.mark.parametrize("case", ["truncated_json", "deeply_nested", "integer_overflow", "parsed_deeply_nested"])
def test_bad_study_file_in_a_subprocess(case, core, old_corpus):
    """The same through `python -m misalign_tui`: nothing but the one line reaches stderr."""
    breaker, fname, _, needle = CASES[case]
    breaker(core)
    inputs = snapshot(core)
    r = run_cli("import", core, "--out", old_corpus, "--force")
    assert_clean_failure(r, needle, fname)
    assert snapshot(core) == inputs


def test_glob_without_matches(tmp_path, capsys):
    code, _, err = cli(capsys, "import", str(tmp_path / "nothing-*.json"), "--out", tmp_path / "c.duckdb")
    assert_one_line_error(code, err, "no file matches this pattern", "nothing-*.json")


def test_output_folder_missing(core, tmp_path, capsys):
    code, _, err = cli(capsys, "import", core, "--out", tmp_path / "no" / "such" / "c.duckdb")
    assert_one_line_error(code, err, "output folder does not exist")


def test_output_path_is_an_existing_directory_even_with_force(core, tmp_path, capsys):
    (tmp_path / "d.duckdb").mkdir()
    code, _, err = cli(capsys, "import", core, "--out", tmp_path / "d.duckdb", "--force")
    assert_one_line_error(code, err, "is a directory", "d.duckdb")


def test_unreadable_source_file(core, tmp_path):
    preexec = permission_preexec()
    (core / A).chmod(0)
    try:
        r = run_cli("import", core, "--out", tmp_path / "c.duckdb", preexec_fn=preexec)
    finally:
        (core / A).chmod(0o644)
    assert_clean_failure(r, "permission denied", A)


def test_unwritable_output_folder(core, tmp_path):
    preexec = permission_preexec()
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        r = run_cli("import", core, "--out", ro / "c.duckdb", preexec_fn=preexec)
    finally:
        ro.chmod(0o755)
    assert_clean_failure(r, "not writable", str(ro))
    assert list(ro.iterdir()) == []


def test_transcript_junk_is_skipped_not_fatal(core, tmp_path, capsys):
    """A JSONL file that looks like a transcript but is junk is reported per file, the import goes on."""
    (core / "rollout-2025-01-01T00-00-00-x.jsonl").write_bytes(
        b'{"type":"session_meta","payload":{"id":5}}\n{broken\n\x00\xff\n' + b'{"a":' * 50000 + b"\n")
    code, out, err = cli(capsys, "import", core, "--out", tmp_path / "c.duckdb")
    assert code == 0, err
    assert "rollout-2025-01-01T00-00-00-x.jsonl" in out
