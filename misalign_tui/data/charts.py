"""The numbers behind the charts and cross-tables, computed by DuckDB for any Filters.

``ChartData(corpus, filters)`` fetches the counts once (lazily, cached per object) and builds every
``Chart`` (x labels + named series) and ``Table`` (rows of cells, ``markdown()``) from them. The
module-level functions (``episodes_per_month(corpus, f)`` …) are one-shot shortcuts. Nothing here
imports textual or rich: the same objects feed the Textual screen (``misalign_tui.tui.charts``) and
``misalign-tui chart``.

Queries: ``chart_episodes.sql`` (one scan of the selected episodes: every episode-level count),
``chart_sessions.sql`` (sessions and user turns per month), ``chart_values.sql`` (open facet axes, on
demand); the symptom × cause table and persistence reuse ``stats``.

Conventions follow ``stats.py`` and ../shared/reference/README.md §3: percentages are in percent and
unrounded; probabilities, lifts and rates are plain fractions. Months are calendar months of the
session timestamp; month axes are continuous (a month without data is 0 for counts, None for rates
and shares).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from . import stats
from .corpus import Corpus
from .errors import CorpusError
from .filters import Filters
from .taxonomy import AXIS_BY_NAME, CAUSES, FACET_AXES, LOCI, RESOLVERS, SEVERITIES, SYMPTOMS, gloss, label

PLATFORMS = ("IDE", "CLI")
DEFAULT_SINCE = "2025-02-01"
SHARE_SYMPTOMS = tuple(s for s in SYMPTOMS if s != "S8")  # S8 is left out of the share timeline
MAX_BARS = 20  # distribution charts show at most this many values (tables show all)

CHART_KINDS = ("monthly", "monthly-sessions", "symptom-share", "cause-share", "per-user-turn", "distribution")
TABLE_KINDS = ("sxc", "cooccurrence", "severity-locus", "symptom-resolver", "lift", "persistence")
COOCCURRENCE_METRICS = ("count", "jaccard", "lift", "cond")
METRIC_TITLES = {"count": "count", "jaccard": "Jaccard", "lift": "lift", "cond": "P(column | row)"}
DISTRIBUTION_AXES = tuple(a.name for a in FACET_AXES)
# Axes counted by chart_episodes.sql (the rest come from chart_values.sql on demand).
EPISODE_VALUE_AXES = ("symptom", "cause", "tier", "severity", "locus", "status", "resolver", "goal", "confidence",
                      "validation", "invalid_category")


# ----------------------------------------------------------------------------------------------
# result types
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    name: str  # "IDE", "S3", "trend"
    label: str  # legend text
    values: tuple  # one value (int / float / None) per x label


@dataclass(frozen=True)
class Chart:
    """One chart: ``x`` labels and ``series`` of equal length.

    ``style``: stacked (bars stacked by series), grouped (bars side by side) or lines. ``fmt`` is how
    the values print (int, pct, rate). ``n`` / ``n_label`` say what the chart counts."""

    kind: str
    title: str
    xlabel: str
    ylabel: str
    x: tuple[str, ...]
    series: tuple[Series, ...]
    style: str
    fmt: str
    n: int
    n_label: str
    scope: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def get(self, name: str) -> Series:
        for s in self.series:
            if s.name == name:
                return s
        raise KeyError(name)

    def values(self, name: str) -> dict:
        """{x label: value} of one series."""
        return dict(zip(self.x, self.get(name).values))

    def is_empty(self) -> bool:
        return not self.x or all(v in (None, 0) for s in self.series for v in s.values)

    def table(self) -> "Table":
        """The chart's numbers as a Table (x down, series across)."""
        return Table(kind=self.kind, title=self.title, columns=(self.xlabel,) + tuple(s.label for s in self.series),
                     rows=tuple((x,) + tuple(s.values[i] for s in self.series) for i, x in enumerate(self.x)),
                     formats=("label",) + (self.fmt,) * len(self.series), n=self.n, n_label=self.n_label,
                     scope=self.scope, note=self.note)

    def markdown(self) -> str:
        return self.table().markdown()


