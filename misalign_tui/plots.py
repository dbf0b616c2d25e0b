"""Draw a ``charts.Chart`` on any plotext figure: textual-plotext's ``PlotextPlot.plt`` on the explorer's
charts screen, a plain ``plotext`` figure for ``misalign-tui chart``. Shared by both front ends, so it
imports no textual (plotext only to make it deterministic, see ``deterministic_plotext``)."""

from __future__ import annotations

import math

from .data.reading.charts import Chart

# Tableau-10 colours: colour-blind friendly, legible on dark and light backgrounds alike.
PALETTE = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))
FIXED = {"IDE": PALETTE[0], "CLI": PALETTE[1], "all": PALETTE[7], "trend": PALETTE[3]}
# --plain output has no colour: series differ by their marker character instead.
BAR_MARKS = ("█", "░", "▒", "▓", "#", "=")
LINE_MARKS = {"all": "*", "IDE": "i", "CLI": "c", "trend": "."}


def colors_for(chart: Chart) -> list:
    """One colour per series: fixed for platforms / overall / trend, the palette in order otherwise."""
    fixed = chart.kind in ("monthly", "monthly-sessions", "per-user-turn") or chart.kind.startswith("distribution")
    out, i = [], 0
    for s in chart.series:
        if fixed and s.name in FIXED:
            out.append(FIXED[s.name])
        else:
            out.append(PALETTE[i % len(PALETTE)])
            i += 1
    return out


def markers_for(chart: Chart, plain: bool) -> list:
    if chart.style in ("stacked", "grouped"):
        return [BAR_MARKS[i % len(BAR_MARKS)] if plain else "sd" for i in range(len(chart.series))]
    out = []
    for s in chart.series:
        if not plain:
            out.append("dot" if s.name == "trend" else "hd")
        elif chart.kind.endswith("-share"):
            out.append(s.name[-1])  # S3 -> "3", C7 -> "7"
        else:
            out.append(LINE_MARKS.get(s.name, "+"))
    return out


def title_of(chart: Chart, width: int = 200) -> str:
    t = f"{chart.title} (n = {chart.n:,} {chart.n_label})"
    if len(t) > width - 2:
        t = f"{chart.title} (n = {chart.n:,})"
    if len(t) > width - 2:
        t = t[: width - 3] + "…"
    return t


def _tick_step(n: int, label_width: int, width: int) -> int:
    room = max(10, width - 12)
    return max(1, math.ceil(n * (label_width + 2) / room))


_DETERMINISTIC = False


def deterministic_plotext() -> None:
    """plotext 5.3.2 de-duplicates plotted points through a ``set`` (``_utility.no_duplicates``), so the
    order it draws them in — and the text it builds — changes with PYTHONHASHSEED. Swap in the
    order-preserving version that plotext keeps commented out beside it (same points, data order)."""
    global _DETERMINISTIC
    if _DETERMINISTIC:
        return
    import plotext._utility as ut

    ut.no_duplicates = lambda data: list(dict.fromkeys(data))
    _DETERMINISTIC = True


def draw(plt, chart: Chart, width: int = 80, *, plain: bool = False) -> None:
    """Plot ``chart`` on the plotext figure ``plt`` (its data cleared first). ``width`` (columns) spaces
    the x tick labels and shortens the title; ``plain`` tells series apart by marker characters."""
    deterministic_plotext()
    plt.clear_data()
    plt.title(title_of(chart, width))
    plt.xlabel(chart.xlabel)
    plt.ylabel(chart.ylabel)
    if chart.is_empty():
        plt.title(title_of(chart, width - 12) + " · no data")
        return
    colors = colors_for(chart)
    marks = markers_for(chart, plain)
    kw = {} if plain else {"color": colors}
    n = len(chart.x)
    xs = list(range(1, n + 1))
    # legends: codes for the share timelines (seven series), labels otherwise
    names = [s.name if chart.kind.endswith("-share") else s.label for s in chart.series]
    if chart.style == "stacked":
        ys = [[v or 0 for v in s.values] for s in chart.series]
        plt.stacked_bar(xs, ys, labels=names, marker=marks, width=0.8, **kw)
    elif chart.style == "grouped":
        ys = [[v or 0 for v in s.values] for s in chart.series]
        horizontal = n > 12 or max((len(x) for x in chart.x), default=0) > 8
        plt.multiple_bar(list(chart.x), ys, labels=names, marker=marks, width=0.8,
                         orientation="horizontal" if horizontal else "vertical", **kw)
        if horizontal:
            plt.xlabel(chart.ylabel)
            plt.ylabel(chart.xlabel)
        return
    else:
        for s, name, c, m in zip(chart.series, names, colors, marks):
            pts = [(x, v) for x, v in zip(xs, s.values) if v is not None]
            if pts:
                plt.plot([p[0] for p in pts], [p[1] for p in pts], label=name, marker=m,
                         **({} if plain else {"color": c}))
    step = _tick_step(n, max(len(x) for x in chart.x), width)
    ticks = xs[::step]
    plt.xticks(ticks, [chart.x[i - 1] for i in ticks])
    plt.xlim(0.5, n + 0.5)

