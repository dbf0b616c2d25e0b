"""Long-lived database lanes: the threads the explorer's queries run on.

Textual starts a new OS thread for every thread worker, and ``Corpus`` keeps one DuckDB cursor per
thread (with its macros installed, ~10 ms) for the life of the corpus. Jobs therefore go to a *lane* — a
single long-lived thread per kind of work (``LANES``): at most one cursor per lane, jobs of one lane run in
the order they were queued, and a slow facet count never delays a page of the table.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, TypeVar

from misalign_tui.data.reading.corpus import Corpus

T = TypeVar("T")
# Browse: counts, facets, pages, detail (the card, go to) and export; the reviewer workspace's reads and
# writes; the review screens' corpus queries; the session, search and charts screens.
LANES = ("counts", "facets", "pages", "detail", "export", "workspace", "review", "session", "search", "charts")


class DbLanes:
    """Run callables against the corpus on named lanes."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._running = 0
        self._lock = threading.Lock()

    def submit(self, lane: str, fn: Callable[..., T], *args, **kwargs) -> Future:
        """Queue ``fn(*args, **kwargs)`` on ``lane``; its Future."""
        if lane not in LANES:
            raise ValueError(f"unknown database lane {lane!r}; lanes: {', '.join(LANES)}")
        with self._lock:
            pool = self._pools.get(lane)
            if pool is None:
                pool = self._pools[lane] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"db-{lane}")
            self._running += 1
        future = pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def call(self, lane: str, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run ``fn`` on ``lane`` and wait for it (from a thread that may block)."""
        return self.submit(lane, fn, *args, **kwargs).result()

    def _finished(self, _future: Future) -> None:
        with self._lock:
            self._running -= 1

    @property
    def busy(self) -> bool:
        """True while any job is queued or running (what ctrl+c / Esc cancel)."""
        return self._running > 0

    def interrupt(self) -> None:
        self.corpus.interrupt()

    def drain(self, lane: str, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` s) for the jobs queued on ``lane`` — the workspace's writes before the
        app exits, so a bookmark or note made just before quitting is saved."""
        with self._lock:
            pool = self._pools.get(lane)
        if pool is not None:
            pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        self._pools.clear()
