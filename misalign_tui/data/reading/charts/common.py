"""Constants, chart kinds and small helpers (months, fractions, argument checks) shared by the chart modules."""

from __future__ import annotations

from datetime import date

from ...errors import CorpusError
from ...filters import Filters
from ...taxonomy import AXIS_BY_NAME, EPISODE_FACETS, FACET_AXES, SYMPTOMS

PLATFORMS = ("IDE", "CLI")
DEFAULT_SINCE = "2025-02-01"
SHARE_SYMPTOMS = tuple(s for s in SYMPTOMS if s != "S8")  # S8 is left out of the share timeline
MAX_BARS = 20  # distribution charts show at most this many values (tables show all)

CHART_KINDS = ("monthly", "monthly-sessions", "symptom-share", "cause-share", "per-user-turn", "distribution")
# How the kinds are spelled on the command line (a distribution names its axis).
KIND_NAMES = tuple(k if k != "distribution" else "distribution:<axis>" for k in CHART_KINDS)
TABLE_KINDS = ("sxc", "cooccurrence", "severity-locus", "symptom-resolver", "lift", "persistence")
COOCCURRENCE_METRICS = ("count", "jaccard", "lift", "cond")
METRIC_TITLES = {"count": "count", "jaccard": "Jaccard", "lift": "lift", "cond": "P(column | row)"}
DISTRIBUTION_AXES = tuple(a.name for a in FACET_AXES)
# Axes counted by chart_episodes.sql (the rest come from chart_values.sql on demand).
EPISODE_VALUE_AXES = tuple(a.name for a in EPISODE_FACETS)


def _div(a, b):
    return a / b if b else None


def _pct(a, b):
    return 100.0 * a / b if b else None


def month_range(first: str, last: str) -> list[str]:
    """Every calendar month from ``first`` to ``last`` (YYYY-MM), inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def month_index(month: str) -> int:
    """Months since year 0 (so consecutive calendar months differ by 1)."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    """Least-squares line y = a + b·x through the points: (a, b); None with fewer than 2 distinct x."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


def check_date(s: str) -> str:
    try:
        return date.fromisoformat(s).isoformat()
    except (TypeError, ValueError):
        raise CorpusError(f"--since {s}: expected a date YYYY-MM-DD") from None


def check_axis(axis: str) -> str:
    ax = AXIS_BY_NAME.get(axis.strip().lower())
    if ax is None or not ax.facet:
        raise CorpusError(f"unknown axis {axis!r}; valid: {', '.join(DISTRIBUTION_AXES)}")
    return ax.name


def share_filters(f: Filters, since: str | None) -> Filters:
    """``f`` restricted to sessions on or after ``since`` (the later of it and f's own ``since``)."""
    if not since:
        return f
    since = check_date(since)
    own = f.get("since")
    return f.with_values("since", [max(since, own[0]) if own else since])


def _platforms(present) -> tuple[str, ...]:
    names = [p for p in PLATFORMS if p in present]
    names += sorted(p for p in present if p not in PLATFORMS)
    return tuple(names)


def _plat(p) -> str:
    return p if p is not None else "Unknown"


MAX_GAP = 24  # months without data filled in between two months with data; a longer gap is skipped


def _continuous(months) -> tuple[str, ...]:
    """The months of the data, with the gaps between them filled (0 for counts) — up to MAX_GAP months: a
    timestamp of year 1 or 9999 (Go's zero time, a placeholder) would otherwise make an axis of ~120,000
    months, which took minutes to draw. So the axis is the data's real range, each cluster continuous."""
    months = sorted({m for m in months if m is not None})
    out: list[str] = []
    for m in months:
        if out and month_index(m) - month_index(out[-1]) <= MAX_GAP + 1:
            out += month_range(out[-1], m)[1:]
        else:
            out.append(m)
    return tuple(out)


def parse_kind(kind: str) -> tuple[str, str | None]:
    """("distribution", "cause") for "distribution:cause"; CorpusError for an unknown kind, axis or metric."""
    k = kind.strip().lower()
    base, _, arg = k.partition(":")
    if base == "distribution":
        return base, check_axis(arg or "symptom")
    if base in ("cooccurrence", "lift") and arg:
        if arg not in COOCCURRENCE_METRICS + ("pairs",):
            raise CorpusError(f"unknown metric {arg!r} for {base}; valid: {', '.join(COOCCURRENCE_METRICS)}, pairs")
        return base, arg
    if arg or (base not in CHART_KINDS and base not in TABLE_KINDS):
        raise CorpusError(f"unknown chart kind {kind!r}; valid: {', '.join(KIND_NAMES + TABLE_KINDS)}")
    return base, None
