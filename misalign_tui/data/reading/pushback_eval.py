"""How well the rule-based pushback detector finds the study's own pushback (USER evidence) turns."""

from __future__ import annotations

from .corpus import Corpus


def evaluate(corpus: Corpus) -> dict:
    ev, ev_flagged, flagged, flagged_ev = corpus.run("detect_eval")[0]
    cues = [{"cue": c, "flagged": n, "on_evidence": k, "precision": k / n if n else None}
            for c, n, k in corpus.run("detect_eval_cues")]
    return {
        "evidence_turns": ev, "evidence_turns_flagged": ev_flagged, "flagged_turns": flagged,
        "flagged_turns_on_evidence": flagged_ev,
        "recall": ev_flagged / ev if ev else None,
        "precision": flagged_ev / flagged if flagged else None,
        "by_cue": cues,
    }


def render(r: dict) -> str:
    pct = lambda v: "–" if v is None else f"{100 * v:.1f}%"  # noqa: E731
    lines = [
        f"USER evidence turns with a transcript: {r['evidence_turns']:,}; flagged: {r['evidence_turns_flagged']:,}"
        f" → recall {pct(r['recall'])}",
        f"turns flagged as pushback: {r['flagged_turns']:,}; on evidence turns: {r['flagged_turns_on_evidence']:,}"
        f" → precision {pct(r['precision'])}",
        "", f"{'cue':<40}{'flagged':>10}{'on evidence':>14}{'precision':>11}",
    ]
    for c in r["by_cue"]:
        lines.append(f"{c['cue'][:39]:<40}{c['flagged']:>10,}{c['on_evidence']:>14,}{pct(c['precision']):>11}")
    return "\n".join(lines)
