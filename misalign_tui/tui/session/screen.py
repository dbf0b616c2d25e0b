"""SessionScreen: one session's transcript around an episode, with its evidence turns marked.

Opens on an episode key (or a session key); loads every episode of the session with its evidence, the
turns and their detected signals in a job on the "session" lane (``data.load_session_data``; results of
superseded loads are dropped), then shows the transcript scrolled to the first pushback turn — or, opened from the
search screen with a ``SearchContext``, to the hit turn, with ``n`` / ``N`` stepping through the
search's hits. ``}`` / ``{`` switch episodes without a query. See ``BINDINGS`` for the keys.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Static

from misalign_tui import resources
from misalign_tui.data.reading.corpus import EpisodeDetail
from misalign_tui.data.text import one_line, visible

from ..review.session_note import (SessionNotesLoaded, TurnNotesLoaded, attach_notes, edit_turn_note,
                                   load_session_notes, note_lines, show_turn_note)
from ..services import Services, ServiceScreen
from .actions import SessionActions
from .data import SessionData, load_session_data, session_evidence
from .hits import SearchContext
from .model import EVIDENCE, GLYPH, OTHER_GLYPH, PUSHBACK, Block, display_text, label_parts, mark_blocks, session_line
from .signals import (COMPACT, FULL, PUSHBACK_SIGNAL, SHORT, SIGNAL_GLYPH, SIGNAL_KINDS, SIGNAL_STYLE, count_part,
                      counts_prefix, counts_sep, counts_text, signal_counts)
from .view import TranscriptView

__all__ = ["SearchContext", "SessionData", "SessionScreen", "load_session_data", "session_evidence"]


class SessionScreen(SessionActions, ServiceScreen):
    """The transcript of an episode's session, evidence turns marked, opened at the first pushback."""

    CSS_PATH = resources.path("styles", "session.tcss")

    BINDINGS = [
        Binding("n", "next_pushback", "Next pushback", id="session.next_pushback"),
        Binding("N", "prev_pushback", "Previous pushback", id="session.prev_pushback", show=False),
        # opened from the search screen: n / N step through the search's hits instead (check_action)
        Binding("n", "next_hit", "Next search hit", id="session.next_hit"),
        Binding("N", "prev_hit", "Previous search hit", id="session.prev_hit", show=False),
        Binding("right_square_bracket", "next_evidence", "Next evidence", key_display="]",
                id="session.next_evidence"),
        Binding("left_square_bracket", "prev_evidence", "Previous evidence", key_display="[",
                id="session.prev_evidence", show=False),
        Binding("right_curly_bracket", "next_episode", "Next episode", key_display="}",
                id="session.next_episode"),
        Binding("left_curly_bracket", "prev_episode", "Previous episode", key_display="{",
                id="session.prev_episode", show=False),
        Binding("p", "next_signal('pushback')", "Next detected pushback", id="session.next_detected"),
        Binding("P", "prev_signal('pushback')", "Previous detected pushback", id="session.prev_detected",
                show=False),
        Binding("f", "next_signal('failure')", "Next failure/loop", id="session.next_failure"),
        Binding("F", "prev_signal('failure')", "Previous failure/loop", id="session.prev_failure",
                show=False),
        Binding("g", "top", "Top of transcript", id="session.top", show=False),
        Binding("G", "bottom", "Bottom of transcript", id="session.bottom", show=False),
        Binding("j,down", "scroll_down", "Scroll down", id="session.scroll_down", show=False),
        Binding("k,up", "scroll_up", "Scroll up", id="session.scroll_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="session.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="session.page_up", show=False),
        Binding("e", "toggle_expand", "Expand/collapse turn", id="session.expand"),
        Binding("E", "expand_all", "Expand/collapse all turns", id="session.expand_all", show=False),
        Binding("y", "copy_key", "Copy key", id="session.copy_key"),
        Binding("Y", "copy_citation", "Copy Markdown citation", id="session.copy_citation", show=False),
        Binding("o", "pager", "Open in pager", id="session.pager"),
        Binding("a", "turn_note", "Note on this turn", id="session.turn_note", show=False),
        Binding("escape,q", "back", "Back", id="session.back"),
    ]

    class Loaded(Message):
        def __init__(self, gen: int, data: SessionData | None, error: str | None = None) -> None:
            super().__init__()
            self.gen = gen
            self.data = data
            self.error = error

    def __init__(self, services: Services, episode_key: str, *, search: SearchContext | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        """``episode_key``: a canonical episode key, or a session key (opens its first VALID episode, else
        its first episode, else the bare transcript). ``search``: the full-text search this was opened
        from — its hit turns are marked, ``n`` / ``N`` step through them, and the transcript opens on
        ``search.turn`` (when given)."""
        super().__init__(services, name=name, id=id, classes=classes)
        self.episode_key = episode_key
        self.search = search
        self._open_turn = search.turn if search is not None else None
        self.detail: EpisodeDetail | None = None
        self.session: dict | None = None
        self.turn_blocks: list[Block] = []
        self.blocks: list[Block] = []
        self.details: dict[str, EpisodeDetail] = {}
        self.session_evidence: list[tuple] = []
        self.turn_notes: dict[int, list[str]] = {}  # the workspace's turn notes, shown on their turns
        self.error: str | None = None
        self._gen = 0
        self._t_open = time.perf_counter()
        self.timings: dict[str, float] = {}

    # ----- composition ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(f"{display_text(self.episode_key)}  loading…"), id="session-header")
        self._view = TranscriptView(id="transcript")
        yield self._view
        yield Static("", id="session-status")
        yield Footer()

    @property
    def view(self) -> TranscriptView:
        return self._view

    def on_mount(self) -> None:
        self.view.focus()
        self._start_load(self.episode_key)

    def on_unmount(self) -> None:
        # A popped screen is cyclic garbage (the DOM links both ways) that only a full collection
        # reclaims; drop the transcript now so it is freed at once rather than in a long GC pause.
        self._gen += 1
        self._view.blocks = []
        self.blocks, self.turn_blocks, self.details, self.session_evidence = [], [], {}, []

    # ----- loading ---------------------------------------------------------------------
    def show_episode(self, episode_key: str) -> None:
        """Make ``episode_key`` the current episode: at once when it is of the loaded session, else load it
        (an episode key, or a session key for that session's first episode)."""
        if episode_key in self.details:
            self._gen += 1  # a load still running for another episode is now stale
            self._apply(episode_key)
        else:
            self._start_load(episode_key)

    def _start_load(self, episode_key: str) -> None:
        self._gen += 1
        gen, corpus, search = self._gen, self.corpus, self.search
        self.run_job("session", lambda: load_session_data(corpus, episode_key, search), job="session load", gen=gen,
                     exclusive=True, done=lambda data: self.Loaded(gen, data),
                     failed=lambda f: self.Loaded(gen, None, f.error))

    def on_session_screen_loaded(self, msg: Loaded) -> None:
        msg.stop()
        if msg.gen != self._gen:  # a newer load (or episode switch) superseded this one
            return
        if msg.data is None:
            self.error = msg.error
            if self.session is None:
                self.view.show_placeholder(f"⚠ {msg.error}")
                self.query_one("#session-header", Static).update(Text(f"⚠ {msg.error}"))
            else:
                self.notify(msg.error or "load failed", severity="error", markup=False)
            return
        data = msg.data
        self.timings["query"] = data.seconds
        self.session = data.session
        self.turn_blocks = data.turns
        self.details = data.details
        self.session_evidence = session_evidence(data.details)
        self._apply(data.key)
        self.view.focus()
        load_session_notes(self)
        self.timings["open"] = time.perf_counter() - self._t_open

    def _apply(self, episode_key: str | None) -> None:
        """Mark the transcript for ``episode_key`` (of the loaded session; None: no episode) and scroll to
        its first pushback."""
        self.detail = self.details.get(episode_key) if episode_key else None
        self.episode_key = episode_key or self.session["session_key"]
        self.error = None
        self.blocks = mark_blocks(self.turn_blocks, self.detail, self.session_evidence, self.session)
        attach_notes(self.blocks, self.turn_notes)
        self.view.set_blocks(self.blocks, self._first_mark())
        self._update_header()
        self._update_status()

    def _first_mark(self) -> int:
        if self.n_turns is None:
            return 0
        turn, self._open_turn = self._open_turn, None  # the search hit to open on (the first load only)
        if turn is not None:
            for i, b in enumerate(self.blocks):
                if b.kind == "turn" and b.turn_no == turn:
                    return i
        for kind in (PUSHBACK, EVIDENCE):
            for i, b in enumerate(self.blocks):
                if b.mark == kind and b.kind == "turn":
                    return i
        return 0

    # ----- state ------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        """The load finished and the transcript is laid out."""
        return self.session is not None and self.view.ready

    @property
    def n_turns(self) -> int | None:
        return self.session.get("n_turns") if self.session else None

    @property
    def session_key(self) -> str | None:
        return self.session["session_key"] if self.session else None

    @property
    def current_index(self) -> int | None:
        return self.view.current

    @property
    def current_turn(self) -> int | None:
        """Number of the current turn (the one jumped to, else the one at the top of the view)."""
        i = self.view.current
        return self.blocks[i].turn_no if i is not None and i < len(self.blocks) else None

    def marked(self, kind: str | None = None) -> list[int]:
        """Block indices of the current episode's pushback turns (kind=PUSHBACK) or all evidence."""
        return [i for i, b in enumerate(self.blocks) if b.mark and (kind is None or b.mark == kind)]

    def pushback_turns(self) -> list[int]:
        return [self.blocks[i].turn_no for i in self.marked(PUSHBACK) if self.blocks[i].turn_no is not None]

    def evidence_turns(self) -> list[int]:
        return [self.blocks[i].turn_no for i in self.marked() if self.blocks[i].turn_no is not None]

    def hit_blocks(self) -> list[int]:
        """Block indices of the search's hit turns (empty without a search)."""
        return [i for i, b in enumerate(self.blocks) if b.search_hit]

    def hit_turns(self) -> list[int]:
        return [self.blocks[i].turn_no for i in self.hit_blocks()]

    def signal_blocks(self, kinds: tuple[str, ...] = SIGNAL_KINDS) -> list[int]:
        """Block indices of the turns with a detected signal of one of ``kinds``."""
        return [i for i, b in enumerate(self.blocks) if b.signals and any(k in kinds for k, _ in b.signals)]

    def signal_turns(self, kind: str = PUSHBACK_SIGNAL) -> list[int]:
        return [self.blocks[i].turn_no for i in self.signal_blocks((kind,))]

    @property
    def searching(self) -> bool:
        """Opened from a search that has hit turns in this session (n / N step through them)."""
        return self.search is not None and bool(self.search.turns)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "prev_hit"):
            return self.searching
        if action in ("next_pushback", "prev_pushback"):
            return not self.searching
        return True

    def episode_keys(self) -> list[str]:
        """The episodes `}` / `{` step through: the session's VALID ones (and the current one)."""
        return [k for k, d in self.details.items() if d.row.get("validation") == "VALID" or k == self.episode_key]

    # ----- header and status ------------------------------------------------------------
    def _update_header(self) -> None:
        d, s = self.detail, self.session or {}
        width = max(40, self.size.width - 2)
        t = Text()
        t.append("SESSION ", "bold")
        t.append(display_text(s.get("session_key")), "bold")
        if s.get("title") and width - t.cell_len > 12:
            t.append("  " + one_line(visible(s["title"]), width - t.cell_len - 2), "italic")
        t.append("\n")
        meta = session_line(s)
        n = s.get("n_turns")
        meta += (" · " if meta else "") + (f"{n:,} turns" if n is not None else "no transcript")
        keys = self.episode_keys()
        meta += f" · {len(keys)} episode{'s' if len(keys) != 1 else ''}"
        t.append(meta, "dim")
        if n is not None:
            self._append_signal_counts(t, width)
        if d is None:
            t.append("\nno episode in this session", "italic")
        else:
            row = d.row
            line = Text("\nEPISODE ", "bold")
            line.append(display_text(d.key), "bold")
            if d.key in keys and len(keys) > 1:
                line.append(f"  ({keys.index(d.key) + 1}/{len(keys)})", "dim")
            if row.get("name") and width - line.cell_len > 12:
                line.append("  " + one_line(visible(row["name"]), width - line.cell_len - 2))
            t.append_text(line)
            t.append("\n")
            t.append(" · ".join(label_parts(row)) or "no labels")
        self.query_one("#session-header", Static).update(t)

    def _append_signal_counts(self, t: Text, width: int) -> None:
        """The detected signals' counts at the end of the meta line, in the longest form that fits
        (``⚑ 3 candidate pushback · ✗ 1 tool failure · ↻ 0 loops`` … ``detected ⚑ 3 ✗ 1 ↻ 0``)."""
        counts = signal_counts(self.turn_blocks)
        room = width - (t.cell_len - (t.plain.rfind("\n") + 1)) - 3
        forms = (FULL, SHORT, COMPACT)
        form = next((f for f in forms if len(counts_text(counts, f)) <= room), None)
        if form is None:  # on a line of its own
            form = next((f for f in forms if len(counts_text(counts, f)) <= width), COMPACT)
            t.append("\n" + counts_prefix(form), "dim")
        else:
            t.append(" · " + counts_prefix(form), "dim")
        for i, kind in enumerate(SIGNAL_KINDS):
            if i:
                t.append(counts_sep(form), "dim")
            style = self.view.get_component_rich_style(f"transcript--{SIGNAL_STYLE[kind]}")
            t.append(count_part(kind, counts.get(kind, 0), form), style)

    def _update_status(self) -> None:
        if not self.session:
            return
        cur = self.view.current
        t = Text()
        if self.n_turns is None:
            t.append("no transcript · evidence only")
        else:
            turn = self.current_turn
            t.append(f"TURN {turn if turn is not None else '–'} of {self.n_turns:,}")
        idx = self.hit_blocks()
        if idx:
            done = sum(1 for i in idx if cur is not None and i <= cur)
            t.append(f"  ⌕ hit {done}/{len(idx)}", "bold")
            t.append(f" “{one_line(visible(self.search.query), 24)}”")
        for kind, name in ((PUSHBACK, "pushback"), (None, "evidence")):
            idx = self.marked(kind)
            done = sum(1 for i in idx if cur is not None and i <= cur)
            glyph = GLYPH[PUSHBACK] if kind else GLYPH[EVIDENCE]
            t.append(f"  {glyph} {name} {done}/{len(idx)}")
        legend = f"   │ {GLYPH[PUSHBACK]} pushback  {GLYPH[EVIDENCE]} evidence  {OTHER_GLYPH} other episode"
        if t.cell_len + len(legend) + 2 <= self.size.width:
            t.append(legend, "dim")
            detected = "  " + " ".join(SIGNAL_GLYPH[k] for k in SIGNAL_KINDS) + " detected"
            if t.cell_len + len(detected) + 2 <= self.size.width:
                t.append(detected, "dim")
        self.query_one("#session-status", Static).update(t)

    def action_turn_note(self) -> None:
        """``a``: write or edit this reviewer's note on the current turn (reviewer workspace)."""
        edit_turn_note(self)

    def on_turn_notes_loaded(self, msg: TurnNotesLoaded) -> None:
        show_turn_note(self, msg)

    def on_session_notes_loaded(self, msg: SessionNotesLoaded) -> None:
        if msg.session_key != self.session_key:
            return
        self.turn_notes = note_lines(msg.notes)
        for b in self.blocks:  # drop the notes shown before (keep the evidence warnings), then add these
            if b.notes and any(str(x).startswith("✎ ") for x in b.notes):
                b.notes = [x for x in b.notes if not str(x).startswith("✎ ")]
                b.note_rows = None
        attach_notes(self.blocks, self.turn_notes)
        self.view.relayout()

    def on_transcript_view_moved(self, msg: TranscriptView.Moved) -> None:
        msg.stop()
        self._update_status()

    def on_resize(self) -> None:
        if self.session:
            self._update_header()
            self._update_status()

# The app's help screen (``?``) lists these sections' bindings.
SessionScreen.HELP_SECTIONS = [("Session", SessionScreen)]
