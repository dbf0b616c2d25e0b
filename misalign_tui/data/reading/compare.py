"""A/B comparison: the label distributions of two selections side by side, with a significance test.

``compare(corpus, a, b)`` compares Filters A with Filters B; ``compare(corpus, a)`` compares A with
"everything else": the episodes of A's scope (its validation selection and licensed-only setting, i.e.
what the explorer counts as M in "N of M") that A does not select. Counts come from
``chart_episodes.sql``; "everything else" is scope minus A, count by count (A is a subset of its scope).

Per label: count and % on each side (the denominators of docs/statistics.md: episodes,
or episodes with a locus / with a resolver), the difference in percentage points, and a pooled
two-proportion z-test (two-sided p from ``math.erfc``). Labels are multi-valued and many are tested at
once, so the p-values are descriptive (no multiple-comparison correction). Nothing here imports textual
or rich.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..filters import Filters
from ..taxonomy import AXIS_BY_NAME, LABEL_AXES, VALIDATION_AXES, gloss
from .charts import ChartData, EpisodeCounts, Table, format_value, md_escape
from .corpus import Corpus

COMPARE_AXES = LABEL_AXES
SAMPLE_SIZE = 5


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float | None, float | None]:
    """Pooled two-proportion z-test of x1/n1 vs x2/n2: (z, two-sided p). (None, None) when a side is
    empty; (0.0, 1.0) when both proportions are 0 or both are 1 (no variance)."""
    if n1 <= 0 or n2 <= 0:
        return None, None
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    if var <= 0.0:
        return 0.0, 1.0
    z = (p1 - p2) / math.sqrt(var)
    return z, math.erfc(abs(z) / math.sqrt(2.0))


def significance(p: float | None) -> str:
    """``***`` p < 0.001, ``**`` p < 0.01, ``*`` p < 0.05, else ''."""
    if p is None:
        return ""
    if p < 0.001:
        return "***"
    if p < 0.01:
        return "**"
    if p < 0.05:
        return "*"
    return ""


def rest_scope(a: Filters) -> Filters:
    """A's scope: its validation selections and licensed-only setting, nothing else."""
    return replace(a, selections=tuple((k, v) for k, v in a.selections if k in VALIDATION_AXES), text="", regex=False)


@dataclass(frozen=True)
class CompareRow:
    axis: str
    code: str
    gloss: str
    a_count: int
    a_n: int
    a_pct: float | None
    b_count: int
    b_n: int
    b_pct: float | None
    diff_pp: float | None  # A % − B %
    z: float | None
    p: float | None
    marker: str


@dataclass(frozen=True)
class Comparison:
    a_label: str
    b_label: str
    a_filters: Filters
    b_filters: Filters | None  # None: everything else in A's scope
    a_n: int
    b_n: int
    overlap: int  # episodes in both A and B (0 for "everything else")
    rows: tuple[CompareRow, ...]
    sample_a: tuple[str, ...]
    sample_b: tuple[str, ...]
    seed: int
    axes: tuple[str, ...] = field(default=COMPARE_AXES)

    def row(self, code: str, axis: str | None = None) -> CompareRow:
        for r in self.rows:
            if r.code == code and (axis is None or r.axis == axis):
                return r
        raise KeyError(code)

    def table(self) -> Table:
        """The comparison as a Table (heat column: the difference in percentage points)."""
        rows = tuple((f"{r.code} {r.gloss}" if r.gloss != r.code else r.code, r.a_count, r.a_pct, r.b_count,
                      r.b_pct, r.diff_pp, r.p, r.marker) for r in self.rows)
        return Table("compare", "A/B comparison", ("Label", "A n", "A %", "B n", "B %", "Δ pp", "p", "sig"), rows,
                     ("label", "int", "pct", "int", "pct", "diff", "pval", "label"), self.a_n, "episodes in A",
                     f"A: {self.a_label} · B: {self.b_label}", self.note(), (5,),
                     {"axes": tuple(r.axis for r in self.rows)})

    def note(self) -> str:
        out = ("Δ pp = A % − B %; p = pooled two-proportion z-test, two-sided (* p < 0.05, ** p < 0.01, "
               "*** p < 0.001), descriptive: labels are multi-valued and not corrected for multiple comparisons. "
               "Locus and resolver % are of the episodes with a locus / resolver.")
        if self.overlap:
            out += f" {self.overlap} episodes are in both A and B (the test assumes independent samples)."
        return out

    def markdown(self) -> str:
        lines = ["### A/B comparison", "",
                 f"- **A** ({self.a_n} episodes): {md_escape(self.a_label)}",
                 f"- **B** ({self.b_n} episodes): {md_escape(self.b_label)}", ""]
        cols = ("Axis", "Label", "A n", "A %", "B n", "B %", "Δ pp", "p", "sig")
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|:---|:---|---:|---:|---:|---:|---:|---:|:---|")
        for r in self.rows:
            name = f"{r.code} {r.gloss}" if r.gloss != r.code else r.code
            cells = (AXIS_BY_NAME[r.axis].title, name, str(r.a_count), format_value(r.a_pct, "pct"),
                     str(r.b_count), format_value(r.b_pct, "pct"), format_value(r.diff_pp, "diff"),
                     format_value(r.p, "pval"), r.marker)
            lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
        lines += ["", md_escape(self.note()), "", f"Random sample (seed {self.seed}):", ""]
        lines.append("- A: " + (", ".join(f"`{k}`" for k in self.sample_a) or "—"))
        lines.append("- B: " + (", ".join(f"`{k}`" for k in self.sample_b) or "—"))
        return "\n".join(lines) + "\n"


