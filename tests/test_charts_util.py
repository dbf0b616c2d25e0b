"""A deterministic study-format corpus for the chart and comparison tests (no tests here).

``write_study(folder, sessions, seed)`` writes ``data/core`` files (annotated, validated, session
mapping) that ``misalign-tui import`` reads: both session types, ~20 calendar months, S8, C7,
locus / resolver rules, INVALID candidates. ``load`` returns the JSON back for independent checks.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SYM = [f"S{i}" for i in range(1, 9)]
CAU = [f"C{i}" for i in range(1, 8)]
AGENTS = {"IDE": ("Unknown", "Cursor IDE", "Copilot IDE"), "CLI": ("Claude Code", "Codex", "OpenCode")}
LICENSES = ("MIT", "Apache-2.0", "NO_LICENSE", "GPL-3.0", "NOASSERTION")
MONTHS = [f"2024-{m:02d}" for m in (10, 11, 12)] + [f"2025-{m:02d}" for m in range(1, 13)] + \
         [f"2026-{m:02d}" for m in (1, 2, 3, 4)]


def _labels(rng: random.Random, month: str) -> dict:
    rec = {s: False for s in SYM}
    late = month >= "2025-09"
    weights = [3, 5, 8 if late else 5, 3, 4 if late else 6, 1, 6 if late else 3]
    k = rng.choice((1, 1, 1, 2, 2, 3, 4))
    chosen: set[str] = set()
    while len(chosen) < k:
        chosen.add(rng.choices(SYM[:7], weights)[0])
    for s in chosen:
        rec[s] = True
    if rng.random() < 0.03:
        rec["S8"] = True
    rec["symptom_other_descriptor"] = "emerging" if rec["S8"] else None
    for c in CAU:
        rec[c] = None
    if rng.random() < 0.25:
        rec["C7"] = "not_applicable"
    else:
        for c in rng.sample(CAU[:6], rng.choice((1, 1, 2, 3))):
            rec[c] = rng.choice(("direct", "contextual", "speculative"))
    sev = rng.choices(["DS0", "DS1", "DS2", "DS3", "DS4"], [1, 85, 9, 2, 3])[0]
    rec["damage_severity"] = sev
    rec["damage_locus"] = rng.choice(["DL1", "DL1", "DL2", "DL3", "DL4"]) if sev in ("DS2", "DS3") else None
    if rng.random() < 0.12:
        rec["resolution_status"] = "RS1"
        rec["resolver"] = rng.choices(["RV1", "RV2", "RV3"], [1, 12, 2])[0]
    else:
        rec["resolution_status"], rec["resolver"] = "RS2", None
    rec["alignment_goal"] = rng.choice(("instruction", "intention", "both"))
    rec["confidence"] = rng.choice(("high", "high", "medium", "low"))
    return rec


def write_study(folder: Path, sessions: int = 400, seed: int = 11) -> Path:
    rng = random.Random(seed)
    core = Path(folder) / "data" / "core"
    core.mkdir(parents=True, exist_ok=True)
    mapping, annotated, validated = [], [], []
    repo_no = 0
    made = 0
    while made < sessions:
        repo_no += 1
        repo = 1000000 + repo_no * 37
        source = "swe" if repo_no % 5 == 0 else "specstory"
        platform = "CLI" if source == "swe" or rng.random() < 0.35 else "IDE"
        lic = rng.choice(LICENSES)
        n = min(sessions - made, rng.randint(1, 8))
        start = rng.randrange(len(MONTHS))
        for cid in range(1, n + 1):
            month = MONTHS[min(len(MONTHS) - 1, start + (cid - 1) // 2)]
            ts = f"{month}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
            ut = rng.randint(1, 30)
            sess = {"repository_id": repo, "num_commits": rng.randint(1, 50), "license_type": lic,
                    "session_count_id": cid, "session_sha": f"{repo:x}{cid:04d}", "session_timestamp": ts,
                    "session_type": platform, "agent": rng.choice(AGENTS[platform]), "user_turns": ut,
                    "agent_turns": ut + rng.randint(0, 5), "source": source}
            mapping.append(sess)
            n_ep = rng.choices([0, 1, 2, 3], [50, 30, 15, 5])[0]
            n_cand = n_ep + rng.choice((0, 0, 1, 2))
            valid_ids = set(rng.sample(range(n_cand), n_ep))
            for i in range(n_cand):
                ident = {"repository_id": repo, "session_id": f"session_{cid:03d}", "misalignment_id": f"M{i + 1:03d}",
                         "source": source, "session_count_id": cid}
                meta = {k: sess[k] for k in ("num_commits", "license_type", "session_sha", "session_timestamp",
                                             "session_type", "agent", "user_turns", "agent_turns")}
                lab = _labels(rng, month)
                ok = i in valid_ids
                category = None if ok else rng.choice(("truncation", "invisible_agent_action"))
                validated.append({"count_id": len(validated), **ident, "alignment_goal": lab["alignment_goal"],
                                  "confidence": lab["confidence"], "label": "VALID" if ok else "INVALID",
                                  "invalid_category": category, **meta})
                if ok:
                    annotated.append({**ident, **meta, **lab})
            made += 1
    (core / "session_mapping.json").write_text(json.dumps(mapping, indent=2))
    (core / "annotated_misalignments.json").write_text(json.dumps(annotated, indent=2))
    (core / "validated_misalignments.json").write_text(json.dumps(validated, indent=2))
    return Path(folder)


def load(folder: Path) -> tuple[list[dict], list[dict]]:
    core = Path(folder) / "data" / "core"
    return (json.loads((core / "annotated_misalignments.json").read_text()),
            json.loads((core / "session_mapping.json").read_text()))


def build_corpus(folder: Path, out: Path, sessions: int = 400, seed: int = 11) -> Path:
    from misalign_tui.data.building.importer import run_import

    write_study(folder, sessions, seed)
    run_import([str(folder)], out)
    return out


# ----------------------------------------------------------------------------------------------
# hand-made corpora
# ----------------------------------------------------------------------------------------------
def session_row(repo: int, cid: int, ts: str, platform: str = "IDE", user_turns: int = 10, **kw) -> dict:
    return {"repository_id": repo, "num_commits": 1, "license_type": kw.get("license", "MIT"), "session_count_id": cid,
            "session_sha": f"{repo:x}{cid:04d}", "session_timestamp": ts, "session_type": platform,
            "agent": kw.get("agent", "Unknown" if platform == "IDE" else "Claude Code"), "user_turns": user_turns,
            "agent_turns": user_turns, "source": kw.get("source", "specstory")}


def episode_row(sess: dict, mid: int, symptoms=("S1",), causes=(("C1", "direct"),), severity="DS1", locus=None,
                resolver=None) -> dict:
    rec = {"repository_id": sess["repository_id"], "session_id": f"session_{sess['session_count_id']:03d}",
           "misalignment_id": f"M{mid:03d}", "alignment_goal": "instruction", "confidence": "high",
           **{k: sess[k] for k in ("source", "session_count_id", "num_commits", "license_type", "session_sha",
                                   "session_timestamp", "session_type", "agent", "user_turns", "agent_turns")}}
    rec.update({s: s in symptoms for s in SYM})
    rec["symptom_other_descriptor"] = "x" if "S8" in symptoms else None
    rec.update({c: None for c in CAU})
    for c, tier in causes:
        rec[c] = tier
    rec.update(damage_severity=severity, damage_locus=locus, resolution_status="RS1" if resolver else "RS2",
               resolver=resolver)
    return rec


def write_rows(folder: Path, sessions: list[dict], episodes: list[dict]) -> Path:
    core = Path(folder) / "data" / "core"
    core.mkdir(parents=True, exist_ok=True)
    (core / "session_mapping.json").write_text(json.dumps(sessions, indent=2))
    (core / "annotated_misalignments.json").write_text(json.dumps(episodes, indent=2))
    return Path(folder)


# ----------------------------------------------------------------------------------------------
# independent plain-Python computation of the chart numbers (shares no code with misalign_tui)
# ----------------------------------------------------------------------------------------------
def skey(r: dict) -> tuple:
    return (r["source"], str(r["repository_id"]), r["session_count_id"])


def months_between(first: str, last: str) -> list[str]:
    out, y, m = [], int(first[:4]), int(first[5:7])
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def symptoms_of(e: dict) -> list[str]:
    return [s for s in SYM if e[s]]


def causes_of(e: dict) -> list[str]:
    return [c for c in CAU if e[c] is not None]


def independent(eps: list[dict], sess: list[dict], keep_e=lambda e: True, keep_s=lambda s: True,
                since: str = "2025-02-01") -> dict:
    """Every chart / table number from the JSON rows. keep_s restricts sessions (and their episodes)."""
    sess = [s for s in sess if keep_s(s)]
    keys = {skey(s) for s in sess}
    eps = [e for e in eps if keep_e(e) and skey(e) in keys]
    out: dict = {}
    ep_month: dict = {}
    for e in eps:
        k = (e["session_timestamp"][:7], e["session_type"])
        ep_month[k] = ep_month.get(k, 0) + 1
    se_month: dict = {}
    ut_month: dict = {}
    for s in sess:
        k = (s["session_timestamp"][:7], s["session_type"])
        se_month[k] = se_month.get(k, 0) + 1
        ut_month[k] = ut_month.get(k, 0) + s["user_turns"]
    all_m = sorted({m for m, _ in ep_month} | {m for m, _ in se_month})
    months = months_between(all_m[0], all_m[-1]) if all_m else []
    out["months"] = months
    out["episodes_month"] = {p: [ep_month.get((m, p), 0) for m in months] for p in ("IDE", "CLI")}
    out["sessions_month"] = {p: [se_month.get((m, p), 0) for m in months] for p in ("IDE", "CLI")}
    rate = []
    for m in months:
        ut = sum(ut_month.get((m, p), 0) for p in ("IDE", "CLI"))
        rate.append(sum(ep_month.get((m, p), 0) for p in ("IDE", "CLI")) / ut if ut else None)
    out["per_user_turn"] = rate
    pts = [(int(m[:4]) * 12 + int(m[5:7]), r) for m, r in zip(months, rate) if r is not None]
    if len(pts) >= 2:
        n = len(pts)
        sx, sy = sum(p[0] for p in pts), sum(p[1] for p in pts)
        sxy, sxx = sum(p[0] * p[1] for p in pts), sum(p[0] ** 2 for p in pts)
        out["slope"] = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    else:
        out["slope"] = None
    # share timelines: label occurrences per month, S8 left out
    late = [e for e in eps if e["session_timestamp"] >= since + " 00:00:00"] if since else eps
    for axis, codes, labels_of in (("symptom", SYM[:7], symptoms_of), ("cause", CAU, causes_of)):
        occ: dict = {}
        for e in late:
            for c in labels_of(e):
                if c in codes:
                    occ[(e["session_timestamp"][:7], c)] = occ.get((e["session_timestamp"][:7], c), 0) + 1
        tot: dict = {}
        for (m, _c), n in occ.items():
            tot[m] = tot.get(m, 0) + n
        ms = months_between(min(tot), max(tot)) if tot else []
        out[f"{axis}_share"] = {"months": ms, "totals": tot,
                                "share": {c: [100 * occ.get((m, c), 0) / tot[m] if tot.get(m) else None for m in ms]
                                          for c in codes}}
    # co-occurrence (episode level) and session-level lift
    n = len(eps)
    pair = {(a, b): sum(1 for e in eps if e[a] and e[b]) for a in SYM for b in SYM}
    out["n"] = n
    out["pair"] = pair
    by_session: dict = {}
    for e in eps:
        by_session.setdefault(skey(e), set()).update(symptoms_of(e))
    out["sessions_with_episode"] = len(by_session)
    out["spair"] = {(a, b): sum(1 for v in by_session.values() if a in v and b in v) for a in SYM for b in SYM}
    out["sevloc"] = {}
    for e in eps:
        k = (e["damage_severity"], e["damage_locus"])
        out["sevloc"][k] = out["sevloc"].get(k, 0) + 1
    out["symrv"] = {}
    for e in eps:
        for s in symptoms_of(e):
            out["symrv"][(s, e["resolver"])] = out["symrv"].get((s, e["resolver"]), 0) + 1
    # distributions of a few session-level axes (episodes, per platform)
    out["agent"] = {}
    for e in eps:
        out["agent"][(e["agent"], e["session_type"])] = out["agent"].get((e["agent"], e["session_type"]), 0) + 1
    return out
