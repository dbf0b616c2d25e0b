"""Train the pushback model's weights from the TUNING part of the labelled dev set, reproducibly.

    python -m misalign_tui.data.building.pushback.train [--check] [--out FILE]

A logistic regression over the features of ``features``, regularised toward hand-set prior weights and fitted
exactly by Newton's method (features and rows in a fixed order, no randomness: the same weights on every
machine to the printed precision). Leave-one-repository-out cross-validation on the tuning part chooses the
regularisation strength (the strongest whose F1 is within ``TOLERANCE`` of the best) and the flagging
threshold (the one that maximises F1). The held-back part is never read here. ``--check`` retrains and
fails when the result differs from the shipped ``weights.json``; ``--check-fit`` refits with the shipped
regularisation only (seconds instead of the cross-validation's minute).
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

MAX_NEWTON = 100
L2_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)  # strengths of the pull toward the priors tried by cross-validation
TOLERANCE = 0.005  # cross-validated F1 this close to the best: prefer the stronger pull (closer to the priors)
THRESHOLDS = [round(0.20 + 0.025 * i, 3) for i in range(21)]  # 0.20 .. 0.70
# Prior weights the regularisation pulls towards (instead of 0): what each cue family means from knowledge
# of how people push back, so a strong cue that is rare in the tuning files (stop, revert, a repeated
# instruction) keeps its meaning; frequent families are set by the data.
PRIORS = {"interrupt": 3.0, "stop": 2.0, "revert": 2.0, "i_said": 2.0, "dont": 1.5, "wrong": 2.0, "not_working": 2.0,
          "why": 1.5, "disputes": 2.0, "you_did": 1.5, "negation_start": 2.0, "repeat": 2.0, "again": 1.0,
          "frustration": 1.5, "caps": 1.5, "still": 1.5, "negative_eval": 1.5, "error_report": 1.0, "but_start": 1.0,
          "instead": 0.5, "prev_claim": 0.5, "repeat_after_claim": 1.5,
          "prev_cancelled": 1.0, "error_after_change": 1.0, "prev_asks": -0.5,
          "reassure": -2.0, "approve": -1.0, "template": -3.0, "answer": -2.0, "new_request": -1.0}
RULE_FEATURES = ("interrupt", "negation_start", "wrong", "not_working", "why", "i_said", "dont", "stop", "revert",
                 "disputes", "you_did", "frustration", "caps", "still")


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


def _loss(b, w, xs, ys, prior, l2) -> float:
    total = 0.0
    for xi, yi in zip(xs, ys):
        z = max(-30.0, min(30.0, b + sum(w[j] for j in xi)))
        total += math.log1p(math.exp(-z)) if yi else math.log1p(math.exp(z))
    return total / len(xs) + l2 / 2 * sum((wj - pj) ** 2 for wj, pj in zip(w, prior))


def _solve(a: list[list[float]], v: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(v)
    m = [row[:] + [v[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    out = [0.0] * n
    for c in range(n - 1, -1, -1):
        out[c] = (m[c][n] - sum(m[c][k] * out[k] for k in range(c + 1, n))) / m[c][c]
    return out


def fit(rows, names, l2: float) -> tuple[float, list[float]]:
    """Minimise mean log-loss + l2/2 * |w - priors|^2 (bias not penalised) by Newton's method with step halving:
    the exact optimum, the same on every machine to the printed precision."""
    xs = [[j for j, f in enumerate(names) if x.get(f)] for x, _, _ in rows]  # features are 0/1
    ys = [y for _, y, _ in rows]
    n, k = len(rows), len(names) + 1  # index k-1: the bias
    prior = [PRIORS.get(f, 0.0) for f in names]
    b, w = 0.0, prior[:]
    loss = _loss(b, w, xs, ys, prior, l2)
    for _ in range(MAX_NEWTON):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for xi, yi in zip(xs, ys):
            z = max(-30.0, min(30.0, b + sum(w[j] for j in xi)))
            p = 1.0 / (1.0 + math.exp(-z))
            err, h = p - yi, p * (1.0 - p)
            idx = xi + [k - 1]
            for a in idx:
                grad[a] += err
                row = hess[a]
                for c in idx:
                    row[c] += h
        for a in range(k):
            grad[a] /= n
            for c in range(k):
                hess[a][c] /= n
        for j in range(k - 1):
            grad[j] += l2 * (w[j] - prior[j])
            hess[j][j] += l2
        step = _solve(hess, grad)
        t = 1.0
        while True:
            nb, nw = b - t * step[-1], [wj - t * s for wj, s in zip(w, step)]
            new = _loss(nb, nw, xs, ys, prior, l2)
            if new <= loss + 1e-15 or t < 1e-6:
                break
            t /= 2
        b, w, done = nb, nw, loss - new < 1e-13
        loss = new
        if done:
            break
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


def cross_validate(rows, names, l2: float) -> list[tuple[float, int]]:
    """Leave-one-repository-out: (probability, label) for every row, predicted by a model not trained on its repo."""
    out = []
    for repo in sorted({r for _, _, r in rows}):
        train = [r for r in rows if r[2] != repo]
        b, w = fit(train, names, l2)
        out += [(_prob(b, w, names, x), y) for x, y, r in rows if r == repo]
    return out


def best_threshold(pairs) -> float:
    return max(THRESHOLDS, key=lambda t: (_score([(p >= t, y) for p, y in pairs])["f1"], t))


def train(root: Path = DEV_ROOT) -> dict:
    names = feature_names()
    rows = dataset(root)
    grid = {}
    for l2 in L2_GRID:
        cv = cross_validate(rows, names, l2)
        thr = best_threshold(cv)
        grid[l2] = (thr, _score([(p >= thr, y) for p, y in cv]))
    top = max(s["f1"] for _, s in grid.values())
    l2 = max(g for g in L2_GRID if grid[g][1]["f1"] >= top - TOLERANCE)
    thr = grid[l2][0]
    b, w = fit(rows, names, l2)
    return {
        "about": "pushback model: logistic regression over cue families and context (see features.py); "
                 "trained by misalign_tui.data.building.pushback.train on the tuning split of tests/fixtures/real",
        "bias": round(b, 6), "coef": {f: round(v, 6) for f, v in zip(names, w)}, "threshold": thr,
        "training": {"rows": len(rows), "pushback": sum(y for _, y, _ in rows), "l2": l2, "priors": PRIORS,
                     "cv_by_l2": {str(g): {"threshold": t, **s} for g, (t, s) in grid.items()}},
        "tuning_cv": grid[l2][1],
        "tuning_in_sample": _score([(_prob(b, w, names, x) >= thr, y) for x, y, _ in rows]),
        "tuning_rules_only": _score([(any(x.get(f) for f in RULE_FEATURES), y) for x, y, _ in rows]),
    }


def check_fit(path: Path) -> int:
    """Refit with the shipped file's l2 and compare bias, weights and in-sample figures to the printed precision."""
    shipped = json.loads(path.read_text(encoding="utf-8"))
    names, rows = feature_names(), dataset()
    b, w = fit(rows, names, shipped["training"]["l2"])
    thr = shipped["threshold"]
    same = (round(b, 6) == shipped["bias"] and {f: round(v, 6) for f, v in zip(names, w)} == shipped["coef"]
            and _score([(_prob(b, w, names, x) >= thr, y) for x, y, _ in rows]) == shipped["tuning_in_sample"])
    print("weights reproduced" if same else "weights differ from the shipped file", file=sys.stderr)
    return 0 if same else 1


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m misalign_tui.data.building.pushback.train", description=__doc__.split("\n")[0])
    p.add_argument("--out", default=str(WEIGHTS_FILE))
    p.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights")
    p.add_argument("--check-fit", action="store_true",
                   help="refit with the shipped regularisation and threshold (no cross-validation) and compare "
                        "the weights: the quick check")
    a = p.parse_args(argv)
    if a.check_fit:
        return check_fit(Path(a.out))
    got = train()
    text = json.dumps(got, indent=1, ensure_ascii=False) + "\n"
    if a.check:
        same = Path(a.out).read_text(encoding="utf-8") == text
        print("weights reproduced" if same else "weights differ from the shipped file", file=sys.stderr)
        return 0 if same else 1
    Path(a.out).write_text(text, encoding="utf-8")
    print(json.dumps({k: got[k] for k in ("threshold", "tuning_cv", "tuning_in_sample", "tuning_rules_only")}),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
