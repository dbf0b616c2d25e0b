"""``misalign-tui bench``: build synthetic corpora at 1x/10x/100x the paper's size and time the hot paths.

Medians and p95 over repeated runs of: import, open + first page, facet refresh under 0/1/3/6
filters, a 200-row page under a 3-axis filter, stats, session open (the longest session), full-text
search and all charts, plus peak RSS of the measuring process. Measurements run in a child process
(``misalign-tui bench --measure CORPUS``) so its RSS is the viewer's, not the generator's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..data.errors import CorpusError
from .common import output_target, say, write_output

PAPER_SESSIONS = 20574
FILTERS = {
    0: [],
    1: ["symptom=S3"],
    3: ["symptom=S3,S7", "platform=CLI", "severity=DS1"],
    6: ["symptom=S3,S7", "platform=CLI", "severity=DS1", "cause=C6,C7", "goal=instruction,both", "confidence=high"],
}


def _timed(fn, repeat: int) -> dict:
    """Wall-clock median and p95 in ms, plus the median CPU time of this process (all its threads): on a
    shared machine the wall clock includes waiting for a core, the CPU time does not."""
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"median_ms": statistics.median(times), "p95_ms": p95, "cpu_median_ms": statistics.median(cpu),
            "n": repeat}


def measure_refresh(path: Path, repeat: int) -> dict:
    """Only the refresh and the page (for a Parquet folder: ``parquet_*`` in the table)."""
    from ..data.filters import Filters
    from ..data.reading.corpus import Corpus

    c = Corpus.open(path)
    filt = {k: Filters.parse(v) for k, v in FILTERS.items()}
    c.facets(filt[3])
    out = {f"parquet_refresh_{k}_filters": _timed(
        lambda f=f: (c.clear_cache(), c.facets(f), c.facet_totals(f), c.page(f, limit=200)), repeat)
        for k, f in filt.items()}
    out["parquet_page_200_3_filters"] = _timed(lambda: c.page(filt[3], offset=200, limit=200, sort="time"), repeat)
    out["parquet_peak_rss_mb"] = peak_rss_mb()
    return out


def measure(corpus_path: Path, repeat: int) -> dict:
    """Time the viewer's queries on an existing corpus (runs in the child process)."""
    from ..data.filters import Filters
    from ..data.reading import stats
    from ..data.reading.charts import compute_all
    from ..data.reading.corpus import Corpus

    out: dict = {}
    t = time.perf_counter()
    c = Corpus.open(corpus_path)
    c.page(Filters(), limit=200)
    c.count(Filters())
    out["open_first_page"] = {"median_ms": (time.perf_counter() - t) * 1000, "p95_ms": None, "n": 1}
    filt = {k: Filters.parse(v) for k, v in FILTERS.items()}
    c.facets(filt[3])  # warm the macros
    for k, f in filt.items():  # uncached: the result cache would answer repeats in microseconds
        out[f"facets_{k}_filters"] = _timed(lambda f=f: (c.clear_cache(), c.facets(f)), repeat)
        out[f"facets_and_totals_{k}_filters"] = _timed(
            lambda f=f: (c.clear_cache(), c.facets(f), c.facet_totals(f)), repeat)
    for k, f in filt.items():  # what the explorer does after a filter change: counts, totals, first page
        out[f"refresh_{k}_filters"] = _timed(
            lambda f=f: (c.clear_cache(), c.facets(f), c.facet_totals(f), c.page(f, limit=200)), repeat)
    out["page_200_3_filters"] = _timed(lambda: c.page(filt[3], offset=200, limit=200, sort="time"), repeat)
    out["count_3_filters"] = _timed(lambda: c.count(filt[3]), repeat)
    out["facets_plus_page_3_filters"] = _timed(
        lambda: (c.clear_cache(), c.facets(filt[3]), c.page(filt[3], limit=200)), repeat)
    out["stats"] = _timed(lambda: stats.compute(c, Filters(), facets=False), max(3, repeat // 5))
    row = c.cursor().execute("SELECT session_no, n_turns FROM sessions WHERE n_turns IS NOT NULL "
                             "ORDER BY n_turns DESC LIMIT 1").fetchone()
    if row:
        out["session_open"] = _timed(lambda: c.turns(row[0]), repeat)
        out["session_open"]["turns"] = row[1]
    out.update(search_timings(c, repeat))
    out["all_charts"] = _timed(lambda: compute_all(c, Filters()), max(3, repeat // 5))
    out["peak_rss_mb"] = peak_rss_mb()
    out["load_average"] = os.getloadavg()[0]
    return out


def search_timings(corpus, repeat: int) -> dict:
    from ..data.building.search_index import ensure_index
    from ..data.filters import Filters
    from ..data.reading.search import Searcher

    s = Searcher(corpus, ensure_index(corpus))
    s.search("revert config", mode="ranked")  # open the index
    f3 = Filters.parse(["platform=CLI", "symptom=S3,S7", "severity=DS1"])
    return {
        "search_ranked": _timed(lambda: s.search("revert the config", limit=50), repeat),
        "search_ranked_3_filters": _timed(lambda: s.search("revert the config", f3, limit=50), repeat),
        "search_human_only": _timed(lambda: s.search("why did you", human_only=True, limit=50), repeat),
        "search_substring": _timed(lambda: s.search("not what i asked", mode="substring", limit=50),
                                   max(3, repeat // 5)),
    }


def peak_rss_mb() -> float:
    """Peak RSS of this process. VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec, so a
    child started by a big parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_child(sources: list[str], out: Path) -> dict:
    """Import ``sources`` into ``out`` in a child process: its wall time and peak RSS (the importer's alone)."""
    child = subprocess.run([sys.executable, "-m", "misalign_tui", "bench", "--import-only", str(out), *sources],
                           capture_output=True, text=True)
    if child.returncode != 0:
        raise CorpusError(f"the importing process failed: {child.stderr.strip() or child.returncode}")
    return json.loads(child.stdout)


def import_only(out: Path, sources: list[str]) -> dict:
    from ..data.building.importer import run_import

    t = time.perf_counter()
    report = run_import(sources, out, force=True)
    return {"s": time.perf_counter() - t, "peak_rss_mb": peak_rss_mb(), "counts": report.counts}


def _size(paths) -> int:
    return sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())


def run(scales: list[float], repeat: int, workdir: Path, transcripts_upto: float, on_scale=None) -> dict:
    from ..data.building.sample import generate

    results = {}
    for scale in scales:
        n = int(round(PAPER_SESSIONS * scale))
        src = workdir / f"src-{scale:g}x"
        corpus = workdir / f"corpus-{scale:g}x.duckdb"
        with_tr = scale <= transcripts_upto
        t = time.perf_counter()
        done = src / f".generated-{n}-{int(with_tr)}"
        if not done.exists():  # a --workdir kept from an earlier run keeps its sources (same seed: same files)
            generate(src, sessions=n, seed=1, transcripts=with_tr)
            done.touch()
        gen_s = time.perf_counter() - t
        core = [src / "data" / "core", src / "atlas"]
        core_corpus = workdir / f"core-{scale:g}x.duckdb"
        core_imp = import_child([str(p) for p in core], core_corpus)
        size = _size([src])
        if with_tr:
            imp = import_child([str(src)], corpus)
            tr_mb = _size([src / "workspace"]) / 1e6
        else:
            imp, corpus, tr_mb = core_imp, core_corpus, 0.0
        imp_s = imp["s"]
        child = subprocess.run([sys.executable, "-m", "misalign_tui", "bench", "--measure", str(corpus),
                                "--repeat", str(repeat)], capture_output=True, text=True)
        if child.returncode != 0:
            raise CorpusError(f"the measuring process failed: {child.stderr.strip() or child.returncode}")
        res = json.loads(child.stdout)
        from ..data.building.parquet_export import export_parquet

        pq = workdir / f"parquet-{scale:g}x"
        export_parquet(corpus, pq, force=True)
        child = subprocess.run([sys.executable, "-m", "misalign_tui", "bench", "--measure", str(pq), "--refresh-only",
                                "--repeat", str(repeat)], capture_output=True, text=True)
        if child.returncode != 0:
            raise CorpusError(f"the measuring process failed: {child.stderr.strip() or child.returncode}")
        res.update(json.loads(child.stdout))
        counts = imp["counts"]
        res = {"sessions": n, "episodes": counts.get("episodes"), "turns": counts.get("turns"),
               "transcripts": with_tr, "source_mb": size / 1e6, "generate_s": gen_s,
               "core_source_mb": _size(core) / 1e6, "core_import_s": core_imp["s"],
               "core_import_peak_rss_mb": core_imp["peak_rss_mb"], "import_s": imp_s,
               "import_peak_rss_mb": imp["peak_rss_mb"], "transcripts_mb": tr_mb,
               "import_mb_per_s": size / 1e6 / imp_s if imp_s else None,
               "corpus_mb": corpus.stat().st_size / 1e6, **res}
        results[f"{scale:g}x"] = res
        if on_scale:
            on_scale(results)
    return results


def table(results: dict) -> str:
    scales = list(results)
    keys: list[str] = []
    for r in results.values():
        keys += [k for k in r if k not in keys]
    lines = [f"{'metric':<28}" + "".join(f"{s:>22}" for s in scales)]
    for k in keys:
        cells = []
        for s in scales:
            v = results[s].get(k)
            if isinstance(v, dict):
                p95 = f"/{v['p95_ms']:.1f}" if v.get("p95_ms") is not None else ""
                cpu = f" ({v['cpu_median_ms']:.0f})" if v.get("cpu_median_ms") is not None else ""
                cells.append(f"{v['median_ms']:.1f}{p95} ms{cpu}")
            elif isinstance(v, float):
                cells.append(f"{v:,.2f}")
            else:
                cells.append(f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v))
        lines.append(f"{k:<28}" + "".join(f"{c:>22}" for c in cells))
    lines.append("(timings: wall-clock median/p95 over repeats, in brackets the median CPU ms of the process)")
    return "\n".join(lines)


def bench_arguments(p) -> None:
    p.description = ("Build synthetic corpora at 1x/10x/100x the paper's size and time the data layer's hot paths "
                     "(medians and p95 in a table and a JSON file).")
    p.add_argument("--scales", default="1,10", help="comma-separated multiples of the paper's 20,574 sessions")
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--workdir", default=None, help="where to build corpora (default: a temp folder, removed)")
    p.add_argument("--transcripts-upto", type=float, default=10.0,
                   help="generate transcripts only up to this scale (100x uses labels only)")
    p.add_argument("--json", default="benchmarks/results.json", help="write results here ('' for none)")
    p.add_argument("--force", action="store_true", help="replace an existing --json file")
    p.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    p.add_argument("--import-only", default=None, help=argparse.SUPPRESS)
    p.add_argument("--refresh-only", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("sources", nargs="*", help=argparse.SUPPRESS)


def bench(a) -> int:
    if a.repeat < 1:
        raise CorpusError("--repeat must be at least 1")
    if a.sources and not a.import_only:
        raise CorpusError(f"bench takes no sources ({a.sources[0]!r}); see misalign-tui bench --help")
    if a.import_only:
        say(json.dumps(import_only(Path(a.import_only), a.sources)))
        return 0
    if a.measure:
        say(json.dumps((measure_refresh if a.refresh_only else measure)(Path(a.measure), a.repeat)))
        return 0
    try:
        scales = [float(s) for s in a.scales.split(",")]
    except ValueError:
        raise CorpusError(f"--scales {a.scales!r}: expected numbers separated by commas, like 1,10") from None
    if not scales or any(not 0 < s <= 1000 for s in scales):
        raise CorpusError(f"--scales {a.scales!r}: every scale must be above 0 and at most 1000")
    target = None
    if a.json:  # checked before the long run, written after every scale (a run cut short keeps what it measured)
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        target = output_target(a.json, force=a.force, what="results file")

    def save(results: dict) -> None:
        if target is not None:
            write_output(json.dumps(results, indent=2), target)

    if a.workdir:
        wd = Path(a.workdir)
        wd.mkdir(parents=True, exist_ok=True)
        results = run(scales, a.repeat, wd, a.transcripts_upto, save)
    else:
        with tempfile.TemporaryDirectory(prefix="misalign-bench-") as d:
            results = run(scales, a.repeat, Path(d), a.transcripts_upto, save)
    say(table(results))
    return 0
