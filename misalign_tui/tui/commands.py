"""The command palette's state-aware commands (ctrl+p).

The provider asks the screen the palette was opened on for ``palette_commands()`` — a list of
``(title, help, callback, discoverable)`` built from that screen's current state — so the commands
offered (e.g. "Remove filter symptom = S3", "Licensed only: off") always match what is on screen.
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from misalign_tui.data.text import visible


def safe_highlight(matcher: Matcher, title: str) -> Content:
    """Like ``Matcher.highlight`` but never parses ``title`` as markup (it may hold corpus values)."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ScreenCommands(Provider):
    """Commands of the active screen's ``palette_commands()``."""

    def _commands(self):
        """The screen's commands with titles and help inert (they may hold corpus values and view names)."""
        fn = getattr(self.screen, "palette_commands", None)
        return [(visible(t), visible(h), cb, d) for t, h, cb, d in (fn() if fn is not None else [])]

    async def discover(self) -> Hits:
        for title, help_text, callback, discoverable in self._commands():
            if discoverable:
                yield DiscoveryHit(Content(title), callback, text=title, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, _ in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, safe_highlight(matcher, title), callback, text=title, help=escape(help_text))
