"""Readers keep working while `import --force` replaces the corpus under them: a Corpus held open reads
the old file to the end, reopening readers switch cleanly to the new one, `stats` runs never fail, and
the final corpus is the new one.

DuckDB caches database instances by path within a process: while a process still holds a connection
to the old file, a fresh ``Corpus.open`` of the same path gets that cached (old) database. So one
reader holds a Corpus for the whole run and the other reopens with nothing held."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from misalign_tui.data.reading.corpus import Corpus

from .hardening_util import env, run_cli

READER = r"""
import json, os, sys, time
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.errors import CorpusError

path, stop, hold, status = sys.argv[1], sys.argv[2], sys.argv[3] == "hold", sys.argv[4]
held = Corpus.open(path)  # opened before the replacement: must keep working on the old file
held_id, held_count, seen, loops, errors = held.meta["build_id"], held.count(held.parse_filters([])), [], 0, []
if not hold:
    held.close()
print("ready", flush=True)
while not os.path.exists(stop):
    try:
        if hold:
            h = held.parse_filters(["platform=CLI"])
            held.facets(h), held.page(h, limit=20)
            held_count = held.count(held.parse_filters([]))
        else:
            c = Corpus.open(path)
            f = c.parse_filters([])
            c.facets(f), c.count(f), c.page(f, limit=50, sort="time")
            if not seen or seen[-1] != c.meta["build_id"]:
                seen.append(c.meta["build_id"])
            c.close()
        loops += 1
    except CorpusError as e:
        errors.append(str(e))
    with open(status + ".tmp", "w") as fh:  # progress for the test to poll (no sleeps)
        json.dump({"loops": loops, "seen": seen}, fh)
    os.replace(status + ".tmp", status)
    time.sleep(0.005)  # leave CPU to the import on a 2-core machine (the overlap is what is tested, not the rate)
print(json.dumps({"held": held_id, "held_count": held_count, "seen": seen,
                  "loops": loops, "errors": errors[:5], "n_errors": len(errors)}))
"""


@pytest.fixture(scope="module")
def new_sources(tmp_path_factory):
    from misalign_tui.data.building.sample import generate

    d = tmp_path_factory.mktemp("conc") / "src"
    generate(d, sessions=600, seed=5)
    return d


def _progress(path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {"loops": 0, "seen": []}


def wait_until(cond, timeout: float = 180) -> None:
    """Poll ``cond`` until it holds; the deadline only catches a hang (machines can be slow and busy)."""
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def _stats_total(path) -> tuple[int, int | None]:
    r = run_cli("stats", path, "--json")
    return r.returncode, json.loads(r.stdout)["sessions"]["total"] if r.returncode == 0 else None


def test_readers_survive_a_forced_import(sample_corpus, new_sources, tmp_path):
    path = tmp_path / "shared.duckdb"
    path.write_bytes(sample_corpus.read_bytes())
    (tmp_path / "shared.duckdb.fts").write_bytes((sample_corpus.parent / "sample.duckdb.fts").read_bytes())
    old = Corpus.open(path)
    old_id, old_total = old.meta["build_id"], old.count(old.parse_filters([]))
    old.close()
    stop = tmp_path / "stop"
    status = {mode: tmp_path / f"status-{mode}.json" for mode in ("hold", "reopen")}
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(path), str(stop), mode, str(status[mode])],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env(MISALIGN_TUI_CACHE=tmp_path / "cache"))
               for mode in ("hold", "reopen")]
    for r in readers:
        assert r.stdout.readline().strip() == "ready"
    stats_runs: list[tuple[int, int | None]] = []
    importing = threading.Event()
    importing.set()

    def stats_loop():
        while importing.is_set():
            stats_runs.append(_stats_total(path))

    t = threading.Thread(target=stats_loop)
    t.start()
    try:
        wait_until(lambda: stats_runs and all(_progress(p)["loops"] > 0 for p in status.values()))
        imp = run_cli("import", new_sources, "--out", path, "--force", timeout=300)
        assert imp.returncode == 0, imp.stderr
        held_loops, runs = _progress(status["hold"])["loops"], len(stats_runs)
        # the readers go on: the holder a few more loops on the old file, the reopener onto the new one
        wait_until(lambda: _progress(status["hold"])["loops"] >= held_loops + 5
                   and len(_progress(status["reopen"])["seen"]) >= 2 and len(stats_runs) >= runs + 2)
    finally:
        importing.clear()
        t.join()
        stop.write_text("")
    results = []
    for r in readers:
        out, err = r.communicate(timeout=60)
        assert r.returncode == 0, err[-2000:]
        assert "Traceback" not in err
        results.append(json.loads(out.strip().splitlines()[-1]))
    new = Corpus.open(path)
    new_id, new_total = new.meta["build_id"], new.count(new.parse_filters([]))
    new.close()
    assert new_id != old_id and new_total != old_total
    holder, reopener = results
    for res in results:
        assert res["n_errors"] == 0, res["errors"]
        assert res["held"] == old_id and res["loops"] > 5
    assert holder["held_count"] == old_total  # the old file, read to the end
    assert reopener["seen"] == [old_id, new_id]  # old until the rename, then the new one
    assert len(stats_runs) >= 3 and all(code == 0 for code, _ in stats_runs), stats_runs
    assert {total for _, total in stats_runs} <= {300, 600}
    assert _stats_total(path) == (0, 600)
