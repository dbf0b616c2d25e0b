"""The explorer application: wiring only (the services its screens get, themes, clipboard, global keys).
Screens own the rest."""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from time import perf_counter

from textual import work
from textual.app import App
from textual.binding import Binding

from misalign_tui import resources
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.workspace.store import ReviewStore

from .browse import BrowseScreen
from .lanes import DbLanes
from .rich_text import InertFilter
from .review import open_workspace
from .services import Services

# Offered themes: name given on the command line -> Textual theme.
THEMES: dict[str, str] = {
    "dark": "textual-dark",
    "light": "textual-light",
    "ansi": "ansi-dark",
    "textual-ansi": "ansi-dark",
    "ansi-light": "ansi-light",
}
DEFAULT_THEME = "textual-dark"
TOAST_CHARS = 60  # of the copied text shown in the "Copied …" toast


def resolve_theme(name: str | None) -> str:
    """A Textual theme name for ``--theme`` (dark, light, ansi, or any built-in Textual theme)."""
    if not name:
        return DEFAULT_THEME
    if name in THEMES:
        return THEMES[name]
    from textual.theme import BUILTIN_THEMES

    if name in BUILTIN_THEMES:
        return name
    raise CorpusError(f"unknown theme {name!r}; valid: {', '.join(THEMES)} or a Textual theme "
                      f"({', '.join(sorted(BUILTIN_THEMES))})")


def tmux_osc52(text: str) -> str:
    """OSC 52 "set clipboard" wrapped in tmux's DCS passthrough (inner ESCs doubled)."""
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    inner = f"\x1b]52;c;{b64}\x07"
    return "\x1bPtmux;" + inner.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def has_local_clipboard() -> bool:
    """A clipboard pyperclip can reach on this machine (not over a bare SSH session)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY"))


class MisalignApp(App[int]):
    """The explorer of a corpus (open read-only). ``services`` is what its screens get: the corpus, the
    database lanes its queries run on, the reviewer workspace and ``copy``."""

    TITLE = "misalign-tui"
    CSS_PATH = [resources.path("styles", "app.tcss"), resources.path("styles", "browse.tcss")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette",
                tooltip="Open the command palette"),
        # the viewer never writes the corpus and the workspace saves on every action: ctrl+c quits, as people expect
        Binding("ctrl+c", "ctrl_c", "Quit", show=False, priority=True, id="app.quit_ctrl_c",
                tooltip="Quit (in a note being typed: copy the selection)"),
        Binding("ctrl+q", "quit_app", "Quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(self, corpus: Corpus, *, filters: Filters | None = None, theme: str | None = None,
                 local_clipboard: bool | None = None, workspace=None, reviewer: str | None = None,
                 warnings: list[str] | None = None):
        """``workspace``: a ReviewStore, a path, or None (the default beside the corpus). ``warnings``: shown as
        toasts when the screen is up (a filter value this corpus lacks)."""
        started = perf_counter()
        super().__init__()
        self.services = Services(corpus, DbLanes(corpus), open_workspace(corpus.path, workspace, reviewer), self.copy,
                                 started)
        self.initial_filters = filters or Filters()
        self.theme = resolve_theme(theme)
        self.sub_title = visible(corpus.path.name)
        self.inert_filter = InertFilter()  # the last line of defence of the safe-text path (tui/rich_text.py)
        self._local_clipboard = has_local_clipboard() if local_clipboard is None else local_clipboard
        self._warnings = list(warnings or ())

    def on_mount(self) -> None:
        for w in self._warnings:
            self.notify(visible(w), title="Filter", severity="warning", markup=False, timeout=8)

    def get_line_filters(self):
        """Textual's filters plus ``InertFilter``: no control character from a file reaches the terminal."""
        return [*super().get_line_filters(), *([self.inert_filter] if self.inert_filter.enabled else [])]

    @property
    def corpus(self) -> Corpus:
        return self.services.corpus

    @property
    def workspace(self) -> ReviewStore | None:
        return self.services.workspace

    def get_default_screen(self):
        return BrowseScreen(self.services, self.initial_filters)

    # ----- clipboard ------------------------------------------------------------------------
    def copy(self, text: str, label: str) -> None:
        """Copy ``text`` (OSC 52, tmux passthrough, local clipboard) and show it in a toast."""
        self.copy_to_clipboard(text)  # sets self.clipboard; OSC 52 through the driver
        driver = self._driver
        if os.environ.get("TMUX") and driver is not None and not self.is_headless:
            driver.write(tmux_osc52(text))
        if self._local_clipboard and not self.is_headless:
            self._pyperclip(text)
        # a short confirmation: one line of the copied text, cut to fit a small terminal's toast
        self.notify(one_line(visible(text), TOAST_CHARS) or "(empty)", title=f"Copied {label}", markup=False,
                    timeout=3)

    @work(thread=True, group="clipboard")
    def _pyperclip(self, text: str) -> None:
        try:
            import pyperclip

            pyperclip.copy(text)
        except Exception:  # noqa: BLE001 — no local clipboard tool is not an error; OSC 52 did the job
            pass

    # ----- global actions -------------------------------------------------------------------
    def action_help(self) -> None:
        from .help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_quit_app(self) -> None:
        """ctrl+q (and ctrl+c): quit from any screen. Nothing is lost: screens with unsaved work (a coding form)
        save it first, and the queued workspace writes finish before the app exits."""
        self.exit_saving(0)

    def action_ctrl_c(self) -> None:
        """ctrl+c quits, except in a note being typed, where it copies the selection as in any editor."""
        from textual.widgets import TextArea

        if isinstance(self.focused, TextArea):
            self.focused.action_copy()
            self.notify("Copied the selection · Esc leaves the note · ctrl+q quits", timeout=2)
            return
        self.exit_saving(0)

    def exit_saving(self, code: int = 0) -> None:
        """Exit after every screen's ``before_quit`` (saving what is unsaved) and the workspace writes."""
        for screen in self.screen_stack:
            hook = getattr(screen, "before_quit", None)
            if hook is not None:
                hook()
        self.services.lanes.drain("workspace")
        self.exit(code)

    def on_unmount(self) -> None:
        self.services.lanes.drain("workspace")
        self.services.lanes.shutdown()


def run_app(corpus_path: Path, *, filters: Filters | None = None, mouse: bool = True,
            theme: str | None = None, workspace=None, reviewer: str | None = None, corpus: Corpus | None = None,
            warnings: list[str] | None = None) -> int:
    """Open ``corpus_path`` read-only (or use ``corpus``, already open: it is closed at the end) and run the
    explorer; the exit code. ``warnings`` (about the filters) are shown once the screen is up. Raises
    CorpusError before the screen starts when the corpus cannot be opened or the theme is unknown."""
    try:
        resolve_theme(theme)
    except CorpusError:
        if corpus is not None:
            corpus.close()
        raise
    corpus = corpus or Corpus.open(corpus_path)
    try:
        app = MisalignApp(corpus, filters=filters, theme=theme, workspace=workspace, reviewer=reviewer,
                          warnings=warnings)
        result = app.run(mouse=mouse)
        return int(result or 0) if app.return_code in (None, 0) else int(app.return_code)
    finally:
        corpus.close()
