"""Careless and hostile inputs, round two (issue 14, categories 3-6): nothing named is dropped silently,
nothing hangs (a catastrophic regex, a FIFO, timestamps of year 1 and 9999), no traceback (NULLs in a
foreign corpus, apostrophes in paths), and errors say what was expected and what was given.

One small corpus serves most tests: a 4-session synthetic study imported into ``bob's data/c.duckdb``
(an apostrophe in the path), one of whose turns is ``aaaa…a!a`` (where ``(a+)+$`` backtracks) and two of
whose sessions are dated 0001-01-01 and 9999-12-31."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from .hardening_util import ROOT, assert_clean_failure, assert_one_line_error, cli, env, permission_preexec, run_cli

SPECSTORY = ROOT / "tests" / "fixtures" / "transcripts" / "specstory" / "2025-11-06_15-07Z-v2-cursor.md"
EVIL_REGEX = "(a+)+$"
AAA = "a" * 60 + "!a"  # Python's re needs ~2^60 steps to find (a+)+$ here; RE2 one pass


def in_thread(fn, timeout: float = 120):
    """``fn()`` in a daemon thread; its result, or a failure if it has not returned within ``timeout``."""
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"still running after {timeout}s: it hangs"
    return out[0]


def _date(src: Path, sessions: dict[int, str]) -> None:
    core = src / "data" / "core"
    for name in ("session_mapping.json", "annotated_misalignments.json", "validated_misalignments.json"):
        rows = json.loads((core / name).read_text())
        for r in rows:
            if r.get("session_count_id") in sessions:
                r["session_timestamp"] = sessions[r["session_count_id"]]
        (core / name).write_text(json.dumps(rows))


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """(source folder, corpus path) — see the module doc."""
    from misalign_tui.data.building.importer import run_import
    from misalign_tui.data.building.sample import generate

    d = tmp_path_factory.mktemp("inputs")
    src = d / "src"
    generate(src, sessions=4, seed=3)
    ids = [r["session_count_id"] for r in json.loads((src / "data" / "core" / "session_mapping.json").read_text())]
    _date(src, {ids[0]: "0001-01-01 00:00:00", ids[1]: "9999-12-31 23:59:59"})
    parsed = sorted(src.rglob("session_parsed/*.json"))[0]
    doc = json.loads(parsed.read_text())
    doc["messages"].append({"role": "user", "content": AAA})
    parsed.write_text(json.dumps(doc))
    corpus = d / "bob's data" / "c.duckdb"
    corpus.parent.mkdir()
    run_import([str(src)], corpus, force=True)
    return src, corpus


# ----- 5. apostrophes in paths: bound as parameters or quoted by the driver's rules -------------------------
def test_apostrophes_in_paths(study, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(tmp_path / "o'cache"))
    src, corpus = study
    home = tmp_path / "o'home"
    home.mkdir()
    out = home / "it's.duckdb"
    assert cli(capsys, "import", src, "--out", out)[0] == 0
    for args in (["stats", out], ["search", out, "config"], ["search", out, "conf.g", "--mode", "regex"],
                 ["chart", out, "monthly", "--markdown"], ["export-parquet", out, home / "o'pq"],
                 ["stats", home / "o'pq"], ["notes", "export", out, "--format", "jsonl"], ["stats", src]):
        code, stdout, err = cli(capsys, *args)
        assert code == 0, (args, err)
        assert "Parser Error" not in err


# ----- 4. hangs -------------------------------------------------------------------------------------------
def test_a_catastrophic_regex_is_highlighted_by_re2_on_the_command_line(study):
    _, corpus = study
    r = run_cli("search", corpus, EVIL_REGEX, "--mode", "regex", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "[a]" in r.stdout  # the match (the last "a") highlighted, as DuckDB found it
    assert r.stderr.strip() == "1 hits"


def test_a_catastrophic_regex_is_highlighted_by_re2_in_the_session_screen(study):
    """The explorer's session screen marks the hit turns' matches off the UI thread: with RE2, no backtracking."""
    from misalign_tui.data.reading.corpus import Corpus
    from misalign_tui.tui.session.hits import SearchContext, mark_hits
    from misalign_tui.tui.session.model import Block

    c = Corpus.open(study[1])
    try:
        blocks = [Block("turn", AAA, 1, "USER"), Block("turn", "Ünïcode wörds 12", 2, "USER")]
        n = in_thread(lambda: mark_hits(blocks, SearchContext(EVIL_REGEX, "regex", turns=(1,)), c.cursor()))
        assert n == 1 and blocks[0].hits == ((61, 62),)
        # RE2's syntax (\pL, Python's re has none): the highlight follows the engine that searched
        mark_hits(blocks, SearchContext(r"\pL+", "regex", turns=(2,)), c.cursor())
        assert [blocks[1].text[a:b] for a, b in blocks[1].hits] == ["Ünïcode", "wörds"]
    finally:
        c.close()


def test_regex_spans_never_guess():
    from misalign_tui.data.reading.regex_spans import regex_spans

    con = duckdb.connect()
    texts = ["xfoo foo FOO", "abc", "aaa", "😀x👍🏽x", "", None]
    assert regex_spans(con, texts, r"\bfoo|x") == [((0, 1), (5, 8), (9, 12)), (), (), ((1, 2), (4, 5)), (), ()]
    assert regex_spans(con, ["abc"], "x*") == [()]  # only empty matches: nothing to highlight
    assert regex_spans(con, ["a" * 10], "a", limit=3) == [((0, 1), (1, 2), (2, 3))]


def test_a_fifo_as_the_search_sidecar_does_not_block(study, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "c.duckdb"
    shutil.copy(study[1], corpus)
    os.mkfifo(tmp_path / "c.duckdb.fts")
    code, out, err = in_thread(lambda: cli(capsys, "search", corpus, AAA[:60]))
    assert code == 0, err
    assert err == "1 hits\n"  # searched with an index rebuilt in the cache


def test_a_fifo_source_without_writer_is_an_error_not_a_hang(tmp_path, capsys):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, _, err = in_thread(lambda: cli(capsys, "import", fifo, "--out", tmp_path / "c.duckdb"))
    assert_one_line_error(code, err, "pipe with nothing to read", str(fifo))


def test_a_process_substitution_is_read_once_and_named(tmp_path):
    """``import <(cat FILE)``: bash hands over /dev/fd/N, readable once; the summary names it."""
    r = subprocess.run(["bash", "-c", '"$0" -m misalign_tui import <(cat "$1") --out "$2"', sys.executable,
                        str(SPECSTORY), str(tmp_path / "c.duckdb")], capture_output=True, text=True, timeout=120,
                       env=env(), cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert "/dev/fd/" in r.stdout and "6 turns" in r.stdout, r.stdout


def test_far_timestamps_keep_the_month_axis_to_the_data(study, capsys):
    """Year 1 and 9999 (Go's zero time, placeholders): the months of the data, not ~120,000 between them."""
    _, corpus = study
    for kind in ("monthly", "monthly-sessions", "per-user-turn"):
        code, out, err = in_thread(lambda: cli(capsys, "chart", corpus, kind, "--markdown", "--since", "all",
                                                "--filter", "validation=VALID,INVALID,CANDIDATE"))
        assert code == 0, err
        months = [line for line in out.splitlines() if line[:3] in ("| 0", "| 2", "| 9")]
        assert months[-1].startswith("| 9999-12"), out
        assert len(months) < 40, out


def test_month_axis_fills_gaps_up_to_two_years():
    from misalign_tui.data.reading.charts.common import _continuous

    assert _continuous(["2025-01", "2025-04", None]) == ("2025-01", "2025-02", "2025-03", "2025-04")
    assert _continuous(["0001-01", "2024-12", "2025-02", "9999-12"]) == (
        "0001-01", "2024-12", "2025-01", "2025-02", "9999-12")


# ----- 3. nothing dropped silently ------------------------------------------------------------------------
def test_bom_jsonl_in_a_folder_and_given_by_name(study, tmp_path, capsys):
    src = tmp_path / "src"
    shutil.copytree(study[0], src)
    atlas = next(src.rglob("*.jsonl"))
    atlas.write_bytes(b"\xef\xbb\xbf" + atlas.read_bytes())
    code, out, err = cli(capsys, "import", src, "--out", tmp_path / "a.duckdb")
    assert code == 0, err
    assert f"{atlas.name} " in out  # read, with its records counted
    core = src / "data" / "core"
    code, out, err = cli(capsys, "import", *sorted(core.glob("*.json")), atlas, "--out", tmp_path / "b.duckdb")
    assert code == 0, err
    assert f"{atlas.name} " in out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_transcripts_are_read(encoding, tmp_path, capsys):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "wide.md").write_bytes(SPECSTORY.read_text(encoding="utf-8").encode(encoding))
    code, out, err = cli(capsys, "import", folder, "--out", tmp_path / "c.duckdb")
    assert code == 0, err
    assert "wide.md: 6 turns" in out


