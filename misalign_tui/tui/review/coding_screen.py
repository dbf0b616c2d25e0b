"""Blind re-coding: one episode of a round at a time, the model's labels hidden, coded with single keys.

The left pane shows what the coder may see — name, session line, description, the evidence quotes with
their context, and the transcript turns the evidence cites — never the corpus' labels or the annotator's
reasoning. The right pane is the form (``coding_form``). Each episode's coding is saved when the coder
moves on (n / Enter / p / Esc), as a job on the workspace lane (one thread: saves keep their order); the round
resumes at the first episode this reviewer has not completed.
"""

from __future__ import annotations

from concurrent.futures import wait

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from misalign_tui import resources
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.workspace.coding import Coding, codings, get_round, resume_position, save_coding

from ..detail import append_evidence
from ..rich_text import safe_str, safe_text
from ..services import Notice, Services, ServiceScreen
from .coding_form import AXIS_LETTERS, clear_row, next_row_for_letter, press_digit, render_form, row_names, rows

TURN_CHARS = 3000
SINGLE_ROWS = ("severity", "locus", "status", "resolver")


def load_episode(corpus, key: str):
    """(detail, [(turn_no, role, text)] of the turns its evidence cites) — run off the UI thread."""
    detail = corpus.episode(key)
    turns = []
    if detail is not None and detail.row.get("n_turns"):
        cited = sorted({e.turn_no for e in detail.evidence if e.turn_no is not None})[:8]
        for t in cited:
            turns += [(x.turn_no, x.role, x.text) for x in corpus.turns(detail.row["session_no"], t, t)]
    return detail, turns


def render_episode(detail, turns) -> Text:
    """The episode as the blind coder sees it (no labels, no reasoning)."""
    r = detail.row
    t = Text()
    t.append_text(safe_text(r.get("episode_key"), "bold"))
    if r.get("name"):
        t.append("\n")
        t.append_text(safe_text(r["name"], "bold"))
    meta = [r.get("platform"), r.get("agent"), r["ts"].strftime("%Y-%m-%d %H:%M") if r.get("ts") else None]
    t.append("\n")
    t.append_text(safe_text(" · ".join(str(m) for m in meta if m), "dim"))
    if r.get("description"):
        t.append("\n\nDescription\n", "bold")
        t.append_text(safe_text(r["description"]))
    t.append("\n")
    append_evidence(t, detail.evidence)
    if turns:
        t.append("\n\nTranscript turns cited by the evidence", "bold")
    for no, role, text in turns:
        t.append(f"\n\nTURN {no} · {role}\n", "bold")
        more = len(text) - TURN_CHARS
        body = text if more <= 0 else text[:TURN_CHARS] + f" … ({more:,} more characters)"
        t.append_text(safe_text(body))
    return t


