"""Long-lived database lanes for thread workers.

Textual starts a new OS thread for every thread worker, and ``Corpus`` keeps one DuckDB cursor per
thread (with its macros installed, ~10 ms) for the life of the corpus. Workers therefore hand their
query to a *lane* — a single long-lived thread per kind of work — and wait for it: at most one cursor
per lane, queries of one kind run in order, and a slow facet count never delays a page of the table.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

from misalign_tui.data.reading.corpus import Corpus

T = TypeVar("T")
# Lanes in use (any name works; a lane is created on first use): browse uses counts, facets, pages,
# detail and export; the session screen "session"; the charts screens "charts".
LANES = ("counts", "facets", "pages", "detail", "export", "session", "charts")


class DbLanes:
    """Run callables against the corpus on named lanes; ``call`` blocks the (worker) caller."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._running = 0
        self._lock = threading.Lock()

    def call(self, lane: str, fn: Callable[..., T], *args, **kwargs) -> T:
        pool = self._pools.get(lane)
        if pool is None:
            pool = self._pools[lane] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"db-{lane}")
        with self._lock:
            self._running += 1
        try:
            return pool.submit(fn, *args, **kwargs).result()
        finally:
            with self._lock:
                self._running -= 1

    @property
    def busy(self) -> bool:
        """True while any query is running (what ctrl+c / Esc cancel)."""
        return self._running > 0

    def interrupt(self) -> None:
        self.corpus.interrupt()

    def shutdown(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        self._pools.clear()
