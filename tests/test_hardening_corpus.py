"""Unusable corpus arguments: `stats`, `export`, `search` and the viewer (`misalign-tui PATH`, which must
fail before the TUI starts) end in one `error:` line, exit 2, no traceback, the file byte-identical."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from .hardening_util import assert_clean_failure, assert_one_line_error, cli, env, permission_preexec, run_cli, sha


@pytest.fixture
def no_tui(monkeypatch):
    """The viewer must fail before the screen switches: starting the app fails the test."""
    import misalign_tui.tui.app as app

    def boom(*a, **k):
        raise AssertionError("the TUI was started")

    monkeypatch.setattr(app, "run_app", boom)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(tmp_path / "cache"))


def _copy(src, dst):
    shutil.copyfile(src, dst)
    return dst


def _set_meta(path, key, value):
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = ?", [value, key])
    con.close()


def _truncate(n):
    def make(tmp, corpus):
        data = corpus.read_bytes()
        p = tmp / "cut.duckdb"
        p.write_bytes(data[:n] if n > 0 else data[:n])
        return p
    return make


def _other_db(tmp, corpus):
    p = tmp / "other.duckdb"
    con = duckdb.connect(str(p))
    con.execute("CREATE TABLE x (a INTEGER)")
    con.close()
    return p


def _version(v):
    def make(tmp, corpus):
        p = _copy(corpus, tmp / f"v{v}.duckdb")
        _set_meta(p, "schema_version", v)
        return p
    return make


def _write(name, data):
    def make(tmp, corpus):
        p = tmp / name
        p.write_bytes(data)
        return p
    return make


def _empty_dir(tmp, corpus):
    (tmp / "empty").mkdir()
    return tmp / "empty"


# case -> (make(tmp, corpus) -> path, words of the message)
CASES = {
    "missing_path": (lambda tmp, c: tmp / "nope.duckdb", ["no such file"]),
    "dir_without_sources": (_empty_dir, ["no importable files"]),
    "empty_json": (_write("x.json", b""), ["empty file"]),
    "text_file": (_write("notes.txt", b"just some notes\n"), ["expected a corpus", "got: not an importable file"]),
    "png": (_write("pic.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
            ["expected a corpus", "got: not an importable file (binary"]),
    "png_named_duckdb": (_write("pic.duckdb", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), ["not a DuckDB corpus"]),
    "truncated_header": (_truncate(100), ["truncated"]),
    "truncated_early": (_truncate(100_000), ["truncated"]),
    "truncated_middle": (_truncate(1_000_000), ["truncated"]),
    "truncated_last_bytes": (_truncate(-1000), ["truncated"]),
    "duckdb_without_our_tables": (_other_db, ["not a misalign-tui corpus", "missing tables"]),
    "older_schema": (_version("0"), ["schema version 0 is older", "misalign-tui import", "migrate"]),
    "newer_schema": (_version("99"), ["schema version 99 is newer", "reads schema version 99"]),
    "garbled_schema_version": (_version("one"), ["schema version 'one' is not a number", "re-import"]),
}


@pytest.mark.parametrize("command", ["stats", "export", "view"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_corpus_argument(case, command, real_corpus, tmp_path, capsys, no_tui):
    make, needles = CASES[case]
    path = make(tmp_path, real_corpus)
    before = sha(path) if path.is_file() else None
    args = {"stats": ["stats", path], "export": ["export", path, "--format", "md"], "view": [path]}[command]
    code, out, err = cli(capsys, *args)
    assert_one_line_error(code, err, *needles)
    assert path.name in err  # names the file
    assert out == ""
    if before:
        assert sha(path) == before


@pytest.mark.parametrize("case", ["truncated_middle", "newer_schema", "png_named_duckdb"])
def test_bad_corpus_argument_in_a_subprocess(case, real_corpus, tmp_path):
    make, needles = CASES[case]
    path = make(tmp_path, real_corpus)
    for args in (["stats", path], ["search", path, "fix"], [path]):
        r = run_cli(*args, MISALIGN_TUI_CACHE=tmp_path / "cache")
        assert_clean_failure(r, *needles)
        assert r.stdout == ""


def test_migrate_says_what_to_do(real_corpus, tmp_path, capsys):
    assert cli(capsys, "migrate", real_corpus)[0] == 0
    old = _version("0")(tmp_path, real_corpus)
    code, out, _ = cli(capsys, "migrate", old)
    assert code == 1
    assert "misalign-tui import SOURCES… --out" in out and "--force" in out
    assert "annotated_sample.json" in out  # the sources recorded in the corpus
    code, _, err = cli(capsys, "migrate", _version("7")(tmp_path, real_corpus))
    assert_one_line_error(code, err, "newer", "schema version 7")
    code, _, err = cli(capsys, "migrate", _other_db(tmp_path, real_corpus))
    assert_one_line_error(code, err, "not a misalign-tui corpus")


def test_corpus_locked_by_a_writer(real_corpus, tmp_path, capsys, no_tui):
    """DuckDB 2.0 refuses even a read-only open while another process holds the file read-write."""
    path = _copy(real_corpus, tmp_path / "locked.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(path)],
                              stdout=subprocess.PIPE, text=True, env=env())
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (["stats", path], [path], ["search", path, "fix"]):
            code, _, err = cli(capsys, *args)
            assert_one_line_error(code, err, "locked by a process writing to it", f"PID {holder.pid}", "try again")
        r = run_cli("stats", path)
        assert_clean_failure(r, "locked")
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 120
    while cli(capsys, "stats", path)[0] != 0:  # the lock goes with the process (poll; deadline catches a hang)
        assert time.monotonic() < deadline


def test_corpus_without_read_permission(real_corpus, tmp_path):
    preexec = permission_preexec()
    path = _copy(real_corpus, tmp_path / "secret.duckdb")
    path.chmod(0)
    try:
        for args in (["stats", path], [path], ["export", path, "--format", "csv"]):
            r = run_cli(*args, preexec_fn=preexec)
            assert_clean_failure(r, "permission denied", "secret.duckdb")
    finally:
        path.chmod(0o644)


def test_sources_without_read_permission(sample_dir, tmp_path):
    preexec = permission_preexec()
    src = tmp_path / "src"
    shutil.copytree(sample_dir / "data", src)
    target = src / "core" / "annotated_misalignments.json"
    target.chmod(0)
    try:
        r = run_cli("stats", src, preexec_fn=preexec, MISALIGN_TUI_CACHE=tmp_path / "cache")
    finally:
        target.chmod(0o644)
    assert_clean_failure(r, "permission denied", "annotated_misalignments.json")


@pytest.mark.parametrize("command", ["stats", "view"])
def test_cache_folder_under_a_regular_file(command, sample_dir, tmp_path, monkeypatch, capsys, no_tui):
    """Study sources need a cache corpus; MISALIGN_TUI_CACHE pointing below a file is a clear error."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(blocker / "cache"))
    args = ["stats", sample_dir] if command == "stats" else [sample_dir]
    code, _, err = cli(capsys, *args)
    assert_one_line_error(code, err, "cannot create the cache folder", "MISALIGN_TUI_CACHE")


