"""The ``?`` help screen, generated from the bindings so it never drifts from the keys.

A screen lists what to show with ``HELP_SECTIONS = [("Title", WidgetClass), …]`` (default: the screen
class alone); the app's global keys are always appended.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def binding_rows(bindings: list[BindingType], key_display) -> list[tuple[str, str, str]]:
    """(keys, description, id) per binding id, keys joined ("j, down"). The description is the binding's tooltip
    when it has one (the footer shows the short ``description``); ids are for code and tests, never shown."""
    rows: dict[str, list] = {}
    for b in bindings:
        if not isinstance(b, Binding):
            continue
        ident = b.id or b.action
        keys = [key_display(Binding(k.strip(), b.action, b.description, key_display=b.key_display))
                for k in b.key.split(",")]
        if ident in rows:
            rows[ident][0] += keys
        else:
            rows[ident] = [keys, b.tooltip or b.description or b.action.replace("_", " "), b.id or ""]
    return [(", ".join(dict.fromkeys(k)), d, i) for k, d, i in rows.values()]


def sections_for(screen: Screen) -> list[tuple[str, type]]:
    sections = list(getattr(screen, "HELP_SECTIONS", None) or [(type(screen).__name__, type(screen))])
    return sections + [("Everywhere", type(screen.app))]


class HelpScreen(ModalScreen[None]):
    """Keys of the screen it was opened from (and its widgets), then the global keys."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="help.up"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 96%; height: 90%; border: thick $accent;
                                  background: $surface; padding: 0 1; }
    """

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.sections = sections_for(screen)

    def compose(self):
        with VerticalScroll() as box:
            box.border_title = "Keys (Esc closes)"
            box.can_focus = False
            yield Static(self._render_help(), id="help-body")

    def _render_help(self) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(min_width=16, style="bold")
        grid.add_column()
        for title, cls in self.sections:
            rows = binding_rows(list(cls.__dict__.get("BINDINGS", [])), self.app.get_key_display)
            if not rows:
                continue
            grid.add_row(Text(title, style="bold underline"), "")
            for keys, desc, _ident in rows:
                grid.add_row(Text(keys), Text(desc))
            grid.add_row("", "")
        return grid

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