def test_duplicate_sources_are_read_once_and_listed(tmp_path, capsys):
    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(SPECSTORY, folder / "a.md")
    (folder / "link.md").symlink_to(folder / "a.md")
    code, out, err = cli(capsys, "import", folder, folder / "a.md", folder / "a.md", tmp_path / "t" / "*.md",
                         "--out", tmp_path / "c.duckdb")
    assert code == 0, err
    assert "sessions               1" in out
    not_imported = out.split("not imported:")[1]
    assert "named 2 times" in not_imported and "the same file as another source" in not_imported
    assert str(folder / "a.md") in not_imported


def test_every_file_not_imported_is_counted_with_its_reason(tmp_path, capsys):
    folder = tmp_path / "t"
    (folder / ".git").mkdir(parents=True)
    shutil.copy(SPECSTORY, folder / "a.md")
    (folder / "notes.txt").write_text("hello")
    (folder / "empty.json").write_text("")
    (folder / ".hidden.md").write_text("x")
    (folder / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    code, out, err = cli(capsys, "import", folder, "--out", tmp_path / "c.duckdb")
    assert code == 0, err
    listed = out.split("not imported:")[1]
    for why in ("not a study file, Atlas record or transcript: 1 file", "empty file: 1 file",
                "binary, not text: 1 file", "hidden files not read: 1", "version-control folders not read: 1"):
        assert why in listed, (why, listed)


def test_unreadable_folders_are_named(tmp_path):
    preexec = permission_preexec()
    folder = tmp_path / "t"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SPECSTORY, folder / "a.md")
    shutil.copy(SPECSTORY, folder / "locked" / "b.md")
    (folder / "locked").chmod(0)
    try:
        r = run_cli("import", folder, "--out", tmp_path / "c.duckdb", preexec_fn=preexec)
        assert_clean_failure(r, "permission denied", "locked")
        r = run_cli("import", folder / "locked", "--out", tmp_path / "c.duckdb", preexec_fn=preexec)
        assert_clean_failure(r, "permission denied", "locked")
        assert "text records need label rows" not in r.stderr
    finally:
        (folder / "locked").chmod(0o755)