@dataclass(frozen=True)
class Table:
    """A cross-table. The first column holds row labels; ``formats`` says how each column prints
    (label, int, pct, ratio, prob, rate, diff, pval, num); ``heat`` lists the columns a heat table shades."""

    kind: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    formats: tuple[str, ...]
    n: int
    n_label: str
    scope: str = ""
    note: str = ""
    heat: tuple[int, ...] = ()
    extra: dict = field(default_factory=dict)

    def cell(self, row: int, col: int) -> str:
        return format_value(self.rows[row][col], self.formats[col])

    def row(self, code: str) -> tuple:
        """The row whose label is ``code`` or starts with ``code + ' '``."""
        for r in self.rows:
            if r[0] == code or str(r[0]).startswith(code + " "):
                return r
        raise KeyError(code)

    def value(self, code: str, column: str):
        return self.row(code)[self.columns.index(column)]

    def heat_range(self) -> tuple[float, float] | None:
        vals = [r[c] for r in self.rows for c in self.heat if isinstance(r[c], (int, float))]
        return (min(vals), max(vals)) if vals else None

    def markdown(self) -> str:
        return table_markdown(self)


def format_value(v, fmt: str) -> str:
    """How a cell prints (tables, Markdown, the TUI): None is an em dash."""
    if v is None:
        return "—"
    if fmt == "label" or isinstance(v, str):
        return str(v)
    if fmt == "int":
        return str(int(v))
    if fmt in ("pct", "ratio"):
        return f"{v:.2f}"
    if fmt == "prob":
        return f"{v:.3f}"
    if fmt == "rate":
        return f"{v:.6f}"
    if fmt == "diff":
        return f"{v:+.2f}"
    if fmt == "pval":
        return "<0.0001" if v < 0.0001 else f"{v:.4f}"
    if isinstance(v, int):
        return str(v)
    return f"{v:.3f}"


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def table_markdown(t: Table) -> str:
    """The table as GitHub Markdown: a heading, the filters and n, the table, and its note."""
    lines = [f"### {_md_escape(t.title)}", ""]
    meta = f"n = {t.n} {t.n_label}"
    if t.scope:
        meta = f"Filters: {_md_escape(t.scope)} · " + meta
    lines += [meta, ""]
    lines.append("| " + " | ".join(_md_escape(c) for c in t.columns) + " |")
    lines.append("|" + "|".join(":---" if f == "label" else "---:" for f in t.formats) + "|")
    for r in t.rows:
        lines.append("| " + " | ".join(_md_escape(format_value(v, f)) for v, f in zip(r, t.formats)) + " |")
    if t.note:
        lines += ["", _md_escape(t.note)]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
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


def _continuous(months) -> tuple[str, ...]:
    months = sorted(m for m in months if m is not None)
    return tuple(month_range(months[0], months[-1])) if months else ()


# ----------------------------------------------------------------------------------------------
# fetched counts
# ----------------------------------------------------------------------------------------------
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


