"""Plain-text rendering of ``stats.compute`` (the paper's tables), rounded to 2 decimals for reading."""

from __future__ import annotations

import re

from ..data.taxonomy import LABEL_GROUPS, gloss

_DEFAULT_SCOPE = re.compile(r"validation = (\w+) \(default\)")


def episodes_label(s: dict) -> str:
    """What the episodes row counts, in the filters' validation scope: "valid episodes" (the default),
    "invalid episodes" (``--filter validation=INVALID`` or an invalid_category), "candidate episodes"
    (a corpus of raw transcripts), "episodes (VALID, INVALID)"."""
    chosen: list[str] = []
    for spec in s.get("filters") or ():
        axis, _, values = spec.partition("=")
        if axis == "validation":
            chosen += values.split(",")
        elif axis == "invalid_category":
            chosen.append("INVALID")
    if not chosen:
        m = _DEFAULT_SCOPE.search(s.get("filters_in_words") or "")
        chosen = [m.group(1) if m else "VALID"]
    chosen = list(dict.fromkeys(chosen))
    if len(chosen) == 1:
        return f"{chosen[0].lower()} episodes"
    return f"episodes ({', '.join(chosen)})"


def _f(v, digits=2, pct=False):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}" + ("%" if pct else "")
    return f"{v:,}" if isinstance(v, int) else str(v)


def _table(headers: list[str], rows: list[list], align: str | None = None) -> list[str]:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    align = align or "l" + "r" * (len(headers) - 1)
    out = []
    for n, r in enumerate(cells):
        out.append("  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def render(s: dict) -> str:
    lines = [f"corpus: {s['corpus']}", f"filters: {s['filters_in_words'] or 'none'}", ""]
    keys = ("total", "IDE", "CLI")
    rows = [
        ["sessions"] + [_f(s["sessions"][k]) for k in keys],
        [episodes_label(s)] + [_f(s["episodes"][k]) for k in keys],
        ["extracted candidates"] + [_f(s["extracted"][k]) for k in keys],
        ["valid rate"] + [_f(s["valid_rate"][k], 6) for k in keys],
        ["sessions with ≥1 episode"] + [_f(s["sessions_with_episode"][k]) for k in keys],
        ["  share"] + [_f(s["sessions_with_episode_pct"][k], 2, True) for k in keys],
        ["episodes per session"] + [_f(s["per_session"][k], 6) for k in keys],
        ["episodes per user turn"] + [_f(s["per_user_turn"][k], 6) for k in keys],
        ["median user turns", "", _f(s["median_user_turns"]["IDE"], 1), _f(s["median_user_turns"]["CLI"], 1)],
    ]
    lines += _table(["", "total", "IDE", "CLI"], rows) + [""]
    h = s["headline"]
    lines.append(f"Headline 1 — episodes imposing effort/trust costs (DS1): {_f(h['effort_trust_cost_pct'], 2, True)}"
                 f"  (IDE {_f(h['effort_trust_cost_pct_by_platform']['IDE'], 2, True)},"
                 f" CLI {_f(h['effort_trust_cost_pct_by_platform']['CLI'], 2, True)})")
    lines.append(f"Headline 2 — visible resolutions needing explicit correction (RV2 / resolver):"
                 f" {_f(h['explicit_correction_pct'], 2, True)}"
                 f"  (IDE {_f(h['explicit_correction_pct_by_platform']['IDE'], 2, True)},"
                 f" CLI {_f(h['explicit_correction_pct_by_platform']['CLI'], 2, True)})")
    lines.append("")
    d = s["distribution"]
    for axis, codes in LABEL_GROUPS.items():
        scope = {"locus": " (over episodes with a locus)", "resolver": " (over episodes with a resolver)"}.get(axis, "")
        n = d[next(iter(codes))]["n"]
        lines.append(f"{axis.capitalize()} distribution{scope}, n = {n:,}")
        rows = [[f"{c} {gloss(axis, c)}", _f(d[c]["count"]), _f(d[c]["pct"], 2, True), _f(d[c]["ide_pct"], 2, True),
                 _f(d[c]["cli_pct"], 2, True)] for c in codes]
        lines += _table(["label", "count", "%", "IDE %", "CLI %"], rows) + [""]
    p = s["persistence"]
    lines.append(f"Persistence across adjacent sessions ({_f(p['pairs'])} pairs): "
                 f"P(next|current) {_f(p['p_next_given_current'], 3)} · P(next|none) {_f(p['p_next_given_none'], 3)}"
                 f" · risk ratio {_f(p['risk_ratio'], 3)} · association ratio {_f(p['association_ratio'], 3)}")
    lines.append("")
    lines.append("Monthly episodes")
    lines += _table(["month", "episodes"], [[m, _f(n)] for m, n in s["monthly_episodes"].items()]) + [""]
    lines.append("Symptom × cause (row % of label pairs)")
    causes = list(LABEL_GROUPS["cause"])
    rows = [[sym] + [_f(v, 1) for v in s["symptom_x_cause_row_pct"][sym].values()] for sym in LABEL_GROUPS["symptom"]]
    lines += _table(["", *causes], rows) + [""]
    lines.append("Sessions by type and agent")
    lines += _table(["type", "agent", "sessions"], [[r["platform"] or "–", r["agent"] or "–", _f(r["sessions"])]
                                                    for r in s["sessions_by_agent"]], "llr")
    return "\n".join(lines)
