"""Episode labels: symptoms, causes with tiers, damage, resolution, goal and confidence.

Labels follow the published per-platform rates (params.py), with a time trend on symptom shares,
pair affinities, a session-level tendency to repeat symptoms, and cause / damage affinities by
symptom. ``ensure_codes`` then makes every code of the taxonomy appear at least once in a corpus
large enough to carry it (rare codes like DS0, DS3, DL4, RV1, S8 and C5 would otherwise be absent
from a 300-session sample).
"""

from __future__ import annotations

import bisect
import math
from functools import lru_cache
from itertools import accumulate

from ...taxonomy import C7_MARKER, CAUSES, CONFIDENCES, GOALS, LOCI, RESOLVERS, SEVERITIES, STATUSES, SYMPTOMS, TIERS
from . import params
from .scenarios import SCENARIOS

SYM = tuple(SYMPTOMS)
CAU = tuple(CAUSES)
CAU6 = CAU[:6]
SEV = tuple(SEVERITIES)


def pick(rng, items, cum):
    """Weighted pick with precomputed cumulative weights."""
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def cumulative(pairs):
    return tuple(p[0] for p in pairs), tuple(accumulate(p[1] for p in pairs))


@lru_cache(maxsize=None)
def symptom_weights(platform: str) -> tuple[float, ...]:
    """Base pick weights so that successive sampling of k symptoms hits the published rates.

    Fixed-point on the exact inclusion probabilities of weighted sampling without replacement
    (k drawn from N_SYMPTOMS). Trend and affinities are left out here; what they shift is undone
    by params.SYMPTOM_FIT (fitted on full-size runs).
    """
    col = 0 if platform == "IDE" else 1
    target = [params.SYMPTOM_RATE[s][col] / 100 for s in SYM]
    pk = params.N_SYMPTOMS[platform]
    w = list(target)
    for _ in range(40):
        inc = _inclusion(w, pk)
        w = [wi * (t / max(i, 1e-9)) ** 0.7 for wi, t, i in zip(w, target, inc)]
    return tuple(w)


def _inclusion(w, pk):
    n = len(w)
    inc = [0.0] * n

    def rec(chosen, prob, depth, total_left):
        if depth >= 1:
            stop = pk[depth - 1] / max(sum(pk[depth - 1:]), 1e-12)
            for c in chosen:
                inc[c] += prob * stop
            prob *= 1 - stop
            if depth == len(pk) or prob <= 0:
                return
        for i in range(n):
            if i not in chosen:
                rec(chosen + (i,), prob * w[i] / total_left, depth + 1, total_left - w[i])

    rec((), 1.0, 0, sum(w))
    return inc


class LabelSampler:
    """Draws the labels of VALID episodes; ``x`` in [-1, 1] is the episode's position in time."""

    def __init__(self):
        self.kcum = {p: tuple(accumulate(params.N_SYMPTOMS[p])) for p in ("IDE", "CLI")}
        self.sw = {p: tuple(w * params.SYMPTOM_FIT[p][s] for w, s in zip(symptom_weights(p), SYM))
                   for p in ("IDE", "CLI")}
        self.trend = tuple(params.SYMPTOM_TREND[s] for s in SYM)
        self.pair = {}
        for (a, b), m in params.SYMPTOM_PAIR.items():
            self.pair[(a, b)] = self.pair[(b, a)] = m
        self.cause_base = tuple(params.CAUSE_RATE[c] * params.CAUSE_FIT[c] for c in CAU)
        self.tiers = cumulative(params.TIER_WEIGHTS)
        self.res = {p: cumulative(params.RESOLVER[p]) for p in ("IDE", "CLI")}
        self.goal = cumulative(params.GOAL_WEIGHTS)
        self.conf = cumulative(params.CONFIDENCE_VALID)

    def symptoms(self, rng, platform, x, prev):
        k = bisect.bisect_right(self.kcum[platform], rng.random() * self.kcum[platform][-1]) + 1
        base = [w * math.exp(t * x) for w, t in zip(self.sw[platform], self.trend)]
        for s in dict.fromkeys(prev):  # the session's earlier episodes: same symptoms and their partners
            base[SYM.index(s)] *= params.SESSION_REPEAT
            for i, q in enumerate(SYM):
                base[i] *= self.pair.get((s, q), 1.0) ** 0.5
        chosen: list[str] = []
        for _ in range(k):
            w = list(base)
            for i, s in enumerate(SYM):
                if s in chosen:
                    w[i] = 0.0
                    continue
                for c in chosen:
                    w[i] *= self.pair.get((c, s), 1.0)
            cum = tuple(accumulate(w))
            chosen.append(SYM[bisect.bisect_right(cum, rng.random() * cum[-1])])
        return chosen

    def causes(self, rng, syms):
        w = list(self.cause_base)
        for i, c in enumerate(CAU):
            f = sum(params.CAUSE_AFFINITY.get(s, {}).get(c, 1.0) for s in syms) / len(syms)
            w[i] *= f
        cum = tuple(accumulate(w))
        first = CAU[bisect.bisect_right(cum, rng.random() * cum[-1])]
        if first == "C7":
            return {"C7": C7_MARKER}
        out = [first]
        if rng.random() < params.SECOND_CAUSE:
            w2 = [0.0 if c == first else w[i] for i, c in enumerate(CAU6)]
            cum2 = tuple(accumulate(w2))
            out.append(CAU6[bisect.bisect_right(cum2, rng.random() * cum2[-1])])
        return {c: pick(rng, *self.tiers) for c in CAU if c in out}

    def sample(self, rng, platform, x, prev):
        syms = self.symptoms(rng, platform, x, prev)
        story = [(s, rng.randrange(len(SCENARIOS[s]))) for s in syms]
        f = sum(params.DS2_SYMPTOM.get(s, 1.0) for s in syms) / len(syms)
        cum = tuple(accumulate(p * f if c == "DS2" else p for c, p in params.SEVERITY[platform]))
        sev = SEV[bisect.bisect_right(cum, rng.random() * cum[-1])]
        locus = None
        if sev in ("DS2", "DS3"):
            lw = [n * math.prod(params.LOCUS_SYMPTOM.get(s, {}).get(c, 1.0) for s in syms) for c, n in params.LOCUS]
            lcum = tuple(accumulate(lw))
            locus = params.LOCUS[bisect.bisect_right(lcum, rng.random() * lcum[-1])][0]
        status, resolver = "RS2", None
        if rng.random() < params.RESOLVED:
            status, resolver = "RS1", pick(rng, *self.res[platform])
        goal = params.GOAL_SYMPTOM.get(syms[0]) if rng.random() < 0.3 else None
        return {
            "symptoms": sorted(syms), "story": story, "causes": self.causes(rng, syms), "severity": sev,
            "locus": locus, "status": status, "resolver": resolver, "goal": goal or pick(rng, *self.goal),
            "confidence": pick(rng, *self.conf),
        }


