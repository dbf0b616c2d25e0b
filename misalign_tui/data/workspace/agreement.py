"""Agreement of two raters (a reviewer and the model's labels, or two reviewers) over a coding round.

Plain Python, no numpy/scipy:

- **Cohen's κ** (two raters, one label per item): κ = (p_o − p_e) / (1 − p_e), p_e = Σ_c p_A(c)·p_B(c) from
  each rater's own marginals.
- **Krippendorff's α** for any number of coders, missing values and any distance δ:
  α = 1 − D_o / D_e, D_o = (1/n) Σ_u 1/(m_u − 1) Σ_{i≠j} δ(v_ui, v_uj),
  D_e = 1/(n(n − 1)) Σ_{i≠j} δ(v_i, v_j)
  over the n pairable values (units with fewer than two values are dropped); nominal δ = [a ≠ b].
- **Multi-label axes** (symptom, cause) are reported two ways: *per code*, each code a binary variable
  (present / absent) with its own κ, α and raw agreement; and *as a set*, exact-match agreement and α with
  the **MASI** distance (Passonneau 2006: δ = 1 − J·M, J the Jaccard index, M = 1 for equal sets, 2/3 when
  one contains the other, 1/3 when they overlap otherwise, 0 when disjoint).
- The cause **tier** is compared over the causes both raters chose (C7 has no tier).

"Not applicable" (no locus without damage, no resolver when unresolved) is a category of its own (``—``).
κ and α are None when undefined (no variation: p_e = 1 or D_e = 0). Raw agreement is the share of
identical values; n the items compared.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable

from ..taxonomy import CAUSES, LOCI, RESOLVERS, SEVERITIES, STATUSES, SYMPTOMS, TIERS
from .coding import Coding

NA = "—"
SET_COLUMNS = ("both", "A only", "B only", "neither")
SINGLE = (("severity", SEVERITIES), ("locus", LOCI), ("status", STATUSES), ("resolver", RESOLVERS))


def observed_agreement(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    pairs = list(pairs)
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of two raters' labels, one (a, b) pair per item; None when undefined."""
    pairs = list(pairs)
    n = len(pairs)
    if not n:
        return None
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[c] * cb[c] for c in ca) / (n * n)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


def nominal(a, b) -> float:
    return 0.0 if a == b else 1.0


def masi_distance(a: frozenset, b: frozenset) -> float:
    """MASI distance of two label sets (0 identical … 1 disjoint); two empty sets are identical."""
    a, b = frozenset(a), frozenset(b)
    if a == b:
        return 0.0
    union = a | b
    jaccard = len(a & b) / len(union)
    m = 2 / 3 if (a <= b or b <= a) else (1 / 3 if a & b else 0.0)
    return 1.0 - jaccard * m


def krippendorff_alpha(units: Iterable[Iterable], distance: Callable = nominal) -> float | None:
    """Krippendorff's α; ``units`` holds each unit's values (one per coder, None = missing)."""
    pairable = [[v for v in u if v is not None] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    n = sum(len(u) for u in pairable)
    if n < 2:
        return None
    d_o = 0.0
    for u in pairable:
        m = len(u)
        d_o += sum(distance(u[i], u[j]) for i in range(m) for j in range(m) if i != j) / (m - 1)
    d_o /= n
    counts = Counter(v for u in pairable for v in u)
    values = list(counts)
    d_e = sum(counts[a] * counts[b] * distance(a, b) for a in values for b in values if a != b) / (n * (n - 1))
    if d_e == 0:
        return None
    return 1.0 - d_o / d_e


@dataclass
class AxisAgreement:
    axis: str  # severity / locus / status / resolver / tier / symptom / cause / symptom:S3 / cause:C4
    kind: str  # single / set / code
    n: int
    agreement: float | None
    kappa: float | None
    alpha: float | None
    rows: list[str] = field(default_factory=list)  # confusion rows (rater A's values, or codes for a set)
    columns: list[str] = field(default_factory=list)  # confusion columns (rater B's values, or SET_COLUMNS)
    matrix: list[list[int]] = field(default_factory=list)
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)  # (key, A's value, B's value)


@dataclass
class Agreement:
    rater_a: str
    rater_b: str
    keys: list[str]
    axes: list[AxisAgreement]

    @property
    def n(self) -> int:
        return len(self.keys)

    def axis(self, name: str) -> AxisAgreement | None:
        return next((a for a in self.axes if a.axis == name), None)

    def disagreeing_keys(self) -> list[str]:
        """Episodes on which the raters differ on any axis, in key order."""
        bad = {k for a in self.axes for k, _, _ in a.disagreements}
        return [k for k in self.keys if k in bad]

    def markdown(self) -> str:
        return agreement_markdown(self)


