"""Atlas text records (name, description, reasoning, evidence) and the data/core label rows."""

from __future__ import annotations

from ...taxonomy import C7_MARKER, CAUSES, LOCI, RESOLVERS, SEVERITIES, SYMPTOMS
from .labels import other_descriptor
from .scenarios import CAUSE_TEXT, INVALID_TEXT, OUTCOME_SENTENCE, SCENARIOS, SEVERITY_TEXT

OUTCOMES = {
    "RV2": "After the pushback the agent corrected its change.",
    "RV1": "The agent noticed the mistake on its own and corrected it.",
    "RV3": "The developer gave up on the agent and fixed it by hand.",
}
INVALID_DESCR = "The extraction flagged that the agent {did}. {why} The validator rejected the candidate."


def session_row(s) -> dict:
    r = s.repo
    return {"repository_id": r.rid, "num_commits": r.commits, "license_type": r.license,
            "session_count_id": s.count_id, "session_sha": s.sha, "session_timestamp": s.ts_str,
            "session_type": s.platform, "agent": s.agent, "user_turns": s.ut, "agent_turns": s.at,
            "source": r.source}


def _head(s, c) -> dict:
    r = s.repo
    return {"repository_id": r.rid, "session_id": s.sid, "misalignment_id": c.mid,
            "alignment_goal": c.goal, "confidence": c.confidence}


def _session_part(s) -> dict:
    r = s.repo
    return {"source": r.source, "session_count_id": s.count_id, "num_commits": r.commits,
            "license_type": r.license, "session_sha": s.sha, "session_timestamp": s.ts_str,
            "session_type": s.platform, "agent": s.agent, "user_turns": s.ut, "agent_turns": s.at}


def annotated_row(s, c) -> dict:
    lab = c.lab
    row = _head(s, c)
    row.update(_session_part(s))
    for code in SYMPTOMS:
        row[code] = code in lab["symptoms"]
    row["symptom_other_descriptor"] = other_descriptor(lab) if "S8" in lab["symptoms"] else None
    for code in CAUSES:
        row[code] = lab["causes"].get(code)
    row["damage_severity"] = lab["severity"]
    row["damage_locus"] = lab["locus"]
    row["resolution_status"] = lab["status"]
    row["resolver"] = lab["resolver"]
    return row


def validated_row(s, c, count_id: int) -> dict:
    row = {"count_id": count_id}
    row.update(_head(s, c))
    row["label"] = "VALID" if c.valid else "INVALID"
    row["invalid_category"] = None if c.valid else c.category
    row.update(_session_part(s))
    return row


def _ev_turn(c, role):
    for e in c.evidence:
        if e["turn"].endswith(role):
            return e["turn"].split("|")[0].strip().lower()
    return "a later turn"


def atlas_record(s, c, task: str) -> dict:
    """The Atlas text of a candidate; reasoning fields only for VALID episodes."""
    sym, idx = c.story[0]
    sc = SCENARIOS[sym][idx]
    ctx = c.ctx
    did = sc["did"].format_map(ctx)
    rec = {"source": s.repo.source, "repository_id": s.repo.rid, "session_id": s.sid, "id": c.mid,
           "name": sc["name"].format_map(ctx), "description": "", "alignment_goal": c.goal,
           "confidence": c.confidence, "evidence": c.evidence}
    if not c.valid:
        cat = c.category
        why = INVALID_TEXT.get(cat) or f"The validator judged it not a misalignment ({cat[7:].replace('_', ' ')})."
        rec["description"] = (f"The developer was working on: {task}. "
                              + INVALID_DESCR.format(did=did, why=why))
        rec["validation_note"] = f"INVALID ({cat}): {why}"
        return rec
    lab = c.lab
    push = _ev_turn(c, "USER")
    also = [f"It also {SCENARIOS[s2][i2]['did'].format_map(ctx)}." for s2, i2 in c.story[1:]][:2]
    sents = [f"The developer was working on: {task}.", f"The agent {did}.", *also,
             f"In {push} the developer pushed back and asked it to {sc['restate'].format_map(ctx)}.",
             OUTCOMES[lab["resolver"]] if lab["status"] == "RS1"
             else "The transcript does not show whether the problem was fixed."]
    if lab["severity"] in OUTCOME_SENTENCE and len(sents) < 6:
        sents.append(OUTCOME_SENTENCE[lab["severity"]])
    rec["description"] = " ".join(sents)
    rec["validation_note"] = f"VALID: the developer's pushback in {push} shows the problem was real and visible."
    sym_parts = [f"{code} ({SYMPTOMS[code]}): the agent {SCENARIOS[code][i]['did'].format_map(ctx)}."
                 for code, i in c.story]
    rec["symptom_reasoning"] = " ".join(sym_parts)
    cause_parts = []
    entries = []
    for code, tier in lab["causes"].items():
        if tier == C7_MARKER:
            cause_parts.append(f"C7 ({CAUSES['C7']}): {CAUSE_TEXT['C7']}.")
            entries.append({"label": "C7", "evidence_tier": C7_MARKER})
        else:
            cause_parts.append(f"{code} ({CAUSES[code]}, {tier}): {CAUSE_TEXT[code]}.")
            entries.append({"label": code, "evidence_tier": tier})
    rec["cause_reasoning"] = " ".join(cause_parts)
    out = f"{lab['severity']} ({SEVERITIES[lab['severity']]}): {SEVERITY_TEXT[lab['severity']]}"
    if lab["locus"]:
        out += f" Locus {lab['locus']} ({LOCI[lab['locus']]})."
    rec["outcome_reasoning"] = out
    if lab["status"] == "RS1":
        rec["resolution_reasoning"] = (f"RS1 (Resolved) by {lab['resolver']} ({RESOLVERS[lab['resolver']]}): "
                                       "the transcript shows the problem being fixed.")
    else:
        rec["resolution_reasoning"] = "RS2 (Unknown): the transcript ends without showing a fix."
    rec["symptom_other_descriptor"] = other_descriptor(lab) if "S8" in lab["symptoms"] else None
    rec["cause_entries"] = entries
    return rec
