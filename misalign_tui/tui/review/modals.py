"""Workspace prompts: tag (Input with autocompletion), note (multi-line TextArea), coding round."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static, TextArea

from misalign_tui.data.text import one_line, visible
from misalign_tui.tui.rich_text import safe_content, safe_str, safe_text

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80; max-width: 95%; height: auto; max-height: 90%; border: thick $accent;
                     background: $surface; padding: 0 1; }}
{name} Label {{ width: 1fr; color: $text-muted; }}
"""


class TagSuggester(Suggester):
    """Completes the last comma-separated tag from the workspace's tags (case-insensitive, most used first)."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = [visible(t) for t in tags]  # a tag from a merged workspace may hold control characters

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stem = last.lstrip()
        neg = stem.startswith("-")
        stem = stem[1:] if neg else stem
        if not stem:
            return None
        for tag in self.tags:
            if tag.casefold().startswith(stem.casefold()) and len(tag) > len(stem):
                return value + tag[len(stem):]
        return None


def parse_tag_input(value: str) -> tuple[list[str], list[str]]:
    """``"scope, -wip, false positive"`` -> (tags to add, tags to remove)."""
    add, remove = [], []
    for part in value.split(","):
        part = " ".join(part.split())
        if part.startswith("-"):
            if part[1:].strip():
                remove.append(part[1:].strip())
        elif part:
            add.append(part)
    return add, remove


class TagScreen(ModalScreen[str | None]):
    """Tag the highlighted episode: Enter adds (``-tag`` removes; several with commas); Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tag.cancel")]
    DEFAULT_CSS = MODAL_CSS.format(name="TagScreen")

    def __init__(self, key: str, tags: list[str], current: list[str]) -> None:
        super().__init__()
        self.key, self.tags, self.current = key, tags, current

    def compose(self):
        with Vertical() as box:
            box.border_title = "Tag episode"
            yield Label(one_line(visible(self.key), 200), markup=False)
            yield Input(placeholder="tag (→ accepts the suggestion; -tag removes; commas for several)",
                        suggester=TagSuggester(self.tags), id="tag-input")
            now = one_line(visible(", ".join(self.current)), 200) if self.current else "none"
            yield Label(f"tags now: {now} · Enter saves · Esc cancels", markup=False, id="tag-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """Write or edit a note: ctrl+s saves (an empty note deletes it), Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]
    DEFAULT_CSS = MODAL_CSS.format(name="NoteScreen") + """
    NoteScreen TextArea { height: 12; }
    NoteScreen #note-others { height: auto; max-height: 10; color: $text-muted; }
    """

    def __init__(self, title: str, target: str, body: str = "", others: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.heading, self.target, self.body, self.others = title, target, body, others or []

    def compose(self):
        with Vertical() as box:
            box.border_title = safe_content(self.heading, 200)  # the reviewer's name: inert, never markup
            yield Label(one_line(visible(self.target), 200), markup=False)
            if self.others:
                t = Text()
                for head, body in self.others:
                    t.append(safe_str(head) + "\n", "bold")
                    t.append_text(safe_text(body))
                    t.append("\n")
                yield Static(t, id="note-others")
            yield TextArea(visible(self.body), id="note-body", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s saves · an empty note is deleted · Esc cancels", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RoundScreen(ModalScreen[tuple[str, int, int] | None]):
    """Name, size and seed of a new blind re-coding round; Enter starts it, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="round.cancel")]
    DEFAULT_CSS = MODAL_CSS.format(name="RoundScreen") + """
    RoundScreen Horizontal { height: auto; }
    RoundScreen Horizontal Input { width: 1fr; }
    """

    def __init__(self, scope: str, population: int | None, name: str, size: int = 20, seed: int = 1) -> None:
        super().__init__()
        self.scope, self.population = scope, population
        self.default_name, self.default_size, self.default_seed = name, size, seed

    def compose(self):
        with Vertical() as box:
            box.border_title = "New blind re-coding round"
            yield Label(f"sample from: {one_line(visible(self.scope), 200) or 'all episodes'}"
                        + (f" ({self.population:,} episodes)" if self.population is not None else ""), markup=False)
            yield Label("only episodes with text to read (a description or an evidence quote) are drawn",
                        markup=False, id="round-codable")
            yield Input(self.default_name, placeholder="round name", id="round-name")
            with Horizontal():
                yield Input(str(self.default_size), placeholder="size", id="round-size", type="integer")
                yield Input(str(self.default_seed), placeholder="seed", id="round-seed", type="integer")
            yield Label("name · sample size · seed — Enter starts coding · Esc cancels", markup=False,
                        id="round-hint")

    def on_mount(self) -> None:
        self.query_one("#round-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#round-name", Input).value.strip()
        try:
            size = int(self.query_one("#round-size", Input).value)
            seed = int(self.query_one("#round-seed", Input).value)
        except ValueError:
            self.query_one("#round-hint", Label).update("size and seed must be whole numbers")
            return
        if not name or size < 1:
            self.query_one("#round-hint", Label).update("give a name and a size of at least 1")
            return
        self.dismiss((name, size, seed))

    def action_cancel(self) -> None:
        self.dismiss(None)