def _single(axis: str, codes: dict[str, str], keys, a, b, get) -> AxisAgreement:
    pairs = [(get(a[k]) or NA, get(b[k]) or NA) for k in keys]
    order = list(codes) + [NA]
    seen = {x for p in pairs for x in p}
    labels = [c for c in order if c in seen] + sorted(seen - set(order))
    index = {c: i for i, c in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for x, y in pairs:
        matrix[index[x]][index[y]] += 1
    dis = [(k, x, y) for k, (x, y) in zip(keys, pairs) if x != y]
    return AxisAgreement(axis, "single", len(pairs), observed_agreement(pairs), cohen_kappa(pairs),
                         krippendorff_alpha(pairs), labels, list(labels), matrix, dis)


def _multi(axis: str, codes: dict[str, str], keys, a, b, get) -> list[AxisAgreement]:
    sets = [(frozenset(get(a[k])), frozenset(get(b[k]))) for k in keys]
    used = [c for c in codes if any(c in x or c in y for x, y in sets)]
    matrix, per_code = [], []
    for c in used:
        flags = [(c in x, c in y) for x, y in sets]
        cnt = Counter(flags)
        matrix.append([cnt[(True, True)], cnt[(True, False)], cnt[(False, True)], cnt[(False, False)]])
        dis = [(k, "yes" if fx else "no", "yes" if fy else "no") for k, (fx, fy) in zip(keys, flags) if fx != fy]
        two = [[cnt[(True, True)], cnt[(True, False)]], [cnt[(False, True)], cnt[(False, False)]]]
        per_code.append(AxisAgreement(f"{axis}:{c}", "code", len(flags), observed_agreement(flags),
                                      cohen_kappa(flags), krippendorff_alpha(flags), ["yes", "no"], ["yes", "no"],
                                      two, dis))
    dis = [(k, " ".join(sorted(x)) or NA, " ".join(sorted(y)) or NA) for k, (x, y) in zip(keys, sets) if x != y]
    whole = AxisAgreement(axis, "set", len(sets), observed_agreement(sets), None,
                          krippendorff_alpha(sets, masi_distance), used, list(SET_COLUMNS), matrix, dis)
    return [whole, *per_code]


def _tiers(keys, a, b) -> AxisAgreement:
    pairs, where = [], []
    for k in keys:
        ta, tb = dict(a[k].causes), dict(b[k].causes)
        for c in CAUSES:
            if c != "C7" and c in ta and c in tb:
                pairs.append((ta[c] or NA, tb[c] or NA))
                where.append((k, c))
    labels = [t for t in (*TIERS, NA) if any(t in p for p in pairs)]
    index = {t: i for i, t in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for x, y in pairs:
        matrix[index[x]][index[y]] += 1
    dis = [(k, f"{c}:{x}", f"{c}:{y}") for (k, c), (x, y) in zip(where, pairs) if x != y]
    return AxisAgreement("tier", "single", len(pairs), observed_agreement(pairs), cohen_kappa(pairs),
                         krippendorff_alpha(pairs), labels, list(labels), matrix, dis)


def compare(a: dict[str, Coding], b: dict[str, Coding], rater_a: str = "reviewer",
            rater_b: str = "model") -> Agreement:
    """Agreement of two raters over the episodes both coded (in key order)."""
    keys = sorted(set(a) & set(b))
    axes = _multi("symptom", SYMPTOMS, keys, a, b, lambda c: c.symptoms)
    axes += _multi("cause", CAUSES, keys, a, b, lambda c: c.cause_codes)
    axes.append(_tiers(keys, a, b))
    for name, codes in SINGLE:
        axes.append(_single(name, codes, keys, a, b, lambda c, n=name: getattr(c, n)))
    order = ["symptom", "cause", "tier", "severity", "locus", "status", "resolver"]
    axes.sort(key=lambda x: (order.index(x.axis.split(":")[0]), x.kind == "code"))
    return Agreement(rater_a, rater_b, keys, axes)


# ----- Markdown (misalign-tui notes agreement, the agreement screen's copy) ---------------------------
def fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def axis_title(a: AxisAgreement) -> str:
    if a.kind == "set":
        return f"{a.axis} (label set; α with MASI)"
    if a.kind == "code":
        return f"  {a.axis.split(':')[1]} (present/absent)"
    return a.axis


def summary_rows(ag: Agreement) -> list[tuple[str, str, str, str, str]]:
    """(axis, n, raw agreement, κ, α) per axis row, formatted."""
    return [(axis_title(a), str(a.n), fmt(a.agreement, True), fmt(a.kappa), fmt(a.alpha)) for a in ag.axes]


def confusion_markdown(a: AxisAgreement, rater_a: str, rater_b: str) -> list[str]:
    if a.kind == "set":
        head = f"Per code: both, only {rater_a}, only {rater_b}, neither"
        cols = ["both", f"{rater_a} only", f"{rater_b} only", "neither"]
    else:
        head = f"Rows: {rater_a} · columns: {rater_b}"
        cols = list(a.columns)
    lines = [f"### {a.axis}", "", head, "", "| | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for label, row in zip(a.rows, a.matrix):
        lines.append(f"| {label} | " + " | ".join(str(x) for x in row) + " |")
    return lines + [""]


def agreement_markdown(ag: Agreement) -> str:
    lines = [f"# Agreement: {ag.rater_a} vs {ag.rater_b}", "",
             f"{ag.n} episodes coded by both. κ: Cohen's kappa; α: Krippendorff's alpha (nominal; MASI "
             "distance for label sets); — where undefined (no variation).", "",
             "| Axis | n | Agreement | κ | α |", "|---|---|---|---|---|"]
    for row in summary_rows(ag):
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Confusion tables", ""]
    for a in ag.axes:
        if a.kind != "code" and a.rows:
            lines += confusion_markdown(a, ag.rater_a, ag.rater_b)
    dis = ag.disagreeing_keys()
    lines += ["## Disagreements", "", f"{len(dis)} of {ag.n} episodes", ""]
    for key in dis:
        parts = [f"{a.axis}: {x} vs {y}" for a in ag.axes if a.kind != "code"
                 for k, x, y in a.disagreements if k == key]
        lines.append(f"- `{key}` — " + "; ".join(parts))
    return "\n".join(lines) + "\n"
