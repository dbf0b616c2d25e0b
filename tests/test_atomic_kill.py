"""`import --force` killed with SIGKILL at any moment leaves the previous corpus intact (byte-identical and
usable); the temp files of the dead import never trip the next one, which removes them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from misalign_tui.data.building.builder import PAUSE_ENV, PHASES, clean_stale_temps
from misalign_tui.data.reading.corpus import Corpus

from .hardening_util import cli, env, no_temp_files, sha


def _start_import(src, out, cache, phase):
    return subprocess.Popen([sys.executable, "-m", "misalign_tui", "import", str(src), "--out", str(out), "--force"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env(MISALIGN_TUI_CACHE=cache, **{PAUSE_ENV: phase}))


def _wait_for_phase(p, phase) -> None:
    """Read the import's stderr until it says it reached ``phase`` (it then waits there to be killed)."""
    line = p.stderr.readline()  # blocks until the line or the end of the process (no clock involved)
    assert line.strip() == f"paused at {phase}", (phase, line, p.poll())


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


def test_sigkill_at_every_phase_keeps_the_old_corpus(tmp_path, capsys, monkeypatch):
    """SIGKILL an ``import --force`` at each phase of the build (the importer announces the phase and waits
    there when $MISALIGN_TUI_TEST_PAUSE_AT names it): the old corpus stays byte-identical and usable,
    the temp files of the dead import exist at the kill, and the next import removes them."""
    from misalign_tui.data.building.sample import generate

    sample_dir = tmp_path / "src"  # small: seven imports run here, and the phases do not depend on the size
    generate(sample_dir, sessions=30, seed=7)
    cache = tmp_path / "cache"
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(cache))
    out = tmp_path / "corpus.duckdb"
    assert cli(capsys, "import", sample_dir, "--out", out)[0] == 0
    before = sha(out)
    for phase in PHASES:
        p = _start_import(sample_dir, out, cache, phase)
        try:
            _wait_for_phase(p, phase)
            temps = no_temp_files(tmp_path, out.name)
            assert temps, f"no temp file while paused at {phase}"
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
        assert p.returncode == -signal.SIGKILL
        assert sha(out) == before, f"corpus changed by an import killed at {phase}"
        _usable(out, capsys)
        assert no_temp_files(tmp_path, out.name), f"the kill at {phase} left no temp files to clean"
    # a temp file of a live process (this one) must survive the clean-up of the next import
    live = tmp_path / f".{out.name}.{os.getpid()}.abcdefgh.tmp"
    live.write_text("in progress")
    code, _, err = cli(capsys, "import", sample_dir, "--out", out, "--force")
    assert code == 0, err
    assert sha(out) != before
    _usable(out, capsys)
    assert no_temp_files(tmp_path, out.name) == [live.name]
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
