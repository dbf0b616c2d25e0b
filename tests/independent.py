"""An independent, plain-Python computation of the paper's statistics straight from the study's JSON.

Used by the tests to check the DuckDB implementation; it shares no code with misalign_tui.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

SYM = [f"S{i}" for i in range(1, 9)]
CAU = [f"C{i}" for i in range(1, 8)]


def load(annotated, mapping):
    eps = json.load(open(annotated))
    sess = json.load(open(mapping))
    return eps, sess


def stats(eps, sess, keep_episode=lambda e: True, keep_session=lambda s: True):
    sess = [s for s in sess if keep_session(s)]
    skeys = {(s["source"], str(s["repository_id"]), s["session_count_id"]) for s in sess}
    eps = [e for e in eps if keep_episode(e) and (e["source"], str(e["repository_id"]), e["session_count_id"]) in skeys]
    out = {}
    by_type = lambda rows, t: [r for r in rows if t is None or r["session_type"] == t]  # noqa: E731
    types = {"total": None, "IDE": "IDE", "CLI": "CLI"}
    out["sessions"] = {k: len(by_type(sess, t)) for k, t in types.items()}
    out["episodes"] = {k: len(by_type(eps, t)) for k, t in types.items()}
    with_ep = {(e["source"], str(e["repository_id"]), e["session_count_id"]) for e in eps}
    out["sessions_with_episode"] = {
        k: sum((s["source"], str(s["repository_id"]), s["session_count_id"]) in with_ep for s in by_type(sess, t))
        for k, t in types.items()}
    out["per_session"] = {k: out["episodes"][k] / out["sessions"][k] for k in ("IDE", "CLI") if out["sessions"][k]}
    out["per_user_turn"] = {k: out["episodes"][k] / sum(s["user_turns"] for s in by_type(sess, t))
                            for k, t in types.items() if t and out["sessions"][k]}
    dist = {}
    groups = {c: (lambda e, c=c: bool(e[c])) for c in SYM}
    groups.update({c: (lambda e, c=c: e[c] is not None) for c in CAU})
    for f, codes in (("damage_severity", [f"DS{i}" for i in range(5)]), ("damage_locus", [f"DL{i}" for i in range(1, 5)]),
                     ("resolution_status", ["RS1", "RS2"]), ("resolver", ["RV1", "RV2", "RV3"])):
        for c in codes:
            groups[c] = lambda e, f=f, c=c: e[f] == c
    for code, has in groups.items():
        scope = eps
        if code.startswith("DL"):
            scope = [e for e in eps if e["damage_locus"] is not None]
        if code.startswith("RV"):
            scope = [e for e in eps if e["resolver"] is not None]
        n = sum(has(e) for e in scope)
        ide = [e for e in scope if e["session_type"] == "IDE"]
        cli = [e for e in scope if e["session_type"] == "CLI"]
        dist[code] = {"count": n, "pct": 100 * n / len(scope) if scope else None,
                      "ide_pct": 100 * sum(has(e) for e in ide) / len(ide) if ide else None,
                      "cli_pct": 100 * sum(has(e) for e in cli) / len(cli) if cli else None}
    out["distribution"] = dist
    out["headline"] = {"effort_trust_cost_pct": dist["DS1"]["pct"], "explicit_correction_pct": dist["RV2"]["pct"]}
    # persistence
    order = sorted(sess, key=lambda s: (s["source"], str(s["repository_id"]), s["session_timestamp"], s["session_count_id"]))
    pairs = []
    for a, b in zip(order, order[1:]):
        if (a["source"], a["repository_id"]) == (b["source"], b["repository_id"]):
            ka = (a["source"], str(a["repository_id"]), a["session_count_id"])
            kb = (b["source"], str(b["repository_id"]), b["session_count_id"])
            pairs.append((ka in with_ep, kb in with_ep))
    cur = [p for p in pairs if p[0]]
    none = [p for p in pairs if not p[0]]
    pnc = sum(p[1] for p in cur) / len(cur) if cur else None
    pnn = sum(p[1] for p in none) / len(none) if none else None
    pboth = sum(a and b for a, b in pairs) / len(pairs)
    pcur = len(cur) / len(pairs)
    pnext = sum(b for _, b in pairs) / len(pairs)
    out["persistence"] = {"p_next_given_current": pnc, "p_next_given_none": pnn,
                          "risk_ratio": pnc / pnn if pnc is not None and pnn else None,
                          "association_ratio": pboth / (pcur * pnext) if pcur and pnext else None}
    out["monthly_episodes"] = dict(sorted(Counter(e["session_timestamp"][:7] for e in eps).items()))
    pairs_sc = defaultdict(Counter)
    for e in eps:
        for s in SYM:
            if e[s]:
                for c in CAU:
                    if e[c] is not None:
                        pairs_sc[s][c] += 1
    out["symptom_x_cause_row_pct"] = {
        s: {c: (100 * pairs_sc[s][c] / sum(pairs_sc[s].values()) if pairs_sc[s] else None) for c in CAU} for s in SYM}
    return out
