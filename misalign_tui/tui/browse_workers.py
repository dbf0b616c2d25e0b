"""Every corpus call of the browse screen: thread workers that post messages (never touch widgets).

Workers run their query on a ``DbLanes`` lane and post the result with the generation it was asked
for; the screen's handlers own all state and drop stale results. A DuckDB interrupt (ctrl+c / Esc)
and any query error arrive as ``QueryFailed`` — shown, never a crash.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

import duckdb
from textual import work

from misalign_tui.data.errors import CorpusError
from misalign_tui.data.filters import Filters

from .messages import CountsLoaded, DetailLoaded, FacetsLoaded, GotoResolved, Notice, PageLoaded, QueryFailed

EXPORT_FORMATS = {"CSV": ("csv", "csv"), "JSONL": ("jsonl", "jsonl"), "Markdown": ("md", "md")}


class BrowseWorkers:
    """Mixin of ``BrowseScreen``: ``self.corpus``, ``self.app.db``, ``self.post_message``."""

    def _fail(self, gen: int, what: str, err: BaseException) -> None:
        if isinstance(err, duckdb.InterruptException):
            self.post_message(QueryFailed(gen, what, "cancelled", cancelled=True))
        else:
            self.post_message(QueryFailed(gen, what, str(err).splitlines()[0] if str(err) else repr(err)))

    @work(thread=True, exclusive=True, group="counts")
    def load_counts(self, gen: int, filters: Filters) -> None:
        c = self.corpus
        t0 = perf_counter()
        try:
            n, m = self.app.db.call("counts", lambda: (c.count(filters), c.scope_total(filters)))
        except (CorpusError, duckdb.Error) as e:
            self._fail(gen, "counts", e)
            return
        self.post_message(CountsLoaded(gen, n, m, (perf_counter() - t0) * 1000))

    @work(thread=True, exclusive=True, group="facets")
    def load_facets(self, gen: int, filters: Filters) -> None:
        c = self.corpus

        def job():
            if gen != self.gen:  # superseded while queued
                return None
            facets = c.facets(filters)
            _, denoms = c.facet_totals(filters)
            return facets, denoms

        t0 = perf_counter()
        try:
            out = self.app.db.call("facets", job)
        except (CorpusError, duckdb.Error) as e:
            self._fail(gen, "facets", e)
            return
        if out is not None:
            self.post_message(FacetsLoaded(gen, out[0], out[1], (perf_counter() - t0) * 1000))

    @work(thread=True, group="pages")
    def load_page(self, view: int, page: int, filters: Filters, sort: str, desc: bool, seed: int,
                  size: int) -> None:
        def job():
            if view != self.view:
                return None
            return self.corpus.page(filters, sort=sort, desc=desc, offset=page * size, limit=size, seed=seed)

        try:
            rows = self.app.db.call("pages", job)
        except (CorpusError, duckdb.Error) as e:
            self._fail(self.gen, "page", e)
            return
        self.post_message(PageLoaded(view, page, rows or []))

    @work(thread=True, group="detail")
    def load_detail(self, key: str, purpose: str = "show") -> None:
        def job():
            if purpose == "show" and key != self.detail_wanted:  # skipped rows while holding j
                return False
            return self.corpus.episode(key)

        try:
            detail = self.app.db.call("detail", job)
        except (CorpusError, duckdb.Error) as e:
            self._fail(self.gen, "detail", e)
            return
        if detail is not False:
            self.post_message(DetailLoaded(key, detail, purpose))

    @work(thread=True, exclusive=True, group="goto")
    def resolve_goto(self, query: str, view: int, filters: Filters, sort: str, desc: bool, seed: int) -> None:
        c = self.corpus

        def job():
            found = c.find(query)
            if found is None:
                return None, None, None
            kind, key = found
            if kind != "episode":  # a session opens at its first episode (None: it has none)
                rows = c.run("tui_session_first_episode", {"key": key})
                return kind, (rows[0][0] if rows else None), None
            detail = c.episode(key)
            pos = c.position(filters, detail.row["episode_no"], sort=sort, desc=desc, seed=seed) if detail else None
            return kind, key, pos

        try:
            kind, key, pos = self.app.db.call("detail", job)
        except (CorpusError, duckdb.Error) as e:
            self._fail(self.gen, "go to", e)
            return
        self.post_message(GotoResolved(query, kind, key, pos, view))

    @work(thread=True, group="export")
    def export(self, filters: Filters, label: str, out: str) -> None:
        fmt = EXPORT_FORMATS[label][0]
        try:
            from misalign_tui.data.building.export import export_episodes
        except ImportError:
            self.post_message(Notice("Export is not available in this build yet", "warning"))
            return
        try:
            result = self.app.db.call("export", export_episodes, self.corpus, filters, fmt, Path(out))
        except (CorpusError, OSError, duckdb.Error) as e:
            self.post_message(Notice(f"export failed: {e}", "error"))
            return
        done = f"{result:,} episodes" if isinstance(result, int) else "the selection"
        self.post_message(Notice(f"wrote {done} to {out}", title=f"Exported {label}"))
