"""The browse screen's ``/`` search bar: words (or ``re:`` a regular expression) in names, descriptions and
evidence quotes."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

REGEX_PREFIX = "re:"


def parse_search(raw: str, regex_toggle: bool) -> tuple[str, bool, str | None]:
    """(text, regex, error) from the search box: a leading ``re:`` or the toggle means regex."""
    text = raw.strip()
    regex = regex_toggle
    if text.lower().startswith(REGEX_PREFIX):
        text, regex = text[len(REGEX_PREFIX):].strip(), True
    if regex and text:
        try:
            re.compile(text)
        except re.error as e:
            return text, True, f"invalid regex: {e}"
    return text, regex, None


class SearchInput(Input):
    BINDINGS = [
        Binding("ctrl+r", "toggle_regex", "Regex on/off", id="search.regex"),
        Binding("escape", "close", "Close search", id="search.close"),
    ]

    class Closed(Message):
        pass

    class RegexToggled(Message):
        pass

    def action_toggle_regex(self) -> None:
        self.post_message(self.RegexToggled())

    def action_close(self) -> None:
        self.post_message(self.Closed())


class SearchBar(Horizontal):
    """``/`` opens it; the text applies as it is typed (Enter applies at once and closes); Esc closes (the text
    stays applied); ``x`` on the table clears it; ctrl+r or ``re:`` switches to regex."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.regex = False

    def compose(self):
        yield Label("Search", id="search-label")
        yield SearchInput(placeholder="words in names, descriptions, quotes (re: for a regex)", id="search-input",
                          select_on_focus=False)  # / goes on typing after the applied text
        yield Label("text", id="search-mode")

    def on_search_input_regex_toggled(self, event: SearchInput.RegexToggled) -> None:
        self.regex = not self.regex
        self.query_one("#search-mode", Label).update("regex" if self.regex else "text")

    def set_mode(self, regex: bool) -> None:
        self.regex = regex
        self.query_one("#search-mode", Label).update("regex" if regex else "text")