def other_descriptor(lab):
    from .scenarios import OTHER_DESCRIPTORS
    for s, i in lab["story"]:
        if s == "S8":
            return OTHER_DESCRIPTORS[i]
    return None


def _counts(labs):
    n: dict[str, int] = {}
    for lab in labs:
        keys = list(lab["symptoms"]) + list(lab["causes"]) + [t for t in lab["causes"].values() if t in TIERS]
        keys += [lab["severity"], lab["locus"], lab["status"], lab["resolver"], lab["goal"], lab["confidence"]]
        for k in keys:
            if k is not None:
                n[k] = n.get(k, 0) + 1
    return n


def ensure_codes(labs: list[dict], rng) -> None:
    """Make every taxonomy code appear at least once (needs >= 40 episodes); edits plain episodes."""
    if len(labs) < 40:
        return
    wanted = [*SYMPTOMS, *CAUSES, *TIERS, *SEVERITIES, *LOCI, *STATUSES, *RESOLVERS, *GOALS, *CONFIDENCES]
    used: set[int] = set()
    n = _counts(labs)
    for code in wanted:
        if n.get(code):
            continue
        plain = [i for i, lab in enumerate(labs) if i not in used and len(lab["symptoms"]) == 1
                 and n[lab["symptoms"][0]] >= 3 and lab["severity"] == "DS1" and lab["status"] == "RS2"
                 and len(lab["causes"]) == 1 and "C7" not in lab["causes"] and n[next(iter(lab["causes"]))] >= 3
                 and n[lab["goal"]] >= 3 and n[lab["confidence"]] >= 3
                 and n[next(iter(lab["causes"].values()))] >= 3]
        if not plain:
            continue
        i = plain[rng.randrange(len(plain))]
        used.add(i)
        lab = labs[i]
        if code in SYMPTOMS:
            lab["symptoms"] = sorted(lab["symptoms"] + [code])
            lab["story"].append((code, rng.randrange(len(SCENARIOS[code]))))
        elif code == "C7":
            lab["causes"] = {"C7": C7_MARKER}
        elif code in CAUSES:
            lab["causes"][code] = "direct"
            lab["causes"] = {c: lab["causes"][c] for c in CAU if c in lab["causes"]}
        elif code in TIERS:
            c = next(iter(lab["causes"]))
            lab["causes"][c] = code
        elif code in SEVERITIES:
            lab["severity"] = code
            if code in ("DS2", "DS3"):
                lab["locus"] = "DL1"
        elif code in LOCI:
            lab["severity"], lab["locus"] = "DS2", code
        elif code == "RS1":
            lab["status"], lab["resolver"] = "RS1", "RV2"
        elif code in RESOLVERS:
            lab["status"], lab["resolver"] = "RS1", code
        elif code in GOALS:
            lab["goal"] = code
        elif code in CONFIDENCES:
            lab["confidence"] = code
        n = _counts(labs)
