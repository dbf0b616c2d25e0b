"""`import --force` killed with SIGKILL at any moment leaves the previous corpus intact (byte-identical and
usable); the temp files of the dead import never trip the next one, which removes them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from misalign_tui.data.building.builder import clean_stale_temps
from misalign_tui.data.reading.corpus import Corpus

from .hardening_util import cli, env, no_temp_files, sha

DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0, 3.0)


@pytest.fixture(scope="module")
def big_sources(tmp_path_factory):
    from misalign_tui.data.building.sample import generate

    d = tmp_path_factory.mktemp("kill")
    generate(d / "src", sessions=3000, seed=11)  # an import of ~4 s: time to kill it at every stage
    return d / "src"


def _start_import(src, out, cache):
    return subprocess.Popen([sys.executable, "-m", "misalign_tui", "import", str(src), "--out", str(out), "--force"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(MISALIGN_TUI_CACHE=cache))


def _usable(path, capsys):
    c = Corpus.open(path)
    try:
        assert c.count(c.parse_filters([])) > 0
    finally:
        c.close()
    code, out, err = cli(capsys, "stats", path, "--json")
    assert code == 0 and '"episodes"' in out, err
    code, _, err = cli(capsys, "search", path, "config", "--limit", "3")
    assert code == 0, err  # a sidecar newer than the corpus (killed between the renames) is never used stale


def test_sigkill_during_import_keeps_the_old_corpus(big_sources, tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(cache))
    out = tmp_path / "corpus.duckdb"
    assert cli(capsys, "import", big_sources, "--out", out)[0] == 0
    before = sha(out)
    finished = 0
    for delay in DELAYS:
        p = _start_import(big_sources, out, cache)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if p.returncode == 0:  # it won the race: the new corpus replaced the old one whole
            finished += 1
            before = sha(out)
        else:
            assert p.returncode == -signal.SIGKILL
            assert sha(out) == before, f"corpus changed by an import killed after {delay} s"
        _usable(out, capsys)
    assert finished < len(DELAYS) - 2, "the import was too quick to be killed mid-way"
    leftovers = no_temp_files(tmp_path, out.name)
    assert leftovers, "no kill landed while temp files existed"
    # a temp file of a live process (this one) must survive the clean-up of the next import
    live = tmp_path / f".{out.name}.{os.getpid()}.abcdefgh.tmp"
    live.write_text("in progress")
    code, _, err = cli(capsys, "import", big_sources, "--out", out, "--force")
    assert code == 0, err
    assert sha(out) != before
    _usable(out, capsys)
    assert no_temp_files(tmp_path, out.name) == [live.name], leftovers
    live.unlink()


def test_clean_stale_temps_only_touches_dead_writers(tmp_path):
    target = tmp_path / "c.duckdb"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    names = {
        f".c.duckdb.{dead_pid}.x1y2z3ab.tmp": False, f".c.duckdb.{dead_pid}.x1y2z3ab.tmp.wal": False,
        f".c.duckdb.{dead_pid}.x1y2z3ab.tmp.stage.jsonl": False, f".c.duckdb.fts.{dead_pid}.0123abcd.building": False,
        f"..c.duckdb.fts.{dead_pid}.0123abcd.building.{dead_pid}.77.tmp": False,
        f".c.duckdb.{os.getpid()}.x1y2z3ab.tmp": True,  # alive: kept
        ".c.duckdb.notes.tmp": True, "c.duckdb.bak": True, f".other.duckdb.{dead_pid}.x.tmp": True,  # not ours
    }
    for n in names:
        (tmp_path / n).write_text("x")
    (tmp_path / f".c.duckdb.{dead_pid}.abcd1234.tmp.d").mkdir()  # not a temp name we make
    assert clean_stale_temps(target) == sum(not keep for keep in names.values())
    assert sorted(os.listdir(tmp_path)) == sorted([n for n, keep in names.items() if keep]
                                                  + [f".c.duckdb.{dead_pid}.abcd1234.tmp.d"])
