"""All values of a long facet (agent, licence, repository, month), searchable and toggleable."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from misalign_tui.data.reading.corpus import FacetValue
from misalign_tui.data.taxonomy import AXIS_BY_NAME

from .facets import OFF, ON, bar, percent, value_label


class FacetValuesScreen(ModalScreen[None]):
    """Every value of one axis with its count; Enter/space toggles it in the browse filters at once."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="facet_values.close"),
        Binding("q", "close", "Close", show=False, id="facet_values.quit"),
        Binding("space", "toggle", "Toggle value", id="facet_values.toggle"),
        Binding("down", "focus_list", "To the list", show=False, id="facet_values.list"),
        Binding("slash", "focus_search", "Search", show=False, id="facet_values.search"),
    ]
    DEFAULT_CSS = """
    FacetValuesScreen { align: center middle; }
    FacetValuesScreen > Vertical { width: 76; max-width: 95%; height: 80%; border: thick $accent;
                                   background: $surface; }
    FacetValuesScreen OptionList { height: 1fr; border: none; }
    FacetValuesScreen Label { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, axis: str, values: list[FacetValue], denominator: int, selected: tuple[str, ...],
                 on_toggle: Callable[[str, str], None]) -> None:
        super().__init__()
        self.axis = axis
        self.values, self.denominator, self.selected = values, denominator, set(selected)
        self.on_toggle = on_toggle
        self._shown: list[FacetValue] = []

    def compose(self):
        with Vertical() as box:
            box.border_title = f"{AXIS_BY_NAME[self.axis].title} — {len(self.values)} values"
            yield Input(placeholder="type to narrow the list", id="facet-search")
            yield OptionList(id="facet-values")
            yield Label("Enter/space toggles · counts ignore this facet's own selection · Esc closes",
                        markup=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def update(self, values: list[FacetValue], denominator: int, selected: tuple[str, ...]) -> None:
        """New counts from the browse screen (after any toggle)."""
        self.values, self.denominator, self.selected = values, denominator, set(selected)
        self._fill()

    def _prompt(self, v: FacetValue) -> Text:
        on = v.value in self.selected
        width = max(len(f"{x.count:,}") for x in self.values) if self.values else 1
        t = Text(f"{ON if on else OFF} ", style="bold" if on else "")
        t.append(value_label(v).ljust(44)[:44], style="bold" if on else "")
        t.append(f" {v.count:>{width},} {percent(v.count, self.denominator):>4} ", style="dim")
        t.append(bar(v.count / self.denominator if self.denominator else 0))
        return t

    def _fill(self) -> None:
        needle = self.query_one("#facet-search", Input).value.strip().lower()
        ol = self.query_one(OptionList)
        keep = ol.highlighted
        self._shown = [v for v in self.values
                       if not needle or needle in v.value.lower() or needle in v.gloss.lower()]
        ol.set_options(Option(self._prompt(v), id=f"v{i}") for i, v in enumerate(self._shown))
        if self._shown:
            ol.highlighted = min(keep or 0, len(self._shown) - 1)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._toggle(event.option_index)

    def action_toggle(self) -> None:
        ol = self.query_one(OptionList)
        if ol.has_focus and ol.highlighted is not None:
            self._toggle(ol.highlighted)

    def _toggle(self, index: int) -> None:
        if not 0 <= index < len(self._shown):
            return
        v = self._shown[index]
        self.selected ^= {v.value}
        self.query_one(OptionList).replace_option_prompt_at_index(index, self._prompt(v))
        self.on_toggle(self.axis, v.value)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_focus_search(self) -> None:
        self.query_one("#facet-search", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
