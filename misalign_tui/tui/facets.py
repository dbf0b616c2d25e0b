"""The facet panel: one compact line per value (glyph · code gloss · count · % · bar), every facet axis.

OR within a facet, AND across facets; each facet's counts are computed without its own selection
(``queries/facets.sql``). Long axes (agent, licence, repository) show their top values and a "… N more"
line that opens the full, searchable list; time-like axes (month) show every value in order, so the timeline
has no gaps. Axes with no value anywhere in the corpus (the label axes of a corpus of raw transcripts) are
not shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import FacetValue
from misalign_tui.data.taxonomy import AXIS_BY_NAME, FACET_AXES
from misalign_tui.data.text import one_line, visible

LONG_SHOWN = 8
ON, OFF = "■", "□"
RULE = "OR within a facet · AND across facets · a facet's counts ignore its own selection"
SHORT_RULE = "OR within · AND across facets"
WS_AXIS = "workspace"  # the reviewer workspace's group (bookmarked, has a note, tags): review/browse_hooks.py


@dataclass(frozen=True)
class Item:
    kind: str  # axis | value | more | note
    axis: str
    value: str = ""
    count: int = 0
    gloss: str = ""
    hidden: int = 0  # for "more": values not shown

    @property
    def selectable(self) -> bool:
        return self.kind in ("value", "more")

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.kind, self.axis, self.value)


def bar(fraction: float, width: int = 4) -> str:
    eighths = round(max(0.0, min(fraction, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(width)


def percent(count: int, total: int) -> str:
    if not total or not count:
        return "0%"
    p = 100 * count / total
    return "<1%" if p < 1 else f"{p:.0f}%"


def shown_values(axis: str, values: list[FacetValue], selected: tuple[str, ...]) -> tuple[list[FacetValue], int]:
    """The values a long axis shows (top by count, plus the selected ones) and how many are hidden."""
    ax = AXIS_BY_NAME[axis]
    if not ax.long or ax.ordered or len(values) <= LONG_SHOWN + 1:  # ordered = time-like: all, in order
        return values, 0
    top = {v.value for v in sorted(values, key=lambda v: (-v.count, v.value))[:LONG_SHOWN]}
    keep = [v for v in values if v.value in top or v.value in selected]
    return keep, len(values) - len(keep)


def value_label(v: FacetValue) -> str:
    code = one_line(visible(v.value), 60)
    return code if v.gloss == v.value or not v.gloss else f"{code} {one_line(visible(v.gloss), 60)}"


class FacetList(ScrollView, can_focus=True):
    """Every facet axis and its values; space/Enter toggles the highlighted value."""

    COMPONENT_CLASSES = {"facet-list--axis", "facet-list--cursor", "facet-list--selected",
                         "facet-list--dim", "facet-list--bar"}
    DEFAULT_CSS = """
    FacetList { background: $surface; }
    FacetList > .facet-list--axis { text-style: bold; color: $text-accent; }
    FacetList > .facet-list--cursor { background: $panel-lighten-1; }
    FacetList:focus > .facet-list--cursor { background: $accent; color: $text; }
    FacetList > .facet-list--selected { text-style: bold; color: $text-success; }
    FacetList > .facet-list--dim { color: $text-muted; }
    FacetList > .facet-list--bar { color: $primary; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="facets.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="facets.up"),
        Binding("right_square_bracket", "next_axis", "Next facet", show=False, id="facets.next_axis"),
        Binding("left_square_bracket", "previous_axis", "Previous facet", show=False, id="facets.previous_axis"),
        Binding("g,home", "first", "First", show=False, id="facets.first"),
        Binding("G,end", "last", "Last", show=False, id="facets.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="facets.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="facets.page_up"),
        Binding("space,enter", "toggle", "Toggle", id="facets.toggle", tooltip="Toggle value"),
    ]

    class Toggled(Message):
        def __init__(self, axis: str, value: str) -> None:
            super().__init__()
            self.axis, self.value = axis, value

    class MoreRequested(Message):
        def __init__(self, axis: str) -> None:
            super().__init__()
            self.axis = axis

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = Filters()
        self.facets: dict[str, list[FacetValue]] = {}
        self.denominators: dict[str, int] = {}
        self.items: list[Item] = []
        self.cursor = 0
        self.ws_values: list[FacetValue] | None = None  # None: no workspace group
        self.ws_selected: tuple[str, ...] = ()
        self.present: frozenset[str] | None = None  # axes with a value in the corpus (None: not known yet)
        self._build()

    # ----- data -----------------------------------------------------------------------------
    def set_facets(self, facets: dict[str, list[FacetValue]], denominators: dict[str, int],
                   filters: Filters, present: frozenset[str] | None = None) -> None:
        self.facets, self.denominators, self.filters = facets, denominators, filters
        if present is not None:
            self.present = present
        self._build()

    def shown_axes(self) -> list[str]:
        """The axes the panel lists: all but those with no value in the corpus (unless selected)."""
        return [ax.name for ax in FACET_AXES
                if self.present is None or ax.name in self.present or self.filters.get(ax.name)]

    def set_workspace(self, values: list[FacetValue] | None, selected: tuple[str, ...], total: int) -> None:
        """The workspace group's values and live counts (None hides the group)."""
        self.ws_values, self.ws_selected = values, tuple(selected)
        self.denominators = {**self.denominators, WS_AXIS: total}
        self._build()

    def set_filters(self, filters: Filters) -> None:
        """Selection glyphs change at once; counts follow when the worker delivers them."""
        self.filters = filters
        self._build()

    def _build(self) -> None:
        cur = self.current
        keep = cur.ident if cur is not None and cur.selectable else None
        items: list[Item] = []
        shown = set(self.shown_axes())
        for ax in FACET_AXES:
            if ax.name not in shown:
                continue
            items.append(Item("axis", ax.name))
            if ax.name not in self.facets:
                items.append(Item("note", ax.name, "counting…"))
                continue
            values, hidden = shown_values(ax.name, self.facets[ax.name], self.filters.get(ax.name))
            hidden += getattr(self.facets, "more", {}).get(ax.name, 0)  # beyond the top values counted (repo)
            if not values:
                items.append(Item("note", ax.name, "(no values in this selection)"))
            for v in values:
                items.append(Item("value", ax.name, v.value, v.count, v.gloss))
            if hidden:
                items.append(Item("more", ax.name, hidden=hidden))
        if self.ws_values is not None:
            items.append(Item("axis", WS_AXIS))
            items += [Item("value", WS_AXIS, v.value, v.count, v.gloss) for v in self.ws_values]
        self.items = items
        self._count_width = {axis: len(f"{max((v.count for v in values), default=0):,}")
                             for axis, values in [*self.facets.items(), (WS_AXIS, self.ws_values or [])]}
        idents = [it.ident for it in items]
        self.cursor = idents.index(keep) if keep in idents else self._next_selectable(0, 1)
        self.virtual_size = Size(0, len(items))
        self.refresh()

    @property
    def current(self) -> Item | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def select(self, axis: str, value: str | None = None) -> None:
        """Move the cursor to ``axis`` (its first value) or to one of its values."""
        for i, it in enumerate(self.items):
            if it.axis == axis and it.selectable and (value is None or it.value == value):
                self._move(i)
                return

    # ----- rendering ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self.items):
            return Strip.blank(width, base)
        it = self.items[index]
        cursor = self.get_component_rich_style("facet-list--cursor") if index == self.cursor else Style()
        segs = self._segments(it, width, base)
        strip = Strip([Segment(t, s + cursor) for t, s in segs])
        return strip.crop(0, width).extend_cell_length(width, base + cursor)

    def _segments(self, it: Item, width: int, base: Style) -> list[tuple[str, Style]]:
        dim = base + self.get_component_rich_style("facet-list--dim")
        if it.kind == "axis":
            ws = it.axis == WS_AXIS
            sel = self.ws_selected if ws else self.filters.get(it.axis)
            right = f"{len(sel)} selected" if sel else ("" if ws or not AXIS_BY_NAME[it.axis].multi else "any of")
            title = "Workspace" if ws else AXIS_BY_NAME[it.axis].title
            pad = max(width - len(title) - len(right), 1)
            return [(title, base + self.get_component_rich_style("facet-list--axis")), (" " * pad + right, dim)]
        if it.kind == "note":
            return [("  " + it.value, dim)]
        if it.kind == "more":
            return [(f"  … {it.hidden} more (Enter: all values)", dim)]
        ws = it.axis == WS_AXIS
        selected = it.value in (self.ws_selected if ws else self.filters.get(it.axis))
        total = self.denominators.get(it.axis, 0)
        cw = self._count_width.get(it.axis, 1)
        right = f" {it.count:>{cw},} {percent(it.count, total):>4} "
        label = (one_line(visible(it.gloss), 60) if ws
                 else value_label(FacetValue(it.axis, it.value, it.count, it.gloss)))
        room = max(width - len(right) - 4 - 2, 1)
        label = label if len(label) <= room else label[: room - 1] + "…"
        style = base + (self.get_component_rich_style("facet-list--selected") if selected else Style())
        return [((ON if selected else OFF) + " ", style), (label.ljust(room), style), (right, dim),
                (bar(it.count / total if total else 0), base + self.get_component_rich_style("facet-list--bar"))]

    # ----- cursor ---------------------------------------------------------------------------
    def _next_selectable(self, start: int, step: int) -> int:
        i = start
        while 0 <= i < len(self.items):
            if self.items[i].selectable:
                return i
            i += step
        return self.cursor if 0 <= self.cursor < len(self.items) else 0

    def _move(self, index: int) -> None:
        old, self.cursor = self.cursor, index
        self.refresh_line(old)
        self.refresh_line(index)
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if index < top + 1:  # keep the axis title above the first value visible
            self.scroll_to(y=max(index - 1, 0), animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def action_cursor_down(self) -> None:
        self._move(self._next_selectable(self.cursor + 1, 1))

    def action_cursor_up(self) -> None:
        self._move(self._next_selectable(self.cursor - 1, -1))

    def action_first(self) -> None:
        self._move(self._next_selectable(0, 1))

    def action_last(self) -> None:
        self._move(self._next_selectable(len(self.items) - 1, -1))

    def action_page_down(self) -> None:
        self._move(self._next_selectable(min(self.cursor + self.scrollable_content_region.height,
                                             len(self.items) - 1), -1))

    def action_page_up(self) -> None:
        self._move(self._next_selectable(max(self.cursor - self.scrollable_content_region.height, 0), 1))

    def _axis_start(self, step: int) -> int | None:
        here = self.current.axis if self.current else None
        i = self.cursor + step
        while 0 <= i < len(self.items):
            it = self.items[i]
            if it.axis != here and it.selectable:
                if step < 0:  # go to the first value of that axis
                    while i > 0 and self.items[i - 1].axis == it.axis and self.items[i - 1].selectable:
                        i -= 1
                return i
            i += step
        return None

    def action_next_axis(self) -> None:
        i = self._axis_start(1)
        if i is not None:
            self._move(i)

    def action_previous_axis(self) -> None:
        i = self._axis_start(-1)
        if i is not None:
            self._move(i)

    def action_toggle(self) -> None:
        it = self.current
        if it is None or not it.selectable:
            return
        if it.kind == "more":
            self.post_message(self.MoreRequested(it.axis))
        else:
            self.post_message(self.Toggled(it.axis, it.value))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y
        if 0 <= index < len(self.items) and self.items[index].selectable:
            self._move(index)
            self.action_toggle()