# ----- 5. NULLs where the schema promises values (a corpus written by another tool) -----------------------
@pytest.fixture(scope="module")
def broken(study, tmp_path_factory):
    out = tmp_path_factory.mktemp("broken") / "broken.duckdb"
    con = duckdb.connect(str(out))  # tables copied without their constraints
    try:
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(study[1])])
        for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src'"
                                ).fetchall():
            con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM src."{t}"')
        con.execute("DETACH src")
        first, second = (r[0] for r in con.execute("SELECT episode_no FROM episodes ORDER BY ord_key LIMIT 2"
                                                   ).fetchall())
        con.execute("UPDATE episodes SET episode_key = NULL WHERE episode_no = ?", [first])
        con.execute("UPDATE episodes SET symptoms = list_append(symptoms, NULL), causes = [NULL] "
                    "WHERE episode_no = ?", [second])
        con.execute("ALTER TABLE sessions ALTER n_turns TYPE VARCHAR")
        con.execute("UPDATE sessions SET n_turns = 'many'")
    finally:
        con.close()
    return out


ALL = ["--filter", "validation=VALID,INVALID,CANDIDATE"]


@pytest.mark.parametrize("args", [
    ["stats", *ALL], ["stats", "--json"], ["compare", "--a", "platform=IDE"], ["export", "--format", "csv", *ALL],
    ["export", "--format", "md", *ALL], ["export", "--format", "jsonl", *ALL], ["chart", "sxc", *ALL],
    ["chart", "cooccurrence", *ALL], ["chart", "persistence", *ALL], ["chart", "per-user-turn", *ALL],
    ["chart", "distribution:symptom", *ALL], ["search", "config"], ["detect-eval"], ["notes", "orphans"]],
    ids=lambda a: "-".join(a[:2]))
