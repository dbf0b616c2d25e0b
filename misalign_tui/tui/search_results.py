"""The search screen's result list: the scope line, a hit's snippet as styled Text, and HitList.

Everything from the corpus (snippets, keys, filter values) is cleaned by ``data.text.visible`` before it is
shown; the snippet's match markers become «…» plus a style after cleaning.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.search import HL_END, HL_START, Hit
from misalign_tui.data.taxonomy import SESSION_AXES
from misalign_tui.data.text import visible

MATCH_OPEN, MATCH_CLOSE = "«", "»"


def scope_text(f: Filters) -> str:
    """What the search is restricted to, in words (the browse text filter does not apply to it)."""
    g = f.with_text("")
    if not g.selections and not g.licensed_only:
        out = "scope: all sessions"
    else:
        words = g.describe().split(" · ")
        if not any(a not in SESSION_AXES for a, _ in g.selections):  # session axes: no validation scope
            words = [w for w in words if not (w.startswith("validation = ") and w.endswith("(default)"))]
        out = "scope: " + " · ".join(words)
    if f.text:
        out += " (the list's text filter does not apply)"
    return visible(out)


def snippet_text(snippet: str, match: Style | str = "bold underline", base: Style | str = "") -> Text:
    """A hit's snippet as one line of Text: cleaned first, then every match between the HL markers
    wrapped in «» and styled (never parsed as markup)."""
    s = visible(snippet).replace("\n", " ").replace("\t", " ")
    out = Text(style=base)
    inside = False
    for part in re.split(f"([{HL_START}{HL_END}])", s):
        if part == HL_START:
            inside = True
        elif part == HL_END:
            inside = False
        elif part:
            out.append(MATCH_OPEN + part + MATCH_CLOSE if inside else part, match if inside else None)
    return out


class HitList(OptionList):
    """The hits: one option of two lines (where · role, then the snippet) per hit."""

    BINDINGS = [Binding("enter", "select", "Open the hit's transcript", id="search.open")]
    COMPONENT_CLASSES = {"hit-list--key", "hit-list--user", "hit-list--agent", "hit-list--episode",
                         "hit-list--match", "hit-list--snippet"}
    DEFAULT_CSS = """
    HitList > .hit-list--key { text-style: bold; }
    HitList > .hit-list--user { color: $text-accent; text-style: bold; }
    HitList > .hit-list--agent { color: $text-secondary; text-style: bold; }
    HitList > .hit-list--episode { color: $text-success; text-style: bold; }
    HitList > .hit-list--match { color: $text-warning; text-style: bold underline; }
    HitList > .hit-list--snippet { color: $text; }
    """

    def prompt(self, hit: Hit) -> Text:
        st = {name: self.get_component_rich_style(f"hit-list--{name}", partial=True)
              for name in ("key", "user", "agent", "episode", "match", "snippet")}
        t = Text(no_wrap=False)
        if hit.turn_no is None:
            t.append(visible(hit.episode_key or hit.session_key), st["key"])
            t.append(" · ")
            t.append("episode text", st["episode"])
        else:
            t.append(visible(hit.session_key), st["key"])
            t.append(f" · turn {hit.turn_no} · ")
            t.append(visible(hit.role), st["user" if hit.role == "USER" else "agent"])
        t.append("\n  ")
        t.append_text(snippet_text(hit.snippet, st["match"], st["snippet"]))
        return t

    def show_hits(self, hits: list[Hit]) -> None:
        self.set_options([Option(self.prompt(h), id=f"hit-{i}") for i, h in enumerate(hits)])
        if hits:
            self.highlighted = 0
