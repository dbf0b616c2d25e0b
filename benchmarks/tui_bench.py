"""Explorer latency on a corpus, driven headless with Textual's Pilot.

``python benchmarks/tui_bench.py CORPUS [--repeat N]`` reports the median of: first paint of the
browse screen, a facet toggle until counts / facets / the table page are updated (the screen's own
timings), and opening the corpus' longest session until its transcript is laid out.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from misalign_tui.data.reading.corpus import Corpus  # noqa: E402
from misalign_tui.tui.app import MisalignApp  # noqa: E402
from tests.test_tui_browse_support import browse_screen, settle  # noqa: E402

TOGGLES = [("symptom", "S3"), ("platform", "CLI"), ("severity", "DS1"), ("symptom", "S7")]


async def run(path: Path, repeat: int) -> dict:
    out: dict[str, list[float]] = {"first_paint_ms": [], "counts_ms": [], "facets_ms": [], "page_ms": [],
                                   "session_open_ms": []}
    longest = Corpus.open(path).cursor().execute(
        "SELECT e.episode_key, s.n_turns FROM episodes e JOIN sessions s USING (session_no) "
        "WHERE s.n_turns IS NOT NULL ORDER BY s.n_turns DESC LIMIT 1").fetchone()
    for _ in range(repeat):
        app = MisalignApp(Corpus.open(path), local_clipboard=False)
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            scr = browse_screen(app)
            out["first_paint_ms"].append(scr.timings["first_paint_ms"])
            for axis, value in TOGGLES:  # each toggle adds one more active filter
                scr.corpus.clear_cache()
                scr.apply_filters(scr.filters.toggled(axis, value))
                await settle(pilot)
                for k in ("counts_ms", "facets_ms", "page_ms"):
                    out[k].append(scr.timings[k])
            if longest:
                from misalign_tui.tui.session import SessionScreen

                t = time.perf_counter()
                screen = SessionScreen(app.services, longest[0])
                app.push_screen(screen)
                while not screen.loaded:
                    await pilot.pause(0.001)
                await pilot.pause()
                out["session_open_ms"].append((time.perf_counter() - t) * 1000)
        app.corpus.close()
    res = {k: statistics.median(v) for k, v in out.items() if v}
    res["session_turns"] = longest[1] if longest else None
    return res


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    for k, v in asyncio.run(run(Path(a.corpus), a.repeat)).items():
        print(f"{k:<18} {v:10.1f}" if isinstance(v, float) else f"{k:<18} {v}")


if __name__ == "__main__":
    main()
