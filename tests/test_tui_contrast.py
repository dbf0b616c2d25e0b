"""Every colour the explorer defines keeps text at WCAG AA (4.5:1) in the dark and the light theme, and the
chart lines stay distinguishable without colour (NO_COLOR): issue 15. Decorations (the rule after a turn
header, the facet bars) are graphics: 3:1."""

from __future__ import annotations

import pytest

from misalign_tui.data.reading.charts import Chart
from misalign_tui.plots import markers_for
from misalign_tui.tui.app import MisalignApp

from .test_tui_browse_support import browse_screen, settle
from .test_tui_session_support import M1, SessionApp, corpus, opened  # noqa: F401 — fixture

GRAPHICS = {"transcript--rule", "facet-list--bar"}


def luminance(rgb) -> float:
    def ch(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def ratios(widget, classes=None) -> dict[str, float]:
    """Contrast of each component class (or of the widget itself) against the background it is drawn on."""
    out = {}
    base = widget.rich_style
    for name in classes if classes is not None else [None]:
        st = base + widget.get_component_rich_style(name) if name else base
        assert st.color is not None and st.bgcolor is not None, name
        out[name or type(widget).__name__] = contrast(tuple(st.color.get_truecolor()), tuple(st.bgcolor.get_truecolor()))
    return out


def check(found: dict[str, float], theme: str) -> None:
    low = {k: round(v, 2) for k, v in found.items() if v < (3.0 if k in GRAPHICS else 4.5)}
    assert not low, f"{theme}: below WCAG AA: {low}"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_session_colours_meet_wcag_aa(corpus, theme):
    app = SessionApp(corpus, M1)
    app.theme = theme
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        view = screen.view
        check(ratios(view, sorted(view.COMPONENT_CLASSES)), theme)
        check(ratios(screen.query_one("#session-status")) | ratios(screen.query_one("#session-header")), theme)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_browse_colours_meet_wcag_aa(text_corpus, theme):
    from misalign_tui.data.reading.corpus import Corpus

    app = MisalignApp(Corpus.open(text_corpus), local_clipboard=False)
    app.theme = theme
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        check(ratios(scr.table, sorted(scr.table.COMPONENT_CLASSES)), theme)
        check(ratios(scr.facet_list, sorted(scr.facet_list.COMPONENT_CLASSES)), theme)
        check(ratios(scr.query_one("#status")), theme)
    app.corpus.close()


def test_chart_lines_differ_by_marker_without_colour():
    """NO_COLOR: the seven cause lines keep seven different markers (and the legend names them)."""
    from misalign_tui.data.reading.charts import Series

    chart = Chart(kind="cause-share", title="t", xlabel="month", ylabel="share", x=("2025-01",),
                  series=tuple(Series(f"C{i}", f"C{i}", (0.1,)) for i in range(1, 8)), style="line", fmt="pct",
                  n=7, n_label="labels")
    marks = markers_for(chart, plain=True)
    assert len(set(marks)) == 7