def test_read_only_cache_folder(sample_dir, tmp_path):
    preexec = permission_preexec()
    cache = tmp_path / "ro-cache"
    cache.mkdir()
    cache.chmod(0o555)
    try:
        r = run_cli("stats", sample_dir / "data", preexec_fn=preexec, MISALIGN_TUI_CACHE=cache)
    finally:
        cache.chmod(0o755)
    assert_clean_failure(r, "not writable", "MISALIGN_TUI_CACHE")


def test_search_sidecar_rebuild_needs_a_writable_cache(real_corpus, tmp_path, monkeypatch, capsys):
    """A corpus without its .fts sidecar rebuilds the index into the cache; an unusable cache is one line."""
    path = _copy(real_corpus, tmp_path / "nofts.duckdb")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(blocker / "cache"))
    code, _, err = cli(capsys, "search", path, "config")
    assert_one_line_error(code, err, "cache folder")


def test_paths_inside_a_folder_without_permission(real_corpus, sample_dir, tmp_path):
    """stat() itself fails there (EACCES): that used to escape as an internal error (exit 70)."""
    preexec = permission_preexec()
    closed = tmp_path / "closed"
    closed.mkdir()
    shutil.copyfile(real_corpus, closed / "c.duckdb")
    closed.chmod(0)
    try:
        for args in (["stats", closed / "c.duckdb"], [closed / "c.duckdb"], ["import", closed, "--out", tmp_path / "x"],
                     ["import", sample_dir, "--out", closed / "new.duckdb"],
                     ["export-parquet", real_corpus, closed / "pq"]):
            r = run_cli(*args, preexec_fn=preexec, MISALIGN_TUI_CACHE=tmp_path / "cache")
            assert_clean_failure(r, "permission denied", str(closed))
    finally:
        closed.chmod(0o755)
