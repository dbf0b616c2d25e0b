"""Detection speed (pushback model + tool failures + loops, no parsing, no database): MB/s of turn text.

    python benchmarks/detect_speed.py [--copies N] [--repeat R]

The real dev set's sessions (tests/fixtures/real/transcripts) are parsed once; their merged turns are
duplicated N times and detection alone is timed over all of them, R times. Throughput = UTF-8 bytes of
every turn text (human and agent, as stored in the corpus) / seconds; the best and the median run are
printed, by the wall clock and by the process's CPU time (on a shared machine the CPU time is the steadier
figure). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from misalign_tui.data.building.pushback.signals import detect  # noqa: E402
from misalign_tui.data.building.transcript_sessions import session_rows  # noqa: E402
from misalign_tui.data.building.transcripts.formats import parse_file  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--copies", type=int, default=5)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    sessions = []
    for f in sorted((ROOT / "tests" / "fixtures" / "real" / "transcripts").rglob("*")):
        if f.suffix not in (".md", ".jsonl"):
            continue
        for t in parse_file(f):
            if t.messages:
                _s, turns, _ts, _calls, events = session_rows(t, None)
                sessions.append((turns, events))
    size = sum(len(t.text.encode("utf-8")) for turns, _ in sessions for t in turns) * a.copies
    detect(*sessions[0])  # compile the cues outside the timing
    wall, cpu, flags = [], [], 0
    for _ in range(a.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        flags = 0
        for _ in range(a.copies):
            for turns, events in sessions:
                flags += sum(s.kind == "pushback" for s in detect(turns, events))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    mb = size / 1e6
    print(f"{len(sessions) * a.copies} sessions, {mb:.1f} MB of turn text, {flags} pushback flags, {a.repeat} runs: "
          f"wall best {min(wall):.2f} s = {mb / min(wall):.1f} MB/s, median {mb / statistics.median(wall):.1f} MB/s; "
          f"CPU best {mb / min(cpu):.1f} MB/s, median {mb / statistics.median(cpu):.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
