"""ChartData: the counts for one (corpus, filters), fetched once and cached, and every chart and table built
from them (the builders live in ``series`` and ``tables``)."""

from __future__ import annotations

from collections import defaultdict

from ...filters import Filters
from ..corpus import Corpus
from .common import (COOCCURRENCE_METRICS, DEFAULT_SINCE, EPISODE_VALUE_AXES, _plat, check_axis, check_date,
                     parse_kind, share_filters)
from .counts import EpisodeCounts, fetch_episode_counts
from .model import Chart, Table
from .series import SeriesCharts
from .tables import CrossTables


class ChartData(SeriesCharts, CrossTables):
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
