"""The re-coding form: its rows (one per axis, a tier row per chosen cause), digit keys, and rendering.

The active row takes the digit keys: on "symptom" 1–8 toggle S1–S8, on "cause" 1–7 toggle C1–C7 (at most
two; C7 alone), on a tier row 1–3 pick direct / contextual / speculative, on severity 1–5 pick DS0–DS4,
locus 1–4, status 1–2, resolver 1–3. Letters jump to a row (s c t d l r v); 0 clears the active row.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text

from misalign_tui.data.taxonomy import CAUSES, LOCI, RESOLVERS, SEVERITIES, STATUSES, SYMPTOMS, TIERS
from misalign_tui.data.workspace.coding import Coding


@dataclass(frozen=True)
class Row:
    name: str  # symptom / cause / tier:0 / tier:1 / severity / locus / status / resolver
    title: str
    letter: str  # the key that jumps to the row
    codes: dict[str, str]
    chosen: tuple[str, ...]


AXIS_LETTERS = {"symptom": "s", "cause": "c", "tier": "t", "severity": "d", "locus": "l", "status": "r",
                "resolver": "v"}


def rows(c: Coding) -> list[Row]:
    out = [Row("symptom", "Symptoms (any)", "s", SYMPTOMS, c.symptoms),
           Row("cause", "Causes (≤ 2; C7 alone)", "c", CAUSES, c.cause_codes)]
    for i, (code, tier) in enumerate(c.causes):
        if code != "C7":
            out.append(Row(f"tier:{i}", f"Evidence tier of {code} (required)", "t", TIERS, (tier,) if tier else ()))
    out += [Row("severity", "Damage severity", "d", SEVERITIES, (c.severity,) if c.severity else ()),
            Row("locus", "Damage locus", "l", LOCI, (c.locus,) if c.locus else ()),
            Row("status", "Resolution status", "r", STATUSES, (c.status,) if c.status else ()),
            Row("resolver", "Resolver", "v", RESOLVERS, (c.resolver,) if c.resolver else ())]
    return out


def row_names(c: Coding) -> list[str]:
    return [r.name for r in rows(c)]


def press_digit(c: Coding, row: str, digit: int) -> Coding | None:
    """The coding after pressing ``digit`` (1-based) on ``row``; None when the digit has no option there."""
    found = next((r for r in rows(c) if r.name == row), None)
    if found is None or not 1 <= digit <= len(found.codes):
        return None
    code = list(found.codes)[digit - 1]
    if row == "symptom":
        return c.toggle_symptom(code)
    if row == "cause":
        return c.toggle_cause(code)
    if row.startswith("tier:"):
        index = int(row.split(":")[1])
        return c.with_tier(index, None if code in found.chosen else code)
    return c.with_value(row, None if code in found.chosen else code)


def clear_row(c: Coding, row: str) -> Coding:
    if row == "symptom":
        return Coding((), c.causes, c.severity, c.locus, c.status, c.resolver)
    if row == "cause":
        return Coding(c.symptoms, (), c.severity, c.locus, c.status, c.resolver)
    if row.startswith("tier:"):
        return c.with_tier(int(row.split(":")[1]), None)
    return c.with_value(row, None)


def next_row_for_letter(c: Coding, letter: str, active: str) -> str | None:
    """The row a letter jumps to (``t`` cycles through the tier rows)."""
    names = [r.name for r in rows(c) if r.letter == letter]
    if not names:
        return None
    if active in names:
        return names[(names.index(active) + 1) % len(names)]
    return names[0]


def render_form(c: Coding, active: str) -> Group:
    """The form: per axis a title (the active one marked ▶) and its options, numbered for the digit keys,
    two to a line so that no option is broken in the middle."""
    parts = []
    for r in rows(c):
        on = r.name == active
        title = Text(("▶ " if on else "  ") + f"{r.title} [{r.letter}]", "bold reverse" if on else "bold")
        if r.name.startswith("tier:") and not r.chosen:
            title.append("  ← choose a tier: 1 direct · 2 contextual · 3 speculative", "bold underline")
        parts.append(title)
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        cells = []
        for i, (code, gloss) in enumerate(r.codes.items(), 1):
            chosen = code in r.chosen
            t = Text(f"  {i}", "bold" if on else "dim")
            t.append(" ■ " if chosen else " □ ", "bold" if chosen else "dim")
            t.append(gloss if code in TIERS else f"{code} {gloss}", "bold green" if chosen else "")
            cells.append(t)
        for i in range(0, len(cells), 2):
            grid.add_row(*cells[i:i + 2])
        parts.append(grid)
    missing = c.missing()
    parts.append(Text("\n  complete" if not missing else "\n  missing: " + ", ".join(missing),
                      "bold green" if not missing else "yellow"))
    return Group(*parts)