# ----------------------------------------------------------------------------------------------
# ChartData: every chart and table for one (corpus, filters)
# ----------------------------------------------------------------------------------------------
class ChartData:
    """Counts for one corpus and Filters, fetched on first use and cached; builds charts and tables.

    Use it from one thread at a time (the corpus' cursors are per thread)."""

    def __init__(self, corpus: Corpus, f: Filters, *, since: str | None = DEFAULT_SINCE):
        self.corpus = corpus
        self.filters = f
        self.since = check_date(since) if since else None
        self.scope = f.describe()
        self._ec: EpisodeCounts | None = None
        self._sessions: dict | None = None
        self._labels_since: dict = {}
        self._values: dict | None = None
        self._sxc = None
        self._persistence = None

    # ----- fetching ---------------------------------------------------------------------------
    @property
    def episodes(self) -> EpisodeCounts:
        if self._ec is None:
            self._ec = fetch_episode_counts(self.corpus, self.filters)
        return self._ec

    @property
    def sessions(self) -> dict:
        """(month, platform) -> (sessions, user_turns); month None = undated."""
        if self._sessions is None:
            self._sessions = {(m, _plat(p)): (s, u) for m, p, s, u in
                              self.corpus.run("chart_sessions", {"f": self.filters.params()})}
        return self._sessions

    def label_counts(self, since: str | None) -> dict:
        """(month, code) -> label occurrences of episodes with session ts >= since."""
        since = check_date(since) if since else None
        if since not in self._labels_since:
            if since is None:
                self._labels_since[since] = self.episodes.label
            elif since.endswith("-01"):  # whole months: exact from the monthly counts
                self._labels_since[since] = {k: v for k, v in self.episodes.label.items() if k[0] >= since[:7]}
            else:
                ec = fetch_episode_counts(self.corpus, share_filters(self.filters, since))
                self._labels_since[since] = ec.label
        return self._labels_since[since]

    def value_counts(self, axis: str) -> dict:
        """(value, platform) -> episodes carrying the value of ``axis``."""
        axis = check_axis(axis)
        ec = self.episodes
        if axis in EPISODE_VALUE_AXES:
            return {(v, p): n for (a, v, p), n in ec.value.items() if a == axis}
        if axis == "platform":
            return {(p, p): n for (k, p), n in ec.scope.items() if k == "episodes" and p != "Unknown"}
        if axis == "month":
            return {(m, p): n for (m, p), n in ec.month.items() if m is not None}
        if self._values is None:
            vals: dict = defaultdict(dict)
            for a, v, p, n in self.corpus.run("chart_values", {"f": self.filters.params()}):
                vals[a][(v, _plat(p))] = vals[a].get((v, _plat(p)), 0) + n
            self._values = vals
        return dict(self._values.get(axis, {}))

    # ----- monthly ------------------------------------------------------------------------------
    def _months(self) -> tuple[str, ...]:
        return _continuous({m for m, _ in self.sessions} | {m for m, _ in self.episodes.month})

    def _month_platforms(self) -> tuple[str, ...]:
        return _platforms({p for _, p in self.sessions} | {p for _, p in self.episodes.month})

    def monthly(self) -> Chart:
        """Selected episodes per calendar month of the session timestamp, stacked by platform."""
        ec, months, plats = self.episodes, self._months(), self._month_platforms()
        series = tuple(Series(p, p, tuple(ec.month.get((m, p), 0) for m in months)) for p in plats)
        undated = sum(n for (m, _), n in ec.month.items() if m is None)
        return Chart("monthly", "Misalignment episodes per month", "Month", "Episodes", months, series, "stacked",
                     "int", sum(sum(s.values) for s in series), "episodes", self.scope,
                     f"{undated} episodes without a timestamp are not shown." if undated else "",
                     {"total": {m: sum(ec.month.get((m, p), 0) for p in plats) for m in months}})

    def monthly_sessions(self) -> Chart:
        """Sessions per month (session-level axes only, as in stats), stacked by platform."""
        ses, ec, months, plats = self.sessions, self.episodes, self._months(), self._month_platforms()
        series = tuple(Series(p, p, tuple(ses.get((m, p), (0, 0))[0] for m in months)) for p in plats)
        undated = sum(s for (m, _), (s, _u) in ses.items() if m is None)
        note = "Episode-level filters do not restrict sessions."
        if undated:
            note += f" {undated} sessions without a timestamp are not shown."
        return Chart("monthly-sessions", "Sessions per month", "Month", "Sessions", months, series, "stacked", "int",
                     sum(sum(s.values) for s in series), "sessions", self.scope, note,
                     {"with_episode": {m: sum(ec.smonth.get((m, p), 0) for p in plats) for m in months}})

    def per_user_turn(self) -> Chart:
        """Episodes / Σ user_turns of the sessions of each month, overall and per platform, with the
        least-squares linear trend of the overall rate (``extra['slope']`` = change per month)."""
        ses, ec, months, plats = self.sessions, self.episodes, self._months(), self._month_platforms()

        def rate(m, ps):
            return _div(sum(ec.month.get((m, p), 0) for p in ps), sum(ses.get((m, p), (0, 0))[1] for p in ps))

        overall = tuple(rate(m, plats) for m in months)
        series = [Series("all", "All sessions", overall)]
        series += [Series(p, p, tuple(rate(m, (p,)) for m in months)) for p in plats]
        pts = [(month_index(m), v) for m, v in zip(months, overall) if v is not None]
        fit = linear_fit([x for x, _ in pts], [y for _, y in pts])
        extra: dict = {"slope": None, "intercept": None, "points": len(pts)}
        if fit is not None:
            a, b = fit
            extra.update(slope=b, intercept=a + b * month_index(months[0]))  # value at the first month
            series.append(Series("trend", f"Trend {b:+.6f}/month", tuple(a + b * month_index(m) for m in months)))
        episodes = sum(n for (m, _), n in ec.month.items() if m is not None)
        uturns = sum(u for (m, _), (_s, u) in ses.items() if m is not None)
        extra.update(episodes=episodes, user_turns=uturns)
        return Chart("per-user-turn", "Misalignments per user turn", "Month", "Episodes / user turn", months,
                     tuple(series), "lines", "rate", episodes, "episodes", self.scope,
                     f"Rate = episodes / Σ user turns of the month's sessions (Σ = {uturns}); trend = least-squares "
                     "line over the months with user turns.", extra)

    # ----- share timelines ----------------------------------------------------------------------
    def _share(self, axis: str, since: str | None) -> Chart:
        since = self.since if since == "default" else (check_date(since) if since else None)
        counts = self.label_counts(since)
        codes = SHARE_SYMPTOMS if axis == "symptom" else tuple(CAUSES)
        totals: dict = defaultdict(int)
        for (m, c), n in counts.items():
            if c in codes:
                totals[m] += n
        months = _continuous(m for m, t in totals.items() if t)
        series = tuple(Series(c, label(axis, c), tuple(
            _pct(counts.get((m, c), 0), totals[m]) if totals.get(m) else None for m in months)) for c in codes)
        what = axis.capitalize()
        note = f"Share = label occurrences / {codes[0]}–{codes[-1]} occurrences that month"
        note += " (S8 left out of both)." if axis == "symptom" else "."
        return Chart(f"{axis}-share", f"{what} share per month" + (f", sessions since {since}" if since else ""),
                     "Month", "Share of labels (%)", months, series, "lines", "pct",
                     sum(totals.values()), f"{axis} label occurrences", self.scope, note,
                     {"totals": {m: totals.get(m, 0) for m in months},
                      "counts": {c: {m: counts.get((m, c), 0) for m in months} for c in codes}, "since": since})

    def symptom_share(self, since: str | None = "default") -> Chart:
        """Share of S1–S7 label occurrences per month (S8 left out), sessions since ``since``."""
        return self._share("symptom", since)

    def cause_share(self, since: str | None = "default") -> Chart:
        """Share of C1–C7 label occurrences per month, sessions since ``since``."""
        return self._share("cause", since)

    # ----- distributions ------------------------------------------------------------------------
    def distribution_counts(self, axis: str) -> Distribution:
        axis = check_axis(axis)
        raw = self.value_counts(axis)
        counts: dict = defaultdict(int)
        for (v, p), n in raw.items():
            counts[(v, p)] += n
            counts[(v, "all")] += n
        kind = {"locus": "with_locus", "resolver": "with_resolver"}.get(axis, "episodes")
        den: dict = defaultdict(int)
        for (k, p), n in self.episodes.scope.items():
            if k == kind:
                den[p] += n
                den["all"] += n
        return Distribution(axis, _order_values(axis, counts), dict(counts), dict(den),
                            _platforms({p for p in den if p != "all"}), self.scope)

    @staticmethod
    def _dist_note(axis: str) -> str:
        if axis == "locus":
            return "% of episodes with a damage locus (DS2/DS3)."
        if axis == "resolver":
            return "% of episodes with a resolver (RS1)."
        if AXIS_BY_NAME[axis].multi:
            return "% of episodes; an episode can carry several values, so a column sums to more than 100."
        return "% of episodes."

    def distribution(self, axis: str = "symptom") -> Chart:
        """Percent of episodes per value of ``axis``, one bar per platform (IDE vs CLI side by side)."""
        d = self.distribution_counts(axis)
        ax = AXIS_BY_NAME[d.axis]
        values, note = d.values, self._dist_note(d.axis)
        if len(values) > MAX_BARS:
            top = set(sorted(values, key=lambda v: -d.counts.get((v, "all"), 0))[:MAX_BARS])
            values = tuple(v for v in d.values if v in top)
            note += f" The {MAX_BARS} most frequent of {len(d.values)} values are shown."
        series = tuple(Series(p, p, tuple(d.pct(v, p) for v in values)) for p in d.platforms)
        n_label = {"locus": "episodes with a locus", "resolver": "episodes with a resolver"}.get(d.axis, "episodes")
        return Chart(f"distribution:{d.axis}", f"{ax.title} distribution, IDE vs CLI", ax.title, "% of episodes",
                     values, series, "grouped", "pct", d.denominators.get("all", 0), n_label, self.scope, note,
                     {"counts": {v: {p: d.counts.get((v, p), 0) for p in d.platforms + ("all",)} for v in d.values},
                      "denominators": d.denominators, "glosses": {v: gloss(d.axis, v) for v in values}})

    def distribution_table(self, axis: str = "symptom") -> Table:
        """Count and % of every value of ``axis``, overall and per platform."""
        d = self.distribution_counts(axis)
        cols, fmts = ["Value", "n", "%"], ["label", "int", "pct"]
        for p in d.platforms:
            cols += [f"{p} n", f"{p} %"]
            fmts += ["int", "pct"]
        rows = []
        for v in d.values:
            r = [label(d.axis, v), d.counts.get((v, "all"), 0), d.pct(v)]
            for p in d.platforms:
                r += [d.counts.get((v, p), 0), d.pct(v, p)]
            rows.append(tuple(r))
        n_label = {"locus": "episodes with a locus", "resolver": "episodes with a resolver"}.get(d.axis, "episodes")
        return Table(f"distribution:{d.axis}", f"{AXIS_BY_NAME[d.axis].title} distribution", tuple(cols), tuple(rows),
                     tuple(fmts), d.denominators.get("all", 0), n_label, self.scope, self._dist_note(d.axis),
                     tuple(i for i, c in enumerate(cols) if c.endswith("%")), {"denominators": d.denominators})

    # ----- tables -------------------------------------------------------------------------------
    def symptom_cause(self) -> Table:
        """Symptom × cause, row-% of label pairs (stats' definition and query), with each row's pairs."""
        if self._sxc is None:
            self._sxc = stats._symptom_cause(self.corpus, {"f": self.filters.params()})
        row_pct, raw = self._sxc
        rows = tuple((label("symptom", s),) + tuple(row_pct[s][c] for c in CAUSES) + (sum(raw[s].values()),)
                     for s in SYMPTOMS)
        return Table("sxc", "Symptom × cause (row % of label pairs)", ("Symptom",) + tuple(CAUSES) + ("pairs",),
                     rows, ("label",) + ("pct",) * len(CAUSES) + ("int",), self.episodes.total(), "episodes",
                     self.scope, "Every symptom of an episode is paired with every cause of it; a row sums to 100.",
                     tuple(range(1, len(CAUSES) + 1)), {"pairs": raw})

    _COOC_NOTE = ("Episode level. Jaccard = n_AB/(n_A+n_B−n_AB); lift = (n_AB/n)/((n_A/n)(n_B/n)); "
                  "P(B|A) = n_AB/n_A.")
    _LIFT_NOTE = ("Session level: a symptom is present when any selected episode of the session has it; universe = "
                  "sessions with ≥ 1 selected episode; lift(A,B) = (n_AB/n)/((n_A/n)(n_B/n)).")
    _METRIC_FMT = {"count": "int", "jaccard": "prob", "lift": "ratio", "cond": "prob"}

    def _matrix(self, pc: PairCounts, metric: str, kind: str, title: str, n_label: str, note: str) -> Table:
        if metric not in COOCCURRENCE_METRICS:
            raise CorpusError(f"unknown metric {metric!r}; valid: {', '.join(COOCCURRENCE_METRICS)}")
        codes = tuple(SYMPTOMS)
        rows = tuple((label("symptom", a),) + tuple(pc.metric(a, b, metric) for b in codes) + (pc.n_a(a),)
                     for a in codes)
        return Table(kind, f"{title}: {METRIC_TITLES[metric]}", ("Symptom",) + codes + ("n",), rows,
                     ("label",) + (self._METRIC_FMT[metric],) * len(codes) + ("int",), pc.n, n_label, self.scope,
                     note, tuple(range(1, len(codes) + 1)), {"metric": metric})

    def _pair_list(self, pc: PairCounts, kind: str, title: str, n_label: str, note: str) -> Table:
        codes = tuple(SYMPTOMS)
        rows = tuple((a, b, pc.n_a(a), pc.n_a(b), pc.pairs.get((a, b), 0), pc.metric(a, b, "jaccard"),
                      pc.metric(a, b, "lift"), pc.metric(a, b, "cond"), pc.metric(b, a, "cond"))
                     for i, a in enumerate(codes) for b in codes[i + 1:])
        return Table(kind, title, ("A", "B", "n_A", "n_B", "n_AB", "Jaccard", "lift", "P(B|A)", "P(A|B)"), rows,
                     ("label", "label", "int", "int", "int", "prob", "ratio", "prob", "prob"), pc.n, n_label,
                     self.scope, note, (6,))

    def cooccurrence(self, metric: str = "count") -> Table:
        """Episode-level symptom co-occurrence matrix (row a, column b) for one metric."""
        return self._matrix(self.episodes.pairs, metric, "cooccurrence", "Symptom co-occurrence", "episodes",
                            self._COOC_NOTE)

    def cooccurrence_pairs(self) -> Table:
        """Every symptom pair A < B: counts, Jaccard, lift and both conditional probabilities."""
        return self._pair_list(self.episodes.pairs, "cooccurrence", "Symptom co-occurrence (pairs)", "episodes",
                               self._COOC_NOTE)

    def session_lift(self, metric: str = "lift") -> Table:
        """Session-level symptom lift matrix (the paper's definition)."""
        return self._matrix(self.episodes.spairs, metric, "lift", "Session-level symptom co-occurrence",
                            "sessions with an episode", self._LIFT_NOTE)

    def session_lift_pairs(self) -> Table:
        return self._pair_list(self.episodes.spairs, "lift", "Session-level symptom lift (pairs)",
                               "sessions with an episode", self._LIFT_NOTE)

    def severity_locus(self) -> Table:
        """Damage severity × damage locus, episode counts (a locus exists only for DS2 / DS3)."""
        cnt = self.episodes.sevloc
        sevs: list = list(SEVERITIES) + sorted({s for s, _ in cnt if s is not None and s not in SEVERITIES})
        if any(s is None for s, _ in cnt):
            sevs.append(None)
        rows = []
        for s in sevs:
            rows.append((label("severity", s) if s else "(none)",) + tuple(cnt.get((s, lo), 0) for lo in LOCI)
                        + (cnt.get((s, None), 0), sum(v for (s2, _), v in cnt.items() if s2 == s)))
        n = sum(cnt.values())
        rows.append(("All",) + tuple(sum(v for (_, lo2), v in cnt.items() if lo2 == lo) for lo in LOCI)
                    + (sum(v for (_, lo2), v in cnt.items() if lo2 is None), n))
        return Table("severity-locus", "Damage severity × damage locus (episodes)",
                     ("Severity",) + tuple(LOCI) + ("no locus", "n"), tuple(rows),
                     ("label",) + ("int",) * (len(LOCI) + 2), n, "episodes", self.scope,
                     "A damage locus is recorded only for DS2 / DS3 episodes.", tuple(range(1, len(LOCI) + 1)))

    def symptom_resolver(self) -> Table:
        """Symptom × resolver: row-% over the symptom's episodes with a resolver (RS1), plus counts."""
        cnt, ec = self.episodes.symrv, self.episodes
        rows = []
        for s in SYMPTOMS:
            resolved = sum(cnt.get((s, r), 0) for r in RESOLVERS)
            eps = sum(v for (s2, _), v in cnt.items() if s2 == s)
            rows.append((label("symptom", s),) + tuple(_pct(cnt.get((s, r), 0), resolved) for r in RESOLVERS)
                        + (resolved, eps, _pct(resolved, eps)))
        return Table("symptom-resolver", "Symptom × resolver (row % of resolved episodes)",
                     ("Symptom",) + tuple(RESOLVERS) + ("resolved n", "episodes n", "resolved %"), tuple(rows),
                     ("label",) + ("pct",) * len(RESOLVERS) + ("int", "int", "pct"), ec.total("with_resolver"),
                     f"episodes with a resolver (of {ec.total()})", self.scope,
                     "RV columns: % of the symptom's episodes that have a resolver (RS1); resolved % = their share "
                     "of the symptom's episodes.", tuple(range(1, len(RESOLVERS) + 1)), {"counts": dict(cnt)})

    def persistence(self) -> Table:
        """Persistence across adjacent sessions of a repository (stats' definition and query)."""
        if self._persistence is None:
            self._persistence = stats._persistence(self.corpus, {"f": self.filters.params()})
        p = self._persistence
        rows = (("Adjacent-session pairs", p["pairs"]),
                ("P(next any | current any)", p["p_next_given_current"]),
                ("P(next any | current none)", p["p_next_given_none"]),
                ("Risk ratio", p["risk_ratio"]),
                ("Association ratio P(both)/(P(cur)·P(next))", p["association_ratio"]))
        return Table("persistence", "Persistence across adjacent sessions", ("Measure", "Value"), rows,
                     ("label", "num"), p["pairs"] or 0, "adjacent-session pairs", self.scope,
                     "Sessions sorted by (source, repository, timestamp), each paired with the next one of the same "
                     "repository; 'any' = the session has ≥ 1 selected episode.", (), {"raw": p})

    # ----- everything -----------------------------------------------------------------------------
    def build(self, kind: str) -> Chart | Table:
        """The chart or table named by ``kind`` (the CLI's KIND; see ``parse_kind``)."""
        base, arg = parse_kind(kind)
        if base == "distribution":
            return self.distribution(arg)
        if base == "cooccurrence":
            return self.cooccurrence_pairs() if arg in (None, "pairs") else self.cooccurrence(arg)
        if base == "lift":
            return self.session_lift_pairs() if arg in (None, "pairs") else self.session_lift(arg)
        return {"monthly": self.monthly, "monthly-sessions": self.monthly_sessions,
                "symptom-share": self.symptom_share, "cause-share": self.cause_share,
                "per-user-turn": self.per_user_turn, "sxc": self.symptom_cause,
                "severity-locus": self.severity_locus, "symptom-resolver": self.symptom_resolver,
                "persistence": self.persistence}[base]()

    def compute_all(self, axis: str = "symptom") -> dict:
        """Every chart and table of the charts screen, by view name."""
        return {
            "monthly": self.monthly(),
            "monthly-sessions": self.monthly_sessions(),
            "symptom-share": self.symptom_share(),
            "cause-share": self.cause_share(),
            "per-user-turn": self.per_user_turn(),
            "distribution": self.distribution(axis),
            "distribution-table": self.distribution_table(axis),
            "sxc": self.symptom_cause(),
            "cooccurrence": {m: self.cooccurrence(m) for m in COOCCURRENCE_METRICS},
            "severity-locus": self.severity_locus(),
            "symptom-resolver": self.symptom_resolver(),
            "lift": {m: self.session_lift(m) for m in COOCCURRENCE_METRICS},
            "persistence": self.persistence(),
        }


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
        raise CorpusError(f"unknown chart kind {kind!r}; valid: {', '.join(CHART_KINDS[:-1])}, distribution:<axis>, "
                          f"{', '.join(TABLE_KINDS)}")
    return base, None


