"""End-to-end import throughput per transcript format (parse + detect + DuckDB + FTS sidecar).

Run from the checkout: ``python benchmarks/import_formats.py [MB]``. Inputs are made by duplicating
the real transcripts and test fixtures (benchmarks/transcript_inputs.py); prints MB/s of the parser
alone (CPU time) and of the whole ``misalign-tui import`` (wall time). Target: >= 30 MB/s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from transcript_inputs import make_claude_file, make_codex_file, make_specstory_files  # noqa: E402

from misalign_tui.data.building.importer import run_import  # noqa: E402
from misalign_tui.data.building.transcripts import parse_claude_code, parse_codex, parse_specstory  # noqa: E402


def measure(tmp: Path, size: int) -> dict[str, float]:
    """Parse-only MB/s (CPU time) per format."""
    rates = {}
    files = make_specstory_files(tmp / "md", size)
    n = sum(f.stat().st_size for f in files)
    t0 = time.process_time()
    for f in files:
        parse_specstory(f)
    rates["specstory"] = n / (time.process_time() - t0) / 1e6
    for name, make, parse in (("claude-code", make_claude_file, parse_claude_code),
                              ("codex", make_codex_file, parse_codex)):
        f = make(tmp / f"rollout-2025-01-01T00-00-00-{name}.jsonl", size)
        t0 = time.process_time()
        parse(f)
        rates[name] = f.stat().st_size / (time.process_time() - t0) / 1e6
    return rates


def main(mb: float = 20) -> None:
    size = int(mb * 1024 * 1024)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        parse_rates = measure(d / "parse", size)
        (d / "cc").mkdir()
        (d / "cx").mkdir()
        inputs = {
            "specstory": d / "md",
            "claude-code": make_claude_file(d / "cc" / "11111111-2222-4333-8444-555555555555.jsonl", size),
            "codex": make_codex_file(d / "cx" / "rollout-2025-01-01T00-00-00-0199a213-81c0-7800-8aa1-bbab2a035a53.jsonl",
                                     size),
        }
        make_specstory_files(inputs["specstory"], size)
        print(f"{'format':<12}{'MB':>8}{'parse MB/s':>12}{'import MB/s':>13}{'import s':>10}")
        for name, src in inputs.items():
            n = sum(f.stat().st_size for f in (src.rglob("*") if src.is_dir() else [src]) if f.is_file())
            t = time.perf_counter()
            run_import([str(src)], d / f"{name}.duckdb", force=True)
            s = time.perf_counter() - t
            print(f"{name:<12}{n / 1e6:>8.1f}{parse_rates[name]:>12.1f}{n / 1e6 / s:>13.1f}{s:>10.2f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 20)