def test_nulls_in_a_foreign_corpus_are_not_tracebacks(args, broken, tmp_path, capsys):
    if args[0] == "notes":
        args = [*args, "--workspace", tmp_path / "ws.duckdb"]
    code, out, err = cli(capsys, args[0], *(args[1:2] if args[0] == "notes" else []), broken,
                         *(args[2:] if args[0] == "notes" else args[1:]))
    assert code == 0, err
    assert "internal error" not in err and "Traceback" not in err


# ----- 6. errors that say what was expected and what was given -----------------------------------------------
@pytest.mark.parametrize("command", [["{}"], ["stats", "{}"], ["export", "{}", "--format", "csv"],
                                     ["chart", "{}", "monthly"]], ids=["view", "stats", "export", "chart"])
def test_a_readme_is_not_a_corpus(command, capsys):
    code, out, err = cli(capsys, *[ROOT / "README.md" if a == "{}" else a for a in command])
    assert_one_line_error(code, err, "README.md", "expected a corpus", "got:", "no known transcript format")
    assert out == ""


def test_import_of_a_readme_says_what_import_reads(tmp_path, capsys):
    code, _, err = cli(capsys, "import", ROOT / "README.md", "--out", tmp_path / "c.duckdb")
    assert_one_line_error(code, err, "README.md", "import reads the study's JSON files")
    assert not (tmp_path / "c.duckdb").exists()


def test_a_search_starting_with_not_says_why(study, capsys):
    code, _, err = cli(capsys, "search", study[1], "NOT config")
    assert_one_line_error(code, err, "NOT needs words before it")


@pytest.mark.parametrize("which", ["sidecar", "text", "fifo"])
def test_a_workspace_that_is_not_a_duckdb_file(which, study, tmp_path, capsys):
    corpus = tmp_path / "c.duckdb"
    shutil.copy(study[1], corpus)
    ws = {"sidecar": study[1].with_name("c.duckdb.fts"), "text": ROOT / "README.md", "fifo": tmp_path / "ws"}[which]
    if which == "fifo":
        os.mkfifo(ws)
    code, _, err = in_thread(lambda: cli(capsys, "notes", "export", corpus, "--format", "jsonl", "--workspace", ws))
    assert_one_line_error(code, err, "cannot open the reviewer workspace",
                          {"sidecar": "SQLite database", "text": "not a DuckDB file", "fifo": "device or pipe"}[which])
    assert "download" not in err


def test_evidence_far_past_the_end_is_counted_not_a_crash(study, tmp_path, capsys):
    src = tmp_path / "src"
    shutil.copytree(study[0], src)
    atlas = next(src.rglob("*.jsonl"))
    lines = atlas.read_text(encoding="utf-8-sig").splitlines()
    rec = json.loads(lines[0])
    rec["evidence"][0]["turn"] = "TURN 99999999999 | USER"
    atlas.write_text("\n".join([json.dumps(rec), *lines[1:]]) + "\n")
    out = tmp_path / "c.duckdb"
    code, report, err = cli(capsys, "import", src, "--out", out)
    # like any reference past the session's last turn: imported without a turn number, counted in the summary
    assert code == 0 and "Traceback" not in err, err
    assert "evidence turn past the last turn" in report
    con = duckdb.connect(str(out), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM evidence WHERE turn_ref = 'TURN 99999999999 | USER' "
                           "AND turn_no IS NULL").fetchone()[0] == 1
    finally:
        con.close()
