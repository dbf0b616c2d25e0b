"""The detail pane: the highlighted episode as an Atlas-style card, and its Markdown citation.

All corpus text goes through ``data.text.visible`` / ``rich_text.safe_text``: escape sequences become visible
placeholders and ``[bold]`` stays literal (no markup is ever parsed here).
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from misalign_tui.data.reading.corpus import EpisodeDetail, Evidence
from misalign_tui.data.taxonomy import AXIS_BY_NAME, TIERS, gloss, label
from misalign_tui.data.text import one_line, visible

from .rich_text import safe_text

REASONING = (("symptom_reasoning", "Symptom reasoning"), ("cause_reasoning", "Cause reasoning"),
             ("outcome_reasoning", "Outcome reasoning"), ("resolution_reasoning", "Resolution reasoning"),
             ("validation_note", "Validation note"))


def title(axis: str) -> str:
    return AXIS_BY_NAME[axis].title


def cause_labels(d: EpisodeDetail) -> list[str]:
    """["C4 Context Loss (Direct evidence)", "C7 Cannot Determine"]."""
    out = []
    for code, tier in d.cause_tiers():
        out.append(label("cause", code) + (f" ({TIERS.get(tier, tier)})" if tier else ""))
    return out


def symptom_labels(d: EpisodeDetail) -> list[str]:
    out = []
    for code in d.row.get("symptoms") or ():
        other = d.row.get("symptom_other") if code == "S8" else None
        extra = f": {one_line(visible(other), 80)}" if other else ""
        out.append(label("symptom", code) + extra)
    return out


def turn_words(e: Evidence) -> str:
    where = f"turn {e.turn_no}" if e.turn_no is not None else (visible(e.turn_ref) or "unknown turn")
    return f"{where} · {e.role}" if e.role and e.turn_no is not None else where


def _labels_grid(d: EpisodeDetail) -> Table:
    r = d.row
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    def row(axis: str, values: list[str]) -> None:
        grid.add_row(Text(title(axis)), safe_text("\n".join(values) if values else "—"))

    if r.get("validation") != "VALID":
        cat = r.get("invalid_category")
        row("validation", [label("validation", r.get("validation"))
                           + (f": {gloss('invalid_category', cat)}" if cat else "")])
    row("symptom", symptom_labels(d))
    row("cause", cause_labels(d))
    row("severity", [label("severity", r["severity"])] if r.get("severity") else [])
    if r.get("locus"):
        row("locus", [label("locus", r["locus"])])
    row("status", [label("status", r["status"])] if r.get("status") else [])
    if r.get("resolver"):
        row("resolver", [label("resolver", r["resolver"])])
    row("goal", [gloss("goal", r["goal"])] if r.get("goal") else [])
    row("confidence", [gloss("confidence", r["confidence"])] if r.get("confidence") else [])
    return grid


def render_detail(d: EpisodeDetail, extra: list | None = None) -> Group:
    """The card: key, name, session line, glossed labels, ``extra`` (the reviewer workspace's bookmarks,
    tags and notes), the evidence (the quotes: what a reader looks for first), description, reasoning."""
    r = d.row
    head = Text()
    head.append_text(safe_text(r.get("episode_key"), "bold"))
    if r.get("name"):
        head.append("\n")
        head.append_text(safe_text(r["name"], "bold"))
    meta = [r.get("platform"), r.get("agent"), r["ts"].strftime("%Y-%m-%d %H:%M") if r.get("ts") else None,
            f"{title('license')} {r['license']}" if r.get("license") else None]
    head.append("\n")
    head.append_text(safe_text(" · ".join(str(m) for m in meta if m), "dim"))
    if r.get("session_title"):
        head.append("\n")
        head.append_text(safe_text("session: " + one_line(visible(r["session_title"]), 200), "dim"))
    head.append("\n")
    t = Text()
    append_evidence(t, d.evidence)
    t.append("\n")
    if r.get("description"):
        t.append("\nDescription\n", "bold")
        t.append_text(safe_text(r["description"]))
        t.append("\n")
    for field, heading in REASONING:
        if r.get(field):
            t.append(f"\n{heading}\n", "bold")
            t.append_text(safe_text(r[field]))
            t.append("\n")
    return Group(head, _labels_grid(d), *(extra or ()), t)


def append_evidence(t: Text, evidence) -> None:
    """The evidence list (turn, pushback mark, quote, context) as on the Atlas card, appended to ``t``."""
    t.append(f"\nEvidence ({len(evidence)})", "bold")
    if not evidence:
        t.append("\n  no evidence text for this episode (text records exist only for permissively "
                 "licensed repositories)", "dim")
    for e in evidence:
        t.append("\n\n")
        t.append(turn_words(e), "bold")
        if e.role == "USER":
            t.append(" · pushback", "italic")
        t.append("\n")
        t.append_text(safe_text("“" + (e.quote or "") + "”"))
        if e.context:
            t.append("\n")
            t.append_text(safe_text(e.context, "dim"))


def citation(d: EpisodeDetail) -> str:
    """A Markdown citation: key, name, glossed labels and the first pushback quote with its turn."""
    r = d.row
    name = f" — {one_line(visible(r['name']), 200)}" if r.get("name") else ""
    lines = [f"**{visible(r['episode_key'])}**{name}"]
    lines.append(f"- {title('symptom')}: " + ("; ".join(symptom_labels(d)) or "—"))
    lines.append(f"- {title('cause')}: " + ("; ".join(cause_labels(d)) or "—"))
    if r.get("severity"):
        lines.append(f"- {title('severity')}: {label('severity', r['severity'])}"
                     + (f"; {title('locus')}: {label('locus', r['locus'])}" if r.get("locus") else ""))
    if r.get("status"):
        lines.append(f"- {title('status')}: {label('status', r['status'])}"
                     + (f"; {title('resolver')}: {label('resolver', r['resolver'])}" if r.get("resolver") else ""))
    push = d.pushback()
    if push:
        e = push[0]
        quote = visible(e.quote).strip().replace("\n", "\n> ")
        lines.append(f"> “{quote}” — developer pushback, {turn_words(e).split(' · ')[0]}")
    return "\n".join(lines)


class DetailPane(VerticalScroll, can_focus=True):
    """Scrollable card of the highlighted episode."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="detail.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="detail.bottom"),
    ]

    def compose(self):
        yield Static(Text("Highlight an episode to see it here.", "dim"), id="detail-body")

    def show(self, renderable) -> None:
        self.query_one("#detail-body", Static).update(renderable)
        self.scroll_home(animate=False)
