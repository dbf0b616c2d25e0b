"""First paint and content-ready of the explorer in a real terminal (tmux), against a bare Textual + DuckDB app.

``python benchmarks/tmux_first_paint.py CORPUS [--runs 20] [--size 120x40]`` starts, in turn (interleaved,
so both see the same machine load), ``python -m misalign_tui CORPUS`` and a baseline app that imports textual
and duckdb, opens the corpus and paints one line, each in ``tmux new-session -d -x W -y H``. It polls
``capture-pane -p`` and records, from the moment tmux was asked to start the program:

- first paint: the first capture with any non-blank character;
- content ready: the first capture whose status line reads "N of M episodes" with N a number (the count,
  the first page and the status line are on screen). For the baseline both are its one line.

It reports medians (and min / max) in milliseconds. Figures, not assertions: nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY = re.compile(r"\d[\d,]* of [\d,]+ (?:episodes|candidates|sessions)")
BASELINE = '''
import sys
import duckdb
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        con = duckdb.connect(sys.argv[1], read_only=True)
        n = con.execute("SELECT count(*) FROM episodes").fetchone()[0]
        yield Static(f"{n:,} of {n:,} episodes (baseline)")

Bare().run()
'''


SOCKET = f"mt-bench-{os.getpid()}"  # a tmux server of its own: other tmux users on the machine never interfere


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, timeout=10).stdout


def measure(cmd: list[str], size: tuple[int, int], timeout: float = 30.0, root: Path = ROOT) -> tuple[float, float]:
    """(first paint ms, content ready ms) of one start of ``cmd`` in a fresh tmux session (``root``: the source
    tree it imports misalign_tui from)."""
    session = f"mt-bench-{uuid.uuid4().hex[:8]}"
    env = f"unset COLUMNS LINES; cd {shlex.quote(str(root))} && PYTHONPATH={shlex.quote(str(root))} " \
          "TERM=xterm-256color "
    first = ready = None
    screen = ""
    t0 = time.perf_counter()
    # a shell stays behind the program (without it the baseline app, started as the pane's only process, can
    # exit at once); kill-session ends both
    tmux("new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]),
         env + shlex.join(cmd) + "; sleep 60")
    try:
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            screen = tmux("capture-pane", "-p", "-t", session)
            now = (time.perf_counter() - t0) * 1000
            if first is None and screen.strip():
                first = now
            if READY.search(screen):
                ready = now
                break
            time.sleep(0.002)
    finally:
        tmux("kill-session", "-t", session)
    if first is None or ready is None:
        raise RuntimeError(f"{shlex.join(cmd)} did not paint within {timeout:.0f} s; screen:\n{screen}")
    return first, ready


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1), "n": len(values)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", help="a corpus .duckdb file")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--size", default="120x40")
    p.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    p.add_argument("--root", default=str(ROOT), help="source tree of the misalign-tui to measure (e.g. an unpacked "
                   "`git archive` of an older commit, for before/after figures); default: this checkout")
    a = p.parse_args()
    size = tuple(int(x) for x in a.size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="mt-bench-"))  # a folder of its own: the script's folder is on sys.path
    bare = str(tmp / "bare_app.py")
    Path(bare).write_text(BASELINE)
    cmds = {"misalign-tui": [sys.executable, "-m", "misalign_tui", a.corpus, "--no-mouse"],
            "bare textual+duckdb": [sys.executable, bare, a.corpus]}
    res: dict[str, dict[str, list[float]]] = {k: {"first_paint": [], "content_ready": []} for k in cmds}
    try:
        for _ in range(2):  # warm the OS file cache for both
            for cmd in cmds.values():
                measure(cmd, size, root=Path(a.root))
        for _ in range(a.runs):
            for name, cmd in cmds.items():
                fp, cr = measure(cmd, size, root=Path(a.root))
                res[name]["first_paint"].append(fp)
                res[name]["content_ready"].append(cr)
    finally:
        os.unlink(bare)
        tmp.rmdir()
    out = {name: {k: summary(v) for k, v in r.items()} for name, r in res.items()}
    out["terminal"] = f"tmux {size[0]}x{size[1]}"
    for name, r in out.items():
        if isinstance(r, dict):
            print(f"{name:<22} first paint {r['first_paint']['median']:7.1f} ms "
                  f"(min {r['first_paint']['min']:.0f}, max {r['first_paint']['max']:.0f})   "
                  f"content ready {r['content_ready']['median']:7.1f} ms "
                  f"(min {r['content_ready']['min']:.0f}, max {r['content_ready']['max']:.0f})")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
