"""The write guard (data/outputs.py), on every command that writes: no command writes over an existing file
without --force, never over one of its own inputs or the corpus / workspace / full-text sidecar in use even
with --force (by identity: symlinks and hard links too), and a device, a pipe or ``-`` is streamed to,
never renamed over."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from .conftest import REALDATA
from .hardening_util import assert_clean_failure, assert_one_line_error, cli, permission_preexec, run_cli, sha, \
    snapshot

A, V, S = "annotated_misalignments.json", "validated_misalignments.json", "session_mapping.json"


@pytest.fixture(scope="session")
def _template(tmp_path_factory):
    """Built once per run (an import is ~1 s): a study folder, its corpus with the .fts sidecar and a written
    workspace beside it."""
    def build(d: Path) -> Path:
        from misalign_tui.data.building.importer import run_import
        from misalign_tui.data.reading.corpus import Corpus
        from misalign_tui.data.workspace import ReviewStore

        core = d / "core"
        core.mkdir(parents=True)
        for name, src in ((A, "annotated_sample.json"), (V, "validated_sample.json"),
                          (S, "session_mapping_matching.json")):
            (core / name).write_bytes((REALDATA / src).read_bytes())
        corpus = d / "c.duckdb"
        run_import([str(core)], corpus)
        c = Corpus.open(corpus)
        key = c.cursor().execute("SELECT min(episode_key) FROM episodes").fetchone()[0]
        c.close()
        ReviewStore.for_corpus(corpus, None, "alice").save_note("a note", key)
        return d

    from .conftest import shared_build

    return shared_build(tmp_path_factory, "hostile_writes", build)


@pytest.fixture
def setup(_template, tmp_path):
    """A private copy of the template: the study folder, its corpus, sidecar and workspace."""
    shutil.copytree(_template / "core", tmp_path / "core")
    corpus = tmp_path / "c.duckdb"
    for name in ("c.duckdb", "c.duckdb.fts", "c.duckdb.review.duckdb"):
        shutil.copyfile(_template / name, tmp_path / name)
    ws = corpus.with_name(corpus.name + ".review.duckdb")
    return {"core": tmp_path / "core", "corpus": corpus, "ws": ws, "fts": corpus.with_name(corpus.name + ".fts"),
            "tmp": tmp_path}


# command -> argv before --out (CORPUS is the corpus file, or the study folder it was imported from)
WRITERS = {
    "export": lambda c: ["export", c, "--format", "csv"],
    "chart": lambda c: ["chart", c, "sxc"],
    "compare": lambda c: ["compare", c, "--a", "platform=CLI"],
    "notes-export": lambda c: ["notes", "export", c, "--format", "jsonl"],
}
# target -> (how to name it, message)
TARGETS = {
    "the-corpus": lambda s: s["corpus"],
    "the-sidecar": lambda s: s["fts"],
    "the-workspace": lambda s: s["ws"],
    "a-hard-link-to-the-corpus": lambda s: (os.link(s["corpus"], s["tmp"] / "hard.duckdb"), s["tmp"] / "hard.duckdb")[1],
    "another-spelling-of-the-corpus": lambda s: ((s["tmp"] / "sub").mkdir(), s["tmp"] / "sub" / ".." / "." / "c.duckdb")[1],
    "a-symlink-to-the-corpus": lambda s: (os.symlink(s["corpus"], s["tmp"] / "soft.duckdb"), s["tmp"] / "soft.duckdb")[1],
}


@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_never_over_what_the_command_reads(command, target, force, setup, capsys):
    out = TARGETS[target](setup)
    before = snapshot(setup["tmp"])
    code, stdout, err = cli(capsys, *WRITERS[command](setup["corpus"]), "--out", out, *(["--force"] if force else []))
    assert_one_line_error(code, err, "refusing to write over")
    assert snapshot(setup["tmp"]) == before
    assert stdout == ""


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_never_over_a_source_file_of_a_study_folder(command, setup, capsys):
    """CORPUS given as study files: the files are inputs (the cache corpus is built from them)."""
    before = snapshot(setup["core"])
    code, _, err = cli(capsys, *WRITERS[command](setup["core"]), "--out", setup["core"] / A, "--force")
    assert_one_line_error(code, err, "refusing to write over", A)
    assert snapshot(setup["core"]) == before


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_an_existing_file_needs_force(command, setup, capsys):
    other = setup["tmp"] / "notes.txt"
    other.write_text("mine")
    code, _, err = cli(capsys, *WRITERS[command](setup["corpus"]), "--out", other)
    assert_one_line_error(code, err, "exists; add --force")
    assert other.read_text() == "mine"
    code, _, err = cli(capsys, *WRITERS[command](setup["corpus"]), "--out", other, "--force")
    assert code == 0, err
    assert other.read_text() != "mine"
    assert [f for f in os.listdir(setup["tmp"]) if f.startswith(".notes.txt")] == []  # no temp file left


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("device", ["-", "/dev/stdout", "/dev/null"])
def test_devices_are_streamed_to_not_replaced(command, device, setup, capsys):
    was = {p: os.lstat(p).st_mode for p in ("/dev/stdout", "/dev/null")}
    code, out, err = cli(capsys, *WRITERS[command](setup["corpus"]), "--out", device)
    assert code == 0, err
    assert bool(out.strip()) == (device != "/dev/null")
    assert {p: os.lstat(p).st_mode for p in was} == was
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_streamed_to(setup, capsys):
    fifo = setup["tmp"] / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    code, _, err = cli(capsys, "export", setup["corpus"], "--format", "jsonl", "--out", fifo)
    reader.join(60)
    assert code == 0, err
    assert got and got[0].count("\n") > 5
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_import_never_over_a_source_even_with_force(setup, capsys):
    before = snapshot(setup["core"])
    code, _, err = cli(capsys, "import", setup["core"], "--out", setup["core"] / A, "--force")
    assert_one_line_error(code, err, "refusing to write over one of the sources", A)
    assert snapshot(setup["core"]) == before


def test_import_to_a_device_is_refused(setup, capsys):
    code, _, err = cli(capsys, "import", setup["core"], "--out", "/dev/null", "--force")
    assert_one_line_error(code, err, "must be a regular file")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_sample_needs_force_for_existing_study_files_and_corpus(setup, capsys):
    before = snapshot(setup["tmp"])
    code, _, err = cli(capsys, "sample", "--out", setup["core"], "--sessions", "3")
    assert_one_line_error(code, err, "exists; add --force")
    new = setup["tmp"] / "new"
    code, _, err = cli(capsys, "sample", "--out", new, "--sessions", "3", "--corpus", setup["corpus"])
    assert_one_line_error(code, err, "exists; add --force", str(setup["corpus"]))
    assert snapshot(setup["tmp"]) == before
    assert not new.exists()
    code, _, err = cli(capsys, "sample", "--out", new, "--sessions", "3", "--corpus", setup["tmp"] / "s.duckdb")
    assert code == 0, err


def test_parquet_export_never_replaces_a_folder_holding_the_corpus(setup, capsys):
    before = snapshot(setup["tmp"])
    code, _, err = cli(capsys, "export-parquet", setup["corpus"], setup["tmp"], "--force")
    assert_one_line_error(code, err, "refusing to write over")
    assert snapshot(setup["tmp"]) == before


def test_notes_merge_never_over_its_inputs(setup, capsys):
    ws = setup["ws"]
    other = setup["tmp"] / "b.review.duckdb"
    shutil.copy(ws, other)
    before = sha(ws)
    code, _, err = cli(capsys, "notes", "merge", ws, other, "--out", ws, "--force")
    assert_one_line_error(code, err, "refusing to write over")
    assert sha(ws) == before


def test_bench_results_need_force(tmp_path, capsys):
    results = tmp_path / "results.json"
    results.write_text("{}")
    code, _, err = cli(capsys, "bench", "--scales", "1", "--json", results)
    assert_one_line_error(code, err, "exists; add --force")
    assert results.read_text() == "{}"


def test_an_unwritable_out_is_named_not_its_temp_file(setup):
    preexec = permission_preexec()
    ro = setup["tmp"] / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        for args in (["export", setup["corpus"], "--format", "csv", "--out", ro / "x.csv"],
                     ["chart", setup["corpus"], "sxc", "--out", ro / "x.md"],
                     ["import", setup["core"], "--out", ro / "c.duckdb"]):
            r = run_cli(*args, preexec_fn=preexec)
            assert_clean_failure(r, str(ro))
            assert ".tmp" not in r.stderr and "not writable" in r.stderr, r.stderr
    finally:
        ro.chmod(0o755)
    assert list(ro.iterdir()) == []


def test_the_output_folder_must_exist(setup, capsys):
    code, _, err = cli(capsys, "export", setup["corpus"], "--format", "csv", "--out", setup["tmp"] / "no" / "x.csv")
    assert_one_line_error(code, err, "output folder does not exist")


def test_a_new_file_needs_no_force(setup, capsys):
    out = setup["tmp"] / "sub" / "x.csv"
    out.parent.mkdir()
    code, _, err = cli(capsys, "export", setup["corpus"], "--format", "csv", "--out", out)
    assert code == 0, err
    assert out.read_text().startswith("key,")
    assert Path(str(out)).stat().st_size > 0


async def test_the_explorers_export_is_guarded_too(setup):
    """The explorer's export prompt: never the corpus (or a link to it), the workspace, an existing file, or
    the terminal it draws on; a new file is written."""
    from misalign_tui.data.reading.corpus import Corpus
    from misalign_tui.tui.app import MisalignApp

    corpus, tmp = setup["corpus"], setup["tmp"]
    (tmp / "mine.csv").write_text("mine")
    (tmp / "soft.duckdb").symlink_to(corpus)
    before = snapshot(tmp)
    app = MisalignApp(Corpus.open(corpus), local_clipboard=False, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        scr = app.screen
        for out, why in ((corpus, "refusing to write over the corpus"), (tmp / "soft.duckdb", "refusing"),
                         (setup["ws"], "refusing to write over the reviewer workspace"),
                         (setup["fts"], "refusing"), (tmp / "mine.csv", "exists"), ("-", "not standard output"),
                         ("/dev/stdout", "must be a regular file")):
            scr.export(scr.filters, "CSV", str(out))
            await app.workers.wait_for_complete()
            await pilot.pause()
            last = list(app._notifications)[-1].message
            assert why in last, (out, last)
        assert snapshot(tmp) == before
        scr.export(scr.filters, "CSV", str(tmp / "new.csv"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (tmp / "new.csv").read_text().startswith("key,")
    app.corpus.close()
