"""Cross-tables of ChartData: symptom × cause, symptom co-occurrence and session lift, severity × locus,
symptom × resolver, persistence."""

from __future__ import annotations

from ...errors import CorpusError
from ...taxonomy import CAUSES, LOCI, RESOLVERS, SEVERITIES, SYMPTOMS, label
from .. import stats
from .common import COOCCURRENCE_METRICS, METRIC_TITLES, _pct
from .counts import PairCounts
from .model import Table


class CrossTables:
    """ChartData's tables (mixed into ``ChartData``, which supplies ``corpus``, ``filters``, ``episodes``
    and ``scope``)."""

    # ----- tables -------------------------------------------------------------------------------
    def symptom_cause(self) -> Table:
        """Symptom × cause, row-% of label pairs (stats' definition and query), with each row's pairs."""
        if self._sxc is None:
            self._sxc = stats.symptom_cause(self.corpus, {"f": self.filters.params()})
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
            self._persistence = stats.persistence(self.corpus, {"f": self.filters.params()})
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
