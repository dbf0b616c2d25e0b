"""Time series and distributions of ChartData: episodes / sessions per month, episodes per user turn,
symptom and cause share timelines, and per-axis distributions (IDE vs CLI)."""

from __future__ import annotations

from collections import defaultdict

from ...taxonomy import AXIS_BY_NAME, CAUSES, gloss, label
from .common import (MAX_BARS, SHARE_SYMPTOMS, _continuous, _div, _pct, _platforms, check_axis, check_date,
                     linear_fit, month_index)
from .counts import Distribution, _order_values
from .model import Chart, Series, Table


class SeriesCharts:
    """ChartData's charts over months and axis values (mixed into ``ChartData``, which supplies
    ``episodes``, ``sessions``, ``label_counts``, ``value_counts``, ``scope`` and ``since``)."""

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
