"""Every corpus call of the browse screen, as jobs on the database lanes (``ServiceScreen.run_job``).

Each job posts its result with the generation it was asked for; the screen's handlers own all state
and drop stale ones. A DuckDB interrupt (ctrl+c / Esc) and any other failure arrive as ``JobFailed``
— shown, never a crash.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

from misalign_tui.data.building.export import export_episodes
from misalign_tui.data.filters import Filters

from .messages import CountsLoaded, DetailLoaded, FacetsLoaded, GotoResolved, PageLoaded
from .services import Notice

EXPORT_FORMATS = {"CSV": ("csv", "csv"), "JSONL": ("jsonl", "jsonl"), "Markdown": ("md", "md")}


def _ms(t0: float) -> float:
    return (perf_counter() - t0) * 1000


class BrowseWorkers:
    """Mixin of ``BrowseScreen`` (a ServiceScreen: ``self.corpus``, ``self.run_job``, ``self.gen``, ``self.view``)."""

    def load_counts(self, gen: int, filters: Filters) -> None:
        c, t0 = self.corpus, perf_counter()
        self.run_job("counts", lambda: (c.count(filters), c.scope_total(filters)),
                     done=lambda r: CountsLoaded(gen, r[0], r[1], _ms(t0)), job="counts", gen=gen, exclusive=True)

    def load_facets(self, gen: int, filters: Filters) -> None:
        c, t0 = self.corpus, perf_counter()

        def job():
            if gen != self.gen:  # superseded while queued
                return None
            present = frozenset(axis for axis, values in c.known_values().items() if values)  # cached after once
            return c.facets(filters), c.facet_totals(filters)[1], present

        self.run_job("facets", job, done=lambda r: r and FacetsLoaded(gen, r[0], r[1], _ms(t0), r[2]), job="facets",
                     gen=gen, exclusive=True)

    def load_page(self, view: int, page: int, filters: Filters, sort: str, desc: bool, seed: int,
                  size: int) -> None:
        def job():
            if view != self.view:
                return None
            return self.corpus.page(filters, sort=sort, desc=desc, offset=page * size, limit=size, seed=seed)

        self.run_job("pages", job, done=lambda rows: PageLoaded(view, page, rows or []), job="page", gen=self.gen)

    def load_detail(self, key: str, purpose: str = "show") -> None:
        def job():
            if purpose == "show" and key != self.detail_wanted:  # skipped rows while holding j
                return False
            return self.corpus.episode(key)

        self.run_job("detail", job, done=lambda d: None if d is False else DetailLoaded(key, d, purpose),
                     job="detail", gen=self.gen)

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

        self.run_job("detail", job, done=lambda r: GotoResolved(query, *r, view), job="go to", gen=self.gen,
                     exclusive=True)

    def export(self, filters: Filters, label: str, out: str) -> None:
        from misalign_tui.data.outputs import protect

        fmt = EXPORT_FORMATS[label][0]
        ws = self.services.workspace
        # the write guard: never an existing file (the explorer has no --force), the corpus, its index or the
        # workspace; never the terminal the explorer draws on (stdout, a device)
        inputs = protect(ws.path, "the reviewer workspace") if ws is not None else []
        self.run_job("export", lambda: export_episodes(self.corpus, filters, fmt, Path(out).expanduser(),
                                                       inputs=inputs, stream=False),
                     done=lambda n: Notice(f"wrote {n:,} episodes to {out}", title=f"Exported {label}"), job="export",
                     failed=lambda f: Notice(f"export failed: {f.error}", "error"))
