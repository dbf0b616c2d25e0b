"""Small modal prompts: go to a key (ctrl+g), export path."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from misalign_tui.data.text import visible

from .rich_text import safe_content, safe_str


class PromptScreen(ModalScreen[str | None]):
    """One line of input; Enter returns it, Esc returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical { width: 72; max-width: 95%; height: auto; border: thick $accent;
                              background: $surface; padding: 0 1; }
    PromptScreen Label { width: 1fr; color: $text-muted; }
    """

    def __init__(self, title: str, *, placeholder: str = "", value: str = "", hint: str = "") -> None:
        super().__init__()
        self._title, self._placeholder, self._value, self._hint = title, placeholder, value, hint

    def compose(self):
        with Vertical() as box:
            box.border_title = safe_content(self._title, 200)
            yield Input(value=visible(self._value), placeholder=self._placeholder, id="prompt-input")
            if self._hint:
                yield Label(safe_str(self._hint), markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def goto_prompt() -> PromptScreen:
    return PromptScreen("Go to episode or session", placeholder="specstory/1000090305/session_001/M003",
                        hint="a canonical key, or its unique end (session_001/M003) · Esc cancels")


def export_prompt(fmt: str, default: str) -> PromptScreen:
    return PromptScreen(f"Export the current selection as {fmt}", value=default,
                        hint="file to write (Enter) · Esc cancels")
