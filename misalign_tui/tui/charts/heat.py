"""Heat tables: a ``charts.Table`` in a Textual DataTable, value cells shaded from the theme's colours.

The number is always printed; the shade only repeats it. Sequential tables blend the surface colour
towards ``$primary``; diverging ones (differences) blend towards ``$success`` above 0 and ``$error``
below, so the table follows the dark / light theme.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.color import Color
from textual.widgets import DataTable

from misalign_tui.data.reading.charts import Table, format_value
from misalign_tui.data.text import one_line, visible

MAX_SHADE = 0.75
LABEL_WIDTH = 34


def _theme_color(app: App, name: str, fallback: str) -> Color:
    try:
        return Color.parse(app.theme_variables.get(name) or fallback)
    except Exception:  # noqa: BLE001 — a theme without the variable: use the fallback
        return Color.parse(fallback)


def shade(app: App, value: float, lo: float, hi: float, *, diverging: bool = False) -> str:
    """A Rich style "fg on bg" for ``value`` within [lo, hi] in the app's current theme."""
    base = _theme_color(app, "surface", "#1e1e1e")
    if diverging:
        extent = max(abs(lo), abs(hi)) or 1.0
        t = min(1.0, abs(value) / extent)
        target = _theme_color(app, "success" if value >= 0 else "error", "#4ebf71" if value >= 0 else "#ba3c5b")
    else:
        t = 0.0 if hi <= lo else (value - lo) / (hi - lo)
        target = _theme_color(app, "primary", "#0178d4")
    bg = base.blend(target, max(0.0, min(1.0, t)) * MAX_SHADE)
    fg = bg.get_contrast_text(1.0)
    return f"{fg.hex6} on {bg.hex6}"


def label_width_for(table: Table, width: int) -> int:
    """How wide the row labels can be so that every value column fits in ``width`` columns."""
    used = 3  # the label column's two spaces and the scrollbar
    for c in range(1, len(table.columns)):
        used += max([len(table.columns[c])] + [len(table.cell(r, c)) for r in range(len(table.rows))]) + 2
    return max(8, min(LABEL_WIDTH, width - used))


def fill_table(dt: DataTable, table: Table, app: App, *, diverging: bool = False, width: int | None = None) -> None:
    """Replace ``dt``'s columns and rows with ``table``; heat columns shaded, numbers right-aligned.
    Row labels are shortened so the table fits ``width`` columns (default: the app's width)."""
    label_width = label_width_for(table, width or app.size.width or 80)
    dt.cell_padding = 0  # cells carry their own spaces, so a shade fills the whole cell
    dt.clear(columns=True)
    for i, col in enumerate(table.columns):
        dt.add_column(Text(f" {col} ", justify="left" if table.formats[i] == "label" else "right"), key=f"c{i}")
    rng = table.heat_range()
    for r, row in enumerate(table.rows):
        cells = []
        for c, v in enumerate(row):
            fmt = table.formats[c]
            if fmt == "label":
                cells.append(Text(f" {one_line(visible(str(v)), label_width if c == 0 else LABEL_WIDTH)} "))
                continue
            text = format_value(v, fmt)
            style = ""
            if c in table.heat and rng is not None and isinstance(v, (int, float)):
                style = shade(app, v, rng[0], rng[1], diverging=diverging)
            cells.append(Text(f" {text} ", style=style, justify="right"))
        dt.add_row(*cells, key=f"r{r}")
