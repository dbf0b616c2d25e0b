"""Facet counts from the counting tables (``facet_sql``): one statement per refresh, decoded here.

``compute`` runs ``queries/facets.sql`` for the active filter keys and turns its rows (pass, GROUPING id,
dictionary code or bit mask, count) into ``FacetValue`` lists per axis, the facet totals (the % denominators)
and, for the growing axes (repo), how many values were left out of the top ``FACET_TOP``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facet_sql import FACET_TOP, facet_plan, pass_axes
from ..filters import Filters
from ..taxonomy import AXIS_BY_NAME, FACET_AXES, VALIDATION_AXES, Axis, gloss


@dataclass(frozen=True)
class FacetValue:
    axis: str
    value: str
    count: int
    gloss: str


class Facets(dict):
    """``{axis: [FacetValue, …]}`` for every facet axis, plus ``more``: per growing axis (repo), how many
    values with episodes are not in its list (only its top ``FACET_TOP`` by count and the selected values
    are; ``Corpus.facet_values`` gives them all)."""

    def __init__(self, values: dict[str, list[FacetValue]], more: dict[str, int]):
        super().__init__(values)
        self.more = more


def active_filter_keys(params: dict) -> frozenset[str]:
    """The filter keys of a ``Filters.params()`` struct that can fail a row."""
    return frozenset(k for k, v in params.items() if v not in ([], "", False, None) and k != "regex")


def ordered_values(ax: Axis, counts: dict[str, int], selected: tuple[str, ...]) -> list[FacetValue]:
    """Every value of ``ax`` to show: counted, in its vocabulary or selected; by code for ordered axes,
    else by count."""
    values = set(counts) | set(ax.codes or ()) | set(selected)
    if ax.codes:
        order = list(ax.codes)
        vals = sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))
    elif ax.ordered:
        vals = sorted(values)
    else:
        vals = sorted(values, key=lambda v: (-counts.get(v, 0), v))
    return [FacetValue(ax.name, v, counts.get(v, 0), gloss(ax.name, v)) for v in vals]


@dataclass
class FacetResult:
    facets: Facets
    selected: int
    totals: dict[str, int]


def compute(corpus, f: Filters) -> FacetResult:
    params = f.params()
    active = active_filter_keys(params)
    rows = corpus.run("facets", {"f": params})
    words = corpus.facet_dictionary()
    plan = dict(facet_plan(active))
    counts: dict[str, dict[str, int]] = {ax.name: {} for ax in FACET_AXES}
    pass_total: dict[str, int] = {}
    listed: dict[str, int] = {}
    for name, g, code, n, more in rows:
        ax = pass_axes(name, plan[name], g)
        if ax is None:
            pass_total[name] = int(n or 0)
            continue
        if code is None:
            continue
        mine = counts[ax.name]
        if ax.multi:
            for i, value in enumerate(ax.codes):
                if code >> i & 1:
                    mine[value] = mine.get(value, 0) + n
        else:
            value = words[ax.name][code]
            mine[value] = mine.get(value, 0) + n
        if more is not None:
            listed[ax.name] = int(more)
    selected = pass_total.get("main", 0)
    totals = {}
    for ax in FACET_AXES:
        if ax.name in active:
            totals[ax.name] = pass_total.get(ax.name, 0)
        elif ax.name in VALIDATION_AXES and "default_valid" in active:
            totals[ax.name] = pass_total.get("scope", 0)
        else:
            totals[ax.name] = selected
    values = {ax.name: ordered_values(ax, counts[ax.name], f.get(ax.name)) for ax in FACET_AXES}
    more = {}
    for name, n_values in listed.items():
        shown = sum(1 for v in values[name] if v.count)
        more[name] = max(0, n_values - shown)
    return FacetResult(Facets(values, more), selected, totals)


def all_values(corpus, f: Filters, axis: str) -> list[FacetValue]:
    """Every value of one facet axis with its count (for a growing axis: not only the top ``FACET_TOP``)."""
    ax = AXIS_BY_NAME[axis]
    if not ax.grows:
        return corpus.facets(f)[ax.name]
    words = corpus.facet_dictionary()[ax.name]
    rows = corpus.run("facet_values", {"f": f.params()})
    counts = {words[code]: n for name, code, n in rows if name == ax.name and code is not None}
    return ordered_values(ax, counts, f.get(ax.name))


__all__ = ["FACET_TOP", "FacetValue", "Facets", "FacetResult", "compute", "all_values", "active_filter_keys"]
