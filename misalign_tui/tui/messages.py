"""Results of the browse screen's jobs (``ServiceScreen.run_job``; a failure is a ``JobFailed``).

Each result carries the generation it was asked for; the screen drops it when the filters (``gen``)
or the filters-and-sort (``view``) have changed since.
"""

from __future__ import annotations

from textual.message import Message

from misalign_tui.data.reading.corpus import EpisodeDetail, EpisodeRow, FacetValue


class CountsLoaded(Message):
    """N of M: episodes selected by the filters, and the validation scope's total."""

    def __init__(self, gen: int, count: int, scope: int, ms: float) -> None:
        super().__init__()
        self.gen, self.count, self.scope, self.ms = gen, count, scope, ms


class FacetsLoaded(Message):
    """Every facet's value counts, and per axis the episodes its percentages are of."""

    def __init__(self, gen: int, facets: dict[str, list[FacetValue]], denominators: dict[str, int],
                 ms: float, present: frozenset[str] | None = None) -> None:
        super().__init__()
        self.gen, self.facets, self.denominators, self.ms = gen, facets, denominators, ms
        self.present = present  # axes with a value anywhere in the corpus


class PageLoaded(Message):
    """Rows ``page * size`` … of the table under the view generation ``view``."""

    def __init__(self, view: int, page: int, rows: list[EpisodeRow]) -> None:
        super().__init__()
        self.view, self.page, self.rows = view, page, rows


class DetailLoaded(Message):
    """An episode's full record (None: no such key); ``purpose`` is "show" (detail pane) or "cite"."""

    def __init__(self, key: str, detail: EpisodeDetail | None, purpose: str = "show") -> None:
        super().__init__()
        self.key, self.detail, self.purpose = key, detail, purpose


class GotoResolved(Message):
    """``ctrl+g``: what a typed key is, and its row in the current view (None: not selected). For a
    session, ``key`` is the episode to open it at (None: the session has no episode)."""

    def __init__(self, query: str, kind: str | None, key: str | None, position: int | None,
                 view: int) -> None:
        super().__init__()
        self.query, self.kind, self.key, self.position, self.view = query, kind, key, position, view