class CodingScreen(ServiceScreen):
    """Code the episodes of round ``name`` as the workspace's reviewer."""

    CSS_PATH = resources.path("styles", "review.tcss")
    BINDINGS = [
        *[Binding(str(i), f"digit({i})", "Choose option", show=i == 1, key_display="1-8", id="coding.digit")
          for i in range(1, 10)],
        Binding("0,backspace", "clear_row", "Clear row", id="coding.clear"),
        *[Binding(k, f"row('{k}')", f"Go to {a}", show=False, id=f"coding.row_{a}") for a, k in AXIS_LETTERS.items()],
        Binding("down,tab", "move(1)", "Next row", show=False, id="coding.next_row"),
        Binding("up,shift+tab", "move(-1)", "Previous row", show=False, id="coding.prev_row"),
        Binding("enter,n", "step(1)", "Save, next", id="coding.next"),
        Binding("p", "step(-1)", "Save, previous", id="coding.prev"),
        Binding("j,pagedown", "scroll(1)", "Scroll episode", show=False, id="coding.scroll_down"),
        Binding("k,pageup", "scroll(-1)", "Scroll episode up", show=False, id="coding.scroll_up"),
        Binding("A", "agreement", "Agreement", id="coding.agreement"),
        Binding("escape,q", "leave", "Save and leave", id="coding.leave"),
    ]

    class RoundLoaded(Message):
        def __init__(self, rnd, mine: dict, error: str = "") -> None:
            super().__init__()
            self.rnd, self.mine, self.error = rnd, mine, error

    class EpisodeLoaded(Message):
        def __init__(self, index: int, detail, turns: list, error: str = "") -> None:
            super().__init__()
            self.index, self.detail, self.turns, self.error = index, detail, turns, error

    def __init__(self, services: Services, name: str) -> None:
        super().__init__(services)
        self.store, self.name_ = services.workspace, name
        self.round = None
        self.mine: dict[str, Coding] = {}
        self.index = 0
        self.coding = Coding()
        self.active = "symptom"
        self.shown_key: str | None = None  # the episode whose text is on screen
        self._pending: list = []  # futures of the saves not known to be done
        self._confirm: str | None = None  # the incomplete episode a first Enter warned about

    def compose(self):
        yield Static(Text(f"Blind re-coding · round {safe_str(self.name_, 60)} · loading…"), id="coding-header")
        with Horizontal(id="coding-main"):
            with VerticalScroll(id="coding-episode"):
                yield Static("", id="coding-text")
            with VerticalScroll(id="coding-form-box"):
                yield Static("", id="coding-form")
        yield Footer()

    def on_mount(self) -> None:
        self._load_round()

    def on_unmount(self) -> None:
        self.flush()

    def before_quit(self) -> None:
        """The app is quitting (ctrl+c / ctrl+q): save the episode on screen as leaving would."""
        if self.round is not None:
            self._save_current()
        self.flush()

    # ----- loading ------------------------------------------------------------------------------
    def _load_round(self) -> None:
        store, name = self.store, self.name_

        def job():
            rnd = get_round(store, name)
            return rnd, (codings(store, name).get(store.reviewer, {}) if rnd else {})

        self.run_job("workspace", job, job="coding round",
                     done=lambda r: self.RoundLoaded(*r, "" if r[0] else f"no coding round named {name!r}"),
                     failed=lambda f: self.RoundLoaded(None, {}, f.error))

    def on_coding_screen_round_loaded(self, msg: RoundLoaded) -> None:
        if msg.rnd is None:
            self.query_one("#coding-header", Static).update(Text(f"⚠ {safe_str(msg.error)}"))
            return
        self.round, self.mine = msg.rnd, dict(msg.mine)
        self.index = resume_position(self.round, self.mine)
        if self.mine and self.index < len(self.round.keys):
            self.notify(f"Resuming at episode {self.index + 1} of {len(self.round.keys)}", timeout=3)
        self._show()

    def _load_episode(self, index: int, key: str) -> None:
        corpus = self.corpus
        self.run_job("review", lambda: load_episode(corpus, key), job="coding episode",
                     done=lambda r: self.EpisodeLoaded(index, *r, "" if r[0] else "not in this corpus"),
                     failed=lambda f: self.EpisodeLoaded(index, None, [], f.error))

    def on_coding_screen_episode_loaded(self, msg: EpisodeLoaded) -> None:
        if self.round is None or msg.index != self.index:
            return
        body = self.query_one("#coding-text", Static)
        key = self.round.keys[msg.index]
        body.update(render_episode(msg.detail, msg.turns) if msg.detail is not None
                    else safe_text(f"{key}: {msg.error}"))
        self.shown_key = key
        self.query_one("#coding-episode").scroll_home(animate=False)

    # ----- state --------------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return self.round is not None and self.index < len(self.round.keys)

    @property
    def current_key(self) -> str | None:
        return self.round.keys[self.index] if self.editing else None

    def _show(self) -> None:
        if self.round is None:
            return
        if not self.editing:
            self.shown_key = None
            self.query_one("#coding-text", Static).update(Text(
                f"Round {safe_str(self.round.name, 60)} is complete for {safe_str(self.store.reviewer, 40)}: "
                f"{self._complete()} of {len(self.round.keys)} episodes coded.\n\n"
                "A: agreement with the model (and other reviewers) · p: back to the last episode · Esc: leave",
                "bold"))
            self.query_one("#coding-form", Static).update("")
        else:
            key = self.round.keys[self.index]
            self.coding = self.mine.get(key, Coding())
            self.active = "symptom"
            self.query_one("#coding-text", Static).update(Text(f"{safe_str(key)}\n\nloading…", "dim"))
            self._load_episode(self.index, key)
            self._render_form()
        self._render_header()

    def _complete(self) -> int:
        return sum(1 for c in self.mine.values() if c.complete)

    def _render_header(self) -> None:
        r = self.round
        t = Text("BLIND RE-CODING ", "bold")
        name = one_line(visible(r.name), 40)
        t.append(f"· {name} · " if name.lower().startswith("round") else f"· round {name} · ")  # never "round round 1"
        t.append(f"episode {min(self.index + 1, len(r.keys))} of {len(r.keys)}" if self.editing else "done", "bold")
        t.append(f" · {self._complete()} complete · reviewer {one_line(visible(self.store.reviewer), 30)}"
                 " · model labels hidden", "dim")
        self.query_one("#coding-header", Static).update(t)

    def _render_form(self) -> None:
        if self.editing:
            self.query_one("#coding-form", Static).update(render_form(self.coding, self.active))

    # ----- saving -------------------------------------------------------------------------------
    def _save_current(self) -> None:
        key = self.current_key
        if key is None or self.coding == self.mine.get(key, Coding()):
            return
        self.mine[key] = self.coding
        store, name, coding = self.store, self.round.name, self.coding
        self._pending.append(self.run_job("workspace", lambda: save_coding(store, name, key, coding),
                                          done=lambda _: None, job="coding save",
                                          failed=lambda f: Notice(f.error, "error", "Coding not saved")))

    def flush(self) -> None:
        """Wait for the queued saves (leaving the screen, opening the agreement)."""
        wait(self._pending)
        self._pending.clear()

    # ----- keys ---------------------------------------------------------------------------------
    def action_digit(self, n: int) -> None:
        if not self.editing:
            return
        new = press_digit(self.coding, self.active, n)
        if new is None:
            self.notify(f"No option {n} on this row", timeout=1)
            return
        single = self.active in SINGLE_ROWS or self.active.startswith("tier:")
        was, self.coding = self.active, new
        names = row_names(new)
        if was not in names:
            self.active = "cause"
        elif single and any(r.chosen for r in rows(new) if r.name == was):  # picked: on to the next row
            self.active = names[min(names.index(was) + 1, len(names) - 1)]
        self._render_form()

    def action_clear_row(self) -> None:
        if self.editing:
            self.coding = clear_row(self.coding, self.active)
            if self.active not in row_names(self.coding):
                self.active = "cause"
            self._render_form()

    def action_row(self, letter: str) -> None:
        if self.editing:
            row = next_row_for_letter(self.coding, letter, self.active)
            if row is None:
                self.notify("Choose a cause first (c), then its tier", timeout=2)
                return
            self.active = row
            self._render_form()

    def action_move(self, step: int) -> None:
        if self.editing:
            names = row_names(self.coding)
            self.active = names[(names.index(self.active) + step) % len(names)]
            self._render_form()

    def action_step(self, step: int) -> None:
        if self.round is None:
            return
        target = max(0, min(self.index + step, len(self.round.keys)))
        if target == self.index:
            self.notify("This is the first episode of the round", timeout=2)
            return
        if step > 0 and self.editing and not self.coding.complete and self._confirm != self.current_key:
            # say what is missing (a cause's evidence tier, say) before moving on; a second press goes on
            self._confirm = self.current_key
            self.notify("Still missing: " + ", ".join(self.coding.missing()) + " · Enter (or n) "
                        "again saves it incomplete and goes on", title="Incomplete coding", severity="warning",
                        timeout=4)
            return
        self._confirm = None
        self._save_current()
        self.index = target
        self._show()

    def action_scroll(self, step: int) -> None:
        pane = self.query_one("#coding-episode", VerticalScroll)
        if step > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    def action_agreement(self) -> None:
        if self.round is None:
            return
        self._save_current()
        self.flush()
        from .agreement_screen import AgreementScreen

        self.app.push_screen(AgreementScreen(self.services, self.round.name))

    def action_leave(self) -> None:
        self._save_current()
        self.flush()
        self.dismiss(None)
