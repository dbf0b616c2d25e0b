"""The counts fetched from DuckDB (chart_episodes.sql) and the per-axis value distributions built from them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ...errors import CorpusError
from ...filters import Filters
from ...taxonomy import AXIS_BY_NAME
from ..corpus import Corpus
from .common import COOCCURRENCE_METRICS, _div, _pct, _plat, _platforms


@dataclass(frozen=True)
class PairCounts:
    """n_ab for every ordered pair of symptoms (n_aa = n_a) over n units (episodes or sessions)."""

    n: int
    pairs: dict  # (a, b) -> n_ab

    def n_a(self, a: str) -> int:
        return self.pairs.get((a, a), 0)

    def metric(self, a: str, b: str, metric: str):
        """count (n_ab), jaccard, lift or cond (= P(b | a)); None on the diagonal except for count."""
        nab, na, nb, n = self.pairs.get((a, b), 0), self.n_a(a), self.n_a(b), self.n
        if metric == "count":
            return nab
        if metric not in COOCCURRENCE_METRICS:
            raise CorpusError(f"unknown metric {metric!r}; valid: {', '.join(COOCCURRENCE_METRICS)}")
        if a == b:
            return None
        if metric == "jaccard":
            return _div(nab, na + nb - nab)
        if metric == "lift":
            return _div(nab * n, na * nb)
        return _div(nab, na)


@dataclass(frozen=True)
class EpisodeCounts:
    """The rows of chart_episodes.sql, keyed (see the query's header for each part)."""

    scope: dict  # (kind, platform) -> n ; kind: episodes / with_locus / with_resolver
    month: dict  # (month, platform) -> episodes
    smonth: dict  # (month, platform) -> sessions with >= 1 episode
    label: dict  # (month, code) -> label occurrences
    value: dict  # (axis, value, platform) -> episodes
    sevloc: dict  # (severity, locus) -> episodes
    symrv: dict  # (symptom, resolver) -> episodes
    pairs: PairCounts
    spairs: PairCounts

    def total(self, kind: str = "episodes") -> int:
        return sum(v for (k, _), v in self.scope.items() if k == kind)

    def platforms(self) -> tuple[str, ...]:
        return _platforms({p for (_, p) in self.scope})


def fetch_episode_counts(corpus: Corpus, f: Filters) -> EpisodeCounts:
    parts: dict[str, dict] = defaultdict(dict)
    for part, a, b, plat, n in corpus.run("chart_episodes", {"f": f.params()}):
        n = int(n or 0)
        if part == "scope":
            parts[part][(a, _plat(plat))] = n
        elif part in ("month", "smonth"):
            parts[part][(a, _plat(plat))] = n
        elif part == "value":
            key = (a, b, _plat(plat))
            parts[part][key] = parts[part].get(key, 0) + n
        elif part == "sessions":
            parts[part][None] = n
        else:
            parts[part][(a, b)] = n
    episodes = sum(v for (k, _), v in parts["scope"].items() if k == "episodes")
    return EpisodeCounts(parts["scope"], parts["month"], parts["smonth"], parts["label"], parts["value"],
                         parts["sevloc"], parts["symrv"], PairCounts(episodes, parts["pair"]),
                         PairCounts(parts["sessions"].get(None, 0), parts["spair"]))


@dataclass(frozen=True)
class Distribution:
    """Episodes per value of one axis and platform ("all" = every platform), with the denominators."""

    axis: str
    values: tuple[str, ...]
    counts: dict  # (value, platform | "all") -> n
    denominators: dict  # platform | "all" -> n
    platforms: tuple[str, ...]
    scope: str

    def pct(self, value: str, platform: str = "all"):
        return _pct(self.counts.get((value, platform), 0), self.denominators.get(platform, 0))


def _order_values(axis: str, counts: dict) -> tuple[str, ...]:
    ax = AXIS_BY_NAME[axis]
    present = {v for v, _ in counts}
    if ax.codes:
        order = list(ax.codes)
        return tuple(sorted(set(order) | present, key=lambda v: (order.index(v) if v in order else len(order), v)))
    if ax.ordered:
        return tuple(sorted(present))
    return tuple(sorted(present, key=lambda v: (-counts.get((v, "all"), 0), v)))
