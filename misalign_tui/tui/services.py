"""What the explorer's screens get from the app: one typed ``Services`` object, made by ``MisalignApp`` and
passed to every screen it opens (screens never look for attributes on the app).

``ServiceScreen`` is the base of those screens: it keeps the services and runs database work off the UI
thread, the one way every screen does it (``run_job``)."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING, Callable, TypeVar

import duckdb
from textual.message import Message
from textual.screen import Screen

from misalign_tui.data.errors import CorpusError
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.workspace.store import ReviewStore

from .lanes import DbLanes

if TYPE_CHECKING:
    from misalign_tui.data.reading.search import Searcher

T = TypeVar("T")


@dataclass
class Services:
    """The open corpus, its database lanes, the reviewer workspace (None: none could be placed), the app's
    copy (OSC 52 / tmux / local clipboard, with a toast) and when the app started (first-paint timing)."""

    corpus: Corpus
    lanes: DbLanes
    workspace: ReviewStore | None
    copy: Callable[[str, str], None]
    started: float = field(default_factory=perf_counter)
    full_text: Searcher | None = None  # made by ``searcher()``
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def searcher(self) -> Searcher:
        """The corpus' full-text search; the first call makes sure its index is current (rebuilding a missing
        or stale one into the cache folder), so call it on a lane, never on the UI thread."""
        from misalign_tui.data.building.search_index import ensure_index  # (loaded by the first search only)
        from misalign_tui.data.reading.search import Searcher

        with self._lock:
            if self.full_text is None:
                self.full_text = Searcher(self.corpus, ensure_index(self.corpus))
            return self.full_text


class JobFailed(Message):
    """A background job raised: ``error`` is one line for the screen; ``cancelled``: interrupted (ctrl+c / Esc)."""

    def __init__(self, job: str, gen: int, error: str, cancelled: bool = False) -> None:
        super().__init__()
        self.job, self.gen, self.error, self.cancelled = job, gen, error, cancelled


class Notice(Message):
    """A job's outcome for a toast (export written, note saved, …)."""

    def __init__(self, text: str, severity: str = "information", title: str = "") -> None:
        super().__init__()
        self.text, self.severity, self.title = text, severity, title


def describe_error(e: BaseException) -> str:
    """One line for any exception a job raised (a CorpusError's message is already one)."""
    if isinstance(e, CorpusError):
        return str(e)
    first = one_line(visible(str(e)), 200) if str(e) else ""
    return f"{type(e).__name__}: {first}" if first else type(e).__name__


class ServiceScreen(Screen):
    """A screen of the explorer: ``services`` from the app, ``run_job`` for work off the UI thread."""

    def __init__(self, services: Services, *, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.services = services

    @property
    def corpus(self) -> Corpus:
        return self.services.corpus

    def run_job(self, lane: str, fn: Callable[[], T], *, done: Callable[[T], Message | None], job: str,
                gen: int = 0, failed: Callable[[JobFailed], Message | None] | None = None,
                exclusive: bool = False) -> Future:
        """Queue ``fn`` on the database lane ``lane`` now (jobs of a lane run one at a time, in the order they
        were queued) and wait for it in a thread worker, which posts ``done(result)`` — or, if it raised
        anything, ``failed(JobFailed(…))`` (default: the JobFailed itself) — to this screen. ``gen`` is the
        generation the job was asked for: handlers compare it with the screen's and drop stale results.
        A message of None posts nothing (a job that found itself superseded)."""
        future = self.services.lanes.submit(lane, fn)

        def wait() -> None:
            try:
                value = future.result()
            except Exception as e:  # noqa: BLE001 — every failure is a message, never a crash
                msg = JobFailed(job, gen, describe_error(e), cancelled=isinstance(e, duckdb.InterruptException))
                msg = failed(msg) if failed is not None else msg
            else:
                msg = done(value)
            if msg is not None:
                self.post_message(msg)

        self.run_worker(wait, thread=True, group=job, exclusive=exclusive, exit_on_error=False)
        return future

    def on_job_failed(self, msg: JobFailed) -> None:
        if not msg.cancelled:
            self.notify(msg.error, title=f"{msg.job.capitalize()} failed", severity="error", markup=False)

    def on_notice(self, msg: Notice) -> None:
        self.notify(msg.text, title=msg.title, severity=msg.severity, markup=False)
