"""Agreement results as Markdown (``misalign-tui notes agreement`` and the agreement screen's copy)."""

from __future__ import annotations

from .agreement import Agreement, AxisAgreement


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