# ----------------------------------------------------------------------------------------------
# one-shot shortcuts
# ----------------------------------------------------------------------------------------------
def build(corpus: Corpus, f: Filters, kind: str, *, since: str | None = DEFAULT_SINCE) -> Chart | Table:
    parse_kind(kind)  # fail before any query
    return ChartData(corpus, f, since=since).build(kind)


def compute_all(corpus: Corpus, f: Filters, *, since: str | None = DEFAULT_SINCE, axis: str = "symptom") -> dict:
    return ChartData(corpus, f, since=since).compute_all(axis)


def episodes_per_month(corpus: Corpus, f: Filters) -> Chart:
    return ChartData(corpus, f).monthly()


def sessions_per_month(corpus: Corpus, f: Filters) -> Chart:
    return ChartData(corpus, f).monthly_sessions()


def per_user_turn(corpus: Corpus, f: Filters) -> Chart:
    return ChartData(corpus, f).per_user_turn()


def symptom_share(corpus: Corpus, f: Filters, since: str | None = DEFAULT_SINCE) -> Chart:
    return ChartData(corpus, f, since=since).symptom_share()


def cause_share(corpus: Corpus, f: Filters, since: str | None = DEFAULT_SINCE) -> Chart:
    return ChartData(corpus, f, since=since).cause_share()


def distribution(corpus: Corpus, f: Filters, axis: str = "symptom") -> Chart:
    return ChartData(corpus, f).distribution(axis)


def distribution_table(corpus: Corpus, f: Filters, axis: str = "symptom") -> Table:
    return ChartData(corpus, f).distribution_table(axis)


def symptom_cause(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).symptom_cause()


def cooccurrence(corpus: Corpus, f: Filters, metric: str = "count") -> Table:
    return ChartData(corpus, f).cooccurrence(metric)


def session_lift(corpus: Corpus, f: Filters, metric: str = "lift") -> Table:
    return ChartData(corpus, f).session_lift(metric)


def severity_locus(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).severity_locus()


def symptom_resolver(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).symptom_resolver()


def persistence(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).persistence()
