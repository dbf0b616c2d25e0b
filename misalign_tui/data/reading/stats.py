"""The paper's tables for any filter, computed in DuckDB with the paper's exact definitions.

Percentages are in percent units and unrounded; rates (per session, per user turn, valid rate,
probabilities) are plain fractions. See docs/statistics.md for the formulas.
"""

from __future__ import annotations

from collections import defaultdict

from ..filters import Filters
from ..taxonomy import LABEL_GROUPS
from .corpus import Corpus

PLATFORMS = ("IDE", "CLI")
# Label axis -> which denominator of stats_scopes.sql it uses.
SCOPE = {"locus": "with_locus", "resolver": "with_resolver"}


def _div(a, b):
    return a / b if b else None


def _pct(a, b):
    return 100.0 * a / b if b else None


def compute(corpus: Corpus, f: Filters, *, facets: bool = True) -> dict:
    """One dict with every table of ``misalign-tui stats --json``."""
    p = {"f": f.params()}
    out: dict = {"filters": f.to_args(), "filters_in_words": f.describe(), "corpus": str(corpus.path)}

    rows = corpus.run("stats_sessions", p)
    by = {r[0]: r for r in rows}

    def col(i):
        d = {"total": sum(r[i] for r in rows)}
        d.update({pl: (by[pl][i] if pl in by else 0) for pl in PLATFORMS})
        return d

    sessions, with_ep, episodes, uturns = col(1), col(2), col(3), col(4)
    out["sessions"] = sessions
    out["episodes"] = episodes
    out["sessions_with_episode"] = with_ep
    out["sessions_with_episode_pct"] = {k: _pct(with_ep[k], sessions[k]) for k in sessions}
    out["per_session"] = {k: _div(episodes[k], sessions[k]) for k in sessions}
    out["per_user_turn"] = {k: _div(episodes[k], uturns[k]) for k in sessions}
    out["user_turns"] = uturns
    out["median_user_turns"] = {pl: (float(by[pl][5]) if pl in by and by[pl][5] is not None else None)
                                for pl in PLATFORMS}
    out["max_agent_turns"] = max((r[6] for r in rows if r[6] is not None), default=None)
    out["sessions_by_agent"] = [{"platform": a, "agent": b, "sessions": n}
                                for a, b, n in corpus.run("stats_agents", p)]

    val = defaultdict(lambda: defaultdict(int))
    for pl, label, n in corpus.run("stats_validation", p):
        val[pl][label] += n
    extracted = {"total": sum(sum(v.values()) for v in val.values())}
    extracted.update({pl: sum(val[pl].values()) for pl in PLATFORMS})
    out["extracted"] = extracted
    out["valid_rate"] = {k: _div(sum(v.get("VALID", 0) for pl2, v in val.items() if k == "total" or pl2 == k),
                                 extracted[k]) for k in extracted}

    out["distribution"] = _distribution(corpus, p)
    dist = out["distribution"]
    out["headline"] = {
        "effort_trust_cost_pct": dist["DS1"]["pct"],
        "effort_trust_cost_pct_by_platform": {pl: dist["DS1"][f"{pl.lower()}_pct"] for pl in PLATFORMS},
        "explicit_correction_pct": dist["RV2"]["pct"],
        "explicit_correction_pct_by_platform": {pl: dist["RV2"][f"{pl.lower()}_pct"] for pl in PLATFORMS},
    }
    out["persistence"] = persistence(corpus, p)
    out["monthly_episodes"] = {m: n for m, n in corpus.run("stats_monthly", p)}
    out["symptom_x_cause_row_pct"], out["symptom_x_cause_pairs"] = symptom_cause(corpus, p)
    if facets:
        facets = corpus.facets(f)
        out["facets"] = {axis: {v.value: v.count for v in (corpus.facet_values(f, axis) if axis in facets.more else vals)}
                         for axis, vals in facets.items()}
    return out


def _distribution(corpus: Corpus, p: dict) -> dict:
    scopes = {pl: {"episodes": n, "with_locus": wl, "with_resolver": wr}
              for pl, n, wl, wr in corpus.run("stats_scopes", p)}
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for axis, value, pl, n in corpus.run("stats_labels", p):
        counts[(axis, value)][pl] += n
    dist = {}
    for axis, codes in LABEL_GROUPS.items():
        scope = SCOPE.get(axis, "episodes")
        denom_total = sum(s[scope] for s in scopes.values())
        for code in codes:
            c = counts.get((axis, code), {})
            total = sum(c.values())
            entry = {"axis": axis, "count": total, "pct": _pct(total, denom_total), "n": denom_total}
            for pl in PLATFORMS:
                entry[f"{pl.lower()}_count"] = c.get(pl, 0)
                entry[f"{pl.lower()}_pct"] = _pct(c.get(pl, 0), scopes.get(pl, {}).get(scope, 0))
            dist[code] = entry
    return dist


def persistence(corpus: Corpus, p: dict) -> dict:
    pairs, cur, both, none_pairs, none_next, nxt = corpus.run("stats_persistence", p)[0]
    p_next_cur = _div(both, cur)
    p_next_none = _div(none_next, none_pairs)
    p_both, p_cur, p_next = _div(both, pairs), _div(cur, pairs), _div(nxt, pairs)
    return {
        "pairs": pairs,
        "p_next_given_current": p_next_cur,
        "p_next_given_none": p_next_none,
        "risk_ratio": _div(p_next_cur, p_next_none) if p_next_cur is not None else None,
        "association_ratio": (_div(p_both, p_cur * p_next) if None not in (p_both, p_cur, p_next) else None),
    }


def symptom_cause(corpus: Corpus, p: dict) -> tuple[dict, dict]:
    pairs: dict[str, dict[str, int]] = defaultdict(dict)
    for s, c, n in corpus.run("stats_symptom_cause", p):
        pairs[s][c] = n
    row_pct, raw = {}, {}
    for s in LABEL_GROUPS["symptom"]:
        row = pairs.get(s, {})
        total = sum(row.values())
        row_pct[s] = {c: (_pct(row.get(c, 0), total) if total else None) for c in LABEL_GROUPS["cause"]}
        raw[s] = {c: row.get(c, 0) for c in LABEL_GROUPS["cause"]}
    return row_pct, raw
