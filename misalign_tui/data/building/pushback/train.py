"""Train the pushback model's weights from the TUNING part of the labelled dev set, reproducibly.

    python -m misalign_tui.data.building.pushback.train [--check] [--out FILE]

Full-batch gradient descent on an L2-regularised logistic regression over the features of ``features``
(fixed iteration count, fixed learning rate, features and rows in a fixed order: no randomness, the same
weights on every machine to the printed precision). The flagging threshold is the one that maximises F1 of
leave-one-repository-out cross-validation on the tuning part. The held-back part is never read here.
``--check`` retrains and fails when the result differs from the shipped ``weights.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from .evaluate import HumanTurn, attach
from .features import feature_names
from .labels import DEV_ROOT, load_labels, repo_of, split_of
from .model import WEIGHTS_FILE, human_turns

ITERATIONS, RATE, L2 = 2000, 0.5, 0.002
THRESHOLDS = [round(0.20 + 0.025 * i, 3) for i in range(21)]  # 0.20 .. 0.70
# Prior weights the regularisation pulls towards (instead of 0): what each cue family means from knowledge
# of how people push back, so a strong cue that is rare in the tuning files (stop, revert, a repeated
# instruction) keeps its meaning; frequent families are set by the data.
PRIORS = {"interrupt": 3.0, "stop": 2.0, "revert": 2.0, "i_said": 2.0, "dont": 1.5, "wrong": 2.0, "not_working": 2.0,
          "why": 1.5, "disputes": 2.0, "you_did": 1.5, "negation_start": 2.0, "repeat": 2.0, "again": 1.0,
          "frustration": 1.5, "caps": 1.5, "prev_success": 0.5, "repeat_after_claim": 2.5,
          "reassure": -2.0}
RULE_FEATURES = ("interrupt", "negation_start", "wrong", "not_working", "why", "i_said", "dont", "stop", "revert",
                 "disputes", "you_did", "frustration", "caps")


def dataset(root: Path = DEV_ROOT, split: str = "tuning") -> list[tuple[dict, int, str]]:
    """(features, 1 = pushback / 0 = not, repository) for every labelled turn of the split (unsure left out)."""
    from ..transcript_sessions import session_rows
    from ..transcripts.formats import parse_file

    labels = [lab for lab in load_labels(root / "pushback-labels.tsv") if split_of(repo_of(lab.file)) == split]
    by_file: dict[str, list] = {}
    for lab in labels:
        by_file.setdefault(lab.file, []).append(lab)
    rows = []
    for file in sorted(by_file):
        human, feats = [], {}
        for t in parse_file(root / "transcripts" / file):
            if not t.messages or t.parent_session:
                continue
            turns = session_rows(t, None)[1]
            for turn, _text, x, _hits in human_turns(turns):
                human.append(HumanTurn(len(human) + 1, turn.text, False))
                feats[len(human)] = x
        for o in attach(by_file[file], human):
            if o.turn is None or o.label.label == "unsure" or feats.get(o.turn.ordinal) is None:
                continue
            rows.append((feats[o.turn.ordinal], int(o.label.label == "pushback"), repo_of(file)))
    return rows


def fit(rows, names) -> tuple[float, list[float]]:
    n = len(rows)
    xs = [[(j, x[f]) for j, f in enumerate(names) if x.get(f)] for x, _, _ in rows]
    ys = [y for _, y, _ in rows]
    b, w = 0.0, [0.0] * len(names)
    for _ in range(ITERATIONS):
        gb, gw = 0.0, [0.0] * len(names)
        for xi, yi in zip(xs, ys):
            z = b
            for j, v in xi:
                z += w[j] * v
            err = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - yi
            gb += err
            for j, v in xi:
                gw[j] += err * v
        b -= RATE * gb / n
        w = [wj - RATE * (g / n + L2 * (wj - PRIORS.get(f, 0.0))) for wj, g, f in zip(w, gw, names)]
    return b, w


def _prob(b, w, names, x) -> float:
    z = b + sum(wj * x.get(f, 0.0) for wj, f in zip(w, names))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _score(pairs) -> dict:
    tp = sum(1 for p, y in pairs if p and y)
    fp = sum(1 for p, y in pairs if p and not y)
    fn = sum(1 for p, y in pairs if not p and y)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(prec, 3), "recall": round(rec, 3),
            "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0}


def cross_validate(rows, names) -> list[tuple[float, int]]:
    """Leave-one-repository-out: (probability, label) for every row, predicted by a model not trained on its repo."""
    out = []
    for repo in sorted({r for _, _, r in rows}):
        train = [r for r in rows if r[2] != repo]
        b, w = fit(train, names)
        out += [(_prob(b, w, names, x), y) for x, y, r in rows if r == repo]
    return out


def train(root: Path = DEV_ROOT) -> dict:
    names = feature_names()
    rows = dataset(root)
    cv = cross_validate(rows, names)
    best = max(THRESHOLDS, key=lambda t: (_score([(p >= t, y) for p, y in cv])["f1"], t))
    b, w = fit(rows, names)
    rules = _score([(any(x.get(f) for f in RULE_FEATURES), y) for x, y, _ in rows])
    return {
        "about": "pushback model: logistic regression over cue families and context (see features.py); "
                 "trained by misalign_tui.data.building.pushback.train on the tuning split of tests/fixtures/real",
        "bias": round(b, 6), "coef": {f: round(v, 6) for f, v in zip(names, w)}, "threshold": best,
        "training": {"rows": len(rows), "pushback": sum(y for _, y, _ in rows), "iterations": ITERATIONS,
                     "rate": RATE, "l2": L2, "priors": PRIORS},
        "tuning_cv": _score([(p >= best, y) for p, y in cv]),
        "tuning_rules_only": rules,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m misalign_tui.data.building.pushback.train", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=str(WEIGHTS_FILE))
    p.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights")
    a = p.parse_args(argv)
    got = train()
    text = json.dumps(got, indent=1, ensure_ascii=False) + "\n"
    if a.check:
        same = Path(a.out).read_text(encoding="utf-8") == text
        print("weights reproduced" if same else "weights differ from the shipped file", file=sys.stderr)
        return 0 if same else 1
    Path(a.out).write_text(text, encoding="utf-8")
    print(json.dumps({k: got[k] for k in ("threshold", "tuning_cv", "tuning_rules_only")}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
