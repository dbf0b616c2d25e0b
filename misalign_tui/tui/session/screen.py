"""SessionScreen: one session's transcript around an episode, with its evidence turns marked.

Opens on an episode key (or a session key); loads every episode of the session with its evidence and
the turns in a thread worker (three queries: ``session_episode_rows``, ``session_episode_evidence``,
``session_turns``; results of superseded loads are dropped), then shows the transcript scrolled to the
first pushback turn. ``}`` / ``{`` switch episodes without a query. See ``BINDINGS`` for the keys.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from misalign_tui.data.corpus import Corpus, EpisodeDetail, Evidence
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.sql import resource_dir
from misalign_tui.tui.safe import one_line

from .model import (EVIDENCE, GLYPH, OTHER_GLYPH, PUSHBACK, Block, citation, display_text, label_parts,
                    mark_blocks, render_transcript_text, session_line, turn_blocks)
from .view import TranscriptView


_ROW_COLS = ("session_title", "n_turns", "s_no", "user_turns", "agent_turns", "model")


@dataclass
class SessionData:
    """What one load produced (built in the worker thread)."""

    key: str | None  # the episode to show (None: the session has no episode)
    details: dict[str, EpisodeDetail]  # every episode of the session, by key, in misalignment-id order
    session: dict
    turns: list[Block] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def detail(self) -> EpisodeDetail | None:
        return self.details.get(self.key) if self.key else None


def session_evidence(details: dict[str, EpisodeDetail]) -> list[tuple]:
    """(episode_key, episode_no, turn_no, role, quote) of the VALID episodes (as Corpus.session_evidence)."""
    return [(d.key, d.row["episode_no"], ev.turn_no, ev.role, ev.quote)
            for d in details.values() if d.row.get("validation") == "VALID" for ev in d.evidence]


def load_session_data(corpus: Corpus, key: str) -> SessionData:
    """Everything the screen shows for an episode key (or a session key: its first VALID episode, else its
    first episode, else none): every episode of the session with its evidence, and the turns. Three
    queries (four for a session without episodes)."""
    t0 = time.perf_counter()
    rows = corpus.run("session_episode_rows", {"key": key})
    details: dict[str, EpisodeDetail] = {}
    for episode, *rest in rows:
        row = {**episode, **dict(zip(_ROW_COLS, rest))}
        details[row["episode_key"]] = EpisodeDetail(row)
    if details:
        chosen = key if key in details else min(
            details, key=lambda k: (details[k].row.get("validation") != "VALID", k))
        row = details[chosen].row
        session = {k: row.get(k) for k in ("session_key", "session_no", "source", "repo", "session_id",
                                           "platform", "agent", "ts", "n_turns")}
        session["title"] = row.get("session_title")
        by_no = {d.row["episode_no"]: d for d in details.values()}
        for eno, *ev in corpus.run("session_episode_evidence", {"session_no": session["session_no"]}):
            if eno in by_no:
                by_no[eno].evidence.append(Evidence(*ev))
    else:
        session = corpus.session(key)
        if session is None:
            raise CorpusError(f"no such episode or session: {one_line(key)}")
        chosen = None
    sno = session["session_no"]
    turns = []
    if session.get("n_turns") is not None:  # raw rows (no Turn objects: fewer objects for the collector)
        turns = turn_blocks(corpus.run("session_turns", {"session_no": sno, "start": 1, "stop": 2**31 - 1}))
    return SessionData(chosen, details, session, turns, time.perf_counter() - t0)


class SessionScreen(Screen):
    """The transcript of an episode's session, evidence turns marked, opened at the first pushback."""

    CSS_PATH = str(resource_dir("styles") / "session.tcss")

    BINDINGS = [
        Binding("n", "next_pushback", "Next pushback", id="session.next_pushback"),
        Binding("N", "prev_pushback", "Previous pushback", id="session.prev_pushback", show=False),
        Binding("right_square_bracket", "next_evidence", "Next evidence", key_display="]",
                id="session.next_evidence"),
        Binding("left_square_bracket", "prev_evidence", "Previous evidence", key_display="[",
                id="session.prev_evidence", show=False),
        Binding("right_curly_bracket", "next_episode", "Next episode", key_display="}",
                id="session.next_episode"),
        Binding("left_curly_bracket", "prev_episode", "Previous episode", key_display="{",
                id="session.prev_episode", show=False),
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
        Binding("escape,q", "back", "Back", id="session.back"),
    ]

    class Loaded(Message):
        def __init__(self, gen: int, data: SessionData | None, error: str | None = None) -> None:
            super().__init__()
            self.gen = gen
            self.data = data
            self.error = error

    def __init__(self, corpus: Corpus, episode_key: str, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        """``episode_key``: a canonical episode key, or a session key (opens its first VALID episode, else
        its first episode, else the bare transcript)."""
        super().__init__(name=name, id=id, classes=classes)
        self.corpus = corpus
        self.episode_key = episode_key
        self.detail: EpisodeDetail | None = None
        self.session: dict | None = None
        self.turn_blocks: list[Block] = []
        self.blocks: list[Block] = []
        self.details: dict[str, EpisodeDetail] = {}
        self.session_evidence: list[tuple] = []
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
        self._load(self._gen, episode_key)

    @work(thread=True, exclusive=True, group="session-load", exit_on_error=False)
    def _load(self, gen: int, episode_key: str) -> None:
        # The app's long-lived "session" database lane when it has one (one cursor, cancellable with the
        # app's other queries), else this worker thread.
        lanes = getattr(self.app, "db", None)
        try:
            if lanes is not None and callable(getattr(lanes, "call", None)):
                data = lanes.call("session", load_session_data, self.corpus, episode_key)
            else:
                data = load_session_data(self.corpus, episode_key)
        except CorpusError as e:
            self.post_message(self.Loaded(gen, None, str(e)))
        except Exception as e:  # noqa: BLE001 — a broken corpus must not take the app down
            self.post_message(self.Loaded(gen, None, f"cannot load {one_line(episode_key)}: {one_line(str(e))}"))
        else:
            self.post_message(self.Loaded(gen, data))

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
        self.timings["open"] = time.perf_counter() - self._t_open

    def _apply(self, episode_key: str | None) -> None:
        """Mark the transcript for ``episode_key`` (of the loaded session; None: no episode) and scroll to
        its first pushback."""
        self.detail = self.details.get(episode_key) if episode_key else None
        self.episode_key = episode_key or self.session["session_key"]
        self.error = None
        self.blocks = mark_blocks(self.turn_blocks, self.detail, self.session_evidence, self.session)
        self.view.set_blocks(self.blocks, self._first_mark())
        self._update_header()
        self._update_status()

    def _first_mark(self) -> int:
        if self.n_turns is None:
            return 0
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
            t.append("  " + one_line(s["title"], width - t.cell_len - 2), "italic")
        t.append("\n")
        meta = session_line(s)
        n = s.get("n_turns")
        meta += (" · " if meta else "") + (f"{n:,} turns" if n is not None else "no transcript")
        keys = self.episode_keys()
        meta += f" · {len(keys)} episode{'s' if len(keys) != 1 else ''}"
        t.append(meta, "dim")
        if d is None:
            t.append("\nno episode in this session", "italic")
        else:
            row = d.row
            line = Text("\nEPISODE ", "bold")
            line.append(display_text(d.key), "bold")
            if d.key in keys and len(keys) > 1:
                line.append(f"  ({keys.index(d.key) + 1}/{len(keys)})", "dim")
            if row.get("name") and width - line.cell_len > 12:
                line.append("  " + one_line(row["name"], width - line.cell_len - 2))
            t.append_text(line)
            t.append("\n")
            t.append(" · ".join(label_parts(row)) or "no labels")
        self.query_one("#session-header", Static).update(t)

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
        for kind, name in ((PUSHBACK, "pushback"), (None, "evidence")):
            idx = self.marked(kind)
            done = sum(1 for i in idx if cur is not None and i <= cur)
            glyph = GLYPH[PUSHBACK] if kind else GLYPH[EVIDENCE]
            t.append(f"  {glyph} {name} {done}/{len(idx)}")
        legend = f"   │ {GLYPH[PUSHBACK]} pushback  {GLYPH[EVIDENCE]} evidence  {OTHER_GLYPH} other episode"
        if t.cell_len + len(legend) + 2 <= self.size.width:
            t.append(legend, "dim")
        self.query_one("#session-status", Static).update(t)

    def on_transcript_view_moved(self, msg: TranscriptView.Moved) -> None:
        msg.stop()
        self._update_status()

    def on_resize(self) -> None:
        if self.session:
            self._update_header()
            self._update_status()

    # ----- navigation actions -----------------------------------------------------------
    def _step(self, targets: list[int], forward: bool, what: str) -> None:
        if not self.view.ready:
            return
        if not targets:
            self.notify(f"This episode has no {what}.", markup=False)
            return
        cur = self.view.current
        cur = -1 if cur is None else cur
        nxt = [i for i in targets if i > cur] if forward else [i for i in targets if i < cur]
        if not nxt:
            self.notify(f"No {'later' if forward else 'earlier'} {what}.", markup=False)
            return
        self.view.jump_to(nxt[0] if forward else nxt[-1])

    def action_next_pushback(self) -> None:
        self._step(self.marked(PUSHBACK), True, "pushback turn")

    def action_prev_pushback(self) -> None:
        self._step(self.marked(PUSHBACK), False, "pushback turn")

    def action_next_evidence(self) -> None:
        self._step(self.marked(), True, "evidence turn")

    def action_prev_evidence(self) -> None:
        self._step(self.marked(), False, "evidence turn")

    def _switch_episode(self, step: int) -> None:
        if not self.session:
            return
        keys = self.episode_keys()
        if len(keys) < 2:
            self.notify("This session has no other episode.", markup=False)
            return
        i = keys.index(self.episode_key) if self.episode_key in keys else -1
        j = i + step
        if not 0 <= j < len(keys):
            self.notify(f"This is the {'last' if step > 0 else 'first'} episode of the session.", markup=False)
            return
        self.show_episode(keys[j])

    def action_next_episode(self) -> None:
        self._switch_episode(1)

    def action_prev_episode(self) -> None:
        self._switch_episode(-1)

    def action_top(self) -> None:
        self.view.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.view.scroll_end(animate=False)

    def action_scroll_down(self) -> None:
        self.view.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.view.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.view.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.view.scroll_page_up(animate=False)

    def action_toggle_expand(self) -> None:
        view = self.view
        if not view.ready:
            return
        cur = view.current
        candidates = ([cur] if cur is not None else []) + [i for i in view.visible_blocks() if i != cur]
        for i in candidates:
            if view.toggle_expanded(i):
                return
        self.notify("No long turn in view to expand or collapse.", markup=False)

    def action_expand_all(self) -> None:
        view = self.view
        if not view.ready:
            return
        collapsed = any(b.long and not b.expanded for b in self.blocks)
        n = view.set_all_expanded(collapsed)
        if n == 0:
            self.notify("No long turns in this transcript.", markup=False)
        else:
            self.notify(f"{'Expanded' if collapsed else 'Collapsed'} {n} long turn{'s' if n != 1 else ''}.",
                        markup=False)

    # ----- copy, pager, back ------------------------------------------------------------
    def _copy(self, text: str, label: str) -> None:
        copy = getattr(self.app, "copy", None)
        if callable(copy):
            copy(text, label)
        else:
            self.app.copy_to_clipboard(text)
            self.notify(f"Copied {label}: {one_line(text, 100)}", markup=False)

    def action_copy_key(self) -> None:
        if self.detail:
            self._copy(self.detail.key, "episode key")
        elif self.session:
            self._copy(self.session["session_key"], "session key")

    def action_copy_citation(self) -> None:
        if self.detail:
            self._copy(citation(self.detail), "citation")
        elif self.session:
            self.notify("This session has no episode to cite.", markup=False)

    def action_pager(self) -> None:
        if not self.session_key:
            return
        try:
            text = render_transcript_text(self.corpus, self.session_key)
        except CorpusError as e:
            self.notify(str(e), severity="error", markup=False)
            return
        fd, path = tempfile.mkstemp(prefix="misalign-session-", suffix=".txt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            cmd = shlex.split(os.environ.get("PAGER") or "less") or ["less"]
            with self.app.suspend():
                subprocess.run([*cmd, path], check=False)
        except SuspendNotSupported:
            self.notify("Cannot open a pager here (the terminal cannot be suspended).", severity="warning",
                        markup=False)
        except (FileNotFoundError, PermissionError) as e:
            self.notify(f"Cannot run the pager: {one_line(str(e))} (set $PAGER)", severity="error", markup=False)
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass

    def action_back(self) -> None:
        if self.app.screen is self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()


# The app's help screen (``?``) lists these sections' bindings.
SessionScreen.HELP_SECTIONS = [("Session", SessionScreen)]