def _side(ec: EpisodeCounts) -> dict:
    """{"n": {kind: n}, "values": {(axis, value): n}} summed over platforms."""
    n = {"episodes": 0, "with_locus": 0, "with_resolver": 0}
    for (kind, _p), v in ec.scope.items():
        n[kind] = n.get(kind, 0) + v
    values: dict = {}
    for (axis, value, _p), v in ec.value.items():
        values[(axis, value)] = values.get((axis, value), 0) + v
    return {"n": n, "values": values}


def _minus(scope: dict, a: dict) -> dict:
    return {"n": {k: v - a["n"].get(k, 0) for k, v in scope["n"].items()},
            "values": {k: v - a["values"].get(k, 0) for k, v in scope["values"].items()}}


def _members(corpus: Corpus, f: Filters) -> set[int]:
    return {r[0] for r in corpus.run("compare_members", {"f": f.params()})}


def sample_keys(corpus: Corpus, f: Filters, k: int, seed: int, exclude: set[int] | None = None) -> tuple[str, ...]:
    """``k`` episode keys of the selection in the explorer's seeded random order, skipping ``exclude``."""
    out: list[str] = []
    off, page = 0, max(4 * k, 200)
    while len(out) < k:
        rows = corpus.page(f, sort="random", seed=seed, offset=off, limit=page)
        out += [r.key for r in rows if not exclude or r.episode_no not in exclude][: k - len(out)]
        if len(rows) < page:
            break
        off += page
    return tuple(out)


def compare(corpus: Corpus, a: Filters, b: Filters | None = None, *, axes: tuple[str, ...] = COMPARE_AXES,
            sample: int = SAMPLE_SIZE, seed: int = 0) -> Comparison:
    """Compare selection A with selection B, or with everything else in A's scope when ``b`` is None."""
    side_a = _side(ChartData(corpus, a).episodes)
    if b is None:
        scope = rest_scope(a)
        side_b = _minus(_side(ChartData(corpus, scope).episodes), side_a)
        members_a = _members(corpus, a)
        overlap = 0
        b_label = f"everything else ({scope.describe()} minus A)"
        keys_b = sample_keys(corpus, scope, sample, seed, exclude=members_a) if sample else ()
    else:
        side_b = _side(ChartData(corpus, b).episodes)
        overlap = len(_members(corpus, a) & _members(corpus, b))
        b_label = b.describe()
        keys_b = sample_keys(corpus, b, sample, seed) if sample else ()
    keys_a = sample_keys(corpus, a, sample, seed) if sample else ()
    rows = []
    for axis in axes:
        ax = AXIS_BY_NAME[axis]
        kind = {"locus": "with_locus", "resolver": "with_resolver"}.get(axis, "episodes")
        n1, n2 = side_a["n"][kind], side_b["n"][kind]
        present = {v for (ax2, v) in list(side_a["values"]) + list(side_b["values"]) if ax2 == axis}
        codes = list(ax.codes or ()) + sorted(v for v in present if not ax.codes or v not in ax.codes)
        for code in codes:
            x1, x2 = side_a["values"].get((axis, code), 0), side_b["values"].get((axis, code), 0)
            p1 = 100.0 * x1 / n1 if n1 else None
            p2 = 100.0 * x2 / n2 if n2 else None
            z, p = two_proportion_test(x1, n1, x2, n2)
            rows.append(CompareRow(axis, code, gloss(axis, code), x1, n1, p1, x2, n2, p2,
                                   (p1 - p2) if p1 is not None and p2 is not None else None, z, p, significance(p)))
    return Comparison(a.describe(), b_label, a, b, side_a["n"]["episodes"], side_b["n"]["episodes"], overlap,
                      tuple(rows), keys_a, keys_b, seed, tuple(axes))


def reseeded(c: Comparison, corpus: Corpus, seed: int) -> Comparison:
    """The same comparison with new random samples."""
    k = max(len(c.sample_a), len(c.sample_b), SAMPLE_SIZE)
    if c.b_filters is None:
        keys_b = sample_keys(corpus, rest_scope(c.a_filters), k, seed, exclude=_members(corpus, c.a_filters))
    else:
        keys_b = sample_keys(corpus, c.b_filters, k, seed)
    return replace(c, sample_a=sample_keys(corpus, c.a_filters, k, seed), sample_b=keys_b, seed=seed)
