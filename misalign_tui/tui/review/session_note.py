"""``a`` on the session screen: a note on the current turn of the transcript (the reviewer workspace), and every
reviewer's turn notes shown on their turns (``✎ alice · 2025-01-02 10:00: …`` below the turn's text)."""

from __future__ import annotations

from textual.message import Message

from misalign_tui.data.text import visible

from ..services import Notice
from .modals import NoteScreen


NOTE_GLYPH = "✎"


class SessionNotesLoaded(Message):
    """Every turn note of a session (for the transcript)."""

    def __init__(self, session_key: str, notes: list) -> None:
        super().__init__()
        self.session_key, self.notes = session_key, notes


def load_session_notes(screen) -> None:
    """Load the turn notes of ``screen``'s session (a SessionScreen) on the workspace lane."""
    store, session_key = screen.services.workspace, screen.session_key
    if store is None or session_key is None:
        return
    screen.run_job("workspace", lambda: [n for n in store.notes() if n.kind == "turn" and n.target == session_key],
                   done=lambda notes: SessionNotesLoaded(session_key, notes), job="turn notes")


def note_lines(notes: list) -> dict[int, list[str]]:
    """turn -> the lines shown under it: ``✎ turn 7 · alice · 2025-01-02 10:00: the note`` (safe text)."""
    out: dict[int, list[str]] = {}
    for n in sorted(notes, key=lambda n: (n.turn_no or 0, n.updated_at)):
        if n.turn_no is not None:
            out.setdefault(n.turn_no, []).append(f"{NOTE_GLYPH} {visible(n.heading())}: {visible(n.body).strip()}")
    return out


def attach_notes(blocks: list, lines: dict[int, list[str]]) -> int:
    """Add the note lines to their turn blocks (after ``mark_blocks``, which resets notes); how many turns."""
    n = 0
    for b in blocks:
        extra = lines.get(b.turn_no) if b.kind == "turn" else None
        if extra:
            b.notes = [*b.notes, *extra]
            b.note_rows = None
            n += 1
    return n


class TurnNotesLoaded(Message):
    """Every reviewer's notes on one turn, for the note editor."""

    def __init__(self, session_key: str, turn: int, episode: str | None, notes: list) -> None:
        super().__init__()
        self.session_key, self.turn, self.episode, self.notes = session_key, turn, episode, notes


def edit_turn_note(screen) -> None:
    """Load the notes on ``screen.current_turn`` (a SessionScreen); ``show_turn_note`` opens the editor."""
    store = screen.services.workspace
    if store is None:
        screen.notify("No reviewer workspace for this corpus", severity="warning")
        return
    turn, session_key = screen.current_turn, screen.session_key
    if turn is None or session_key is None:
        screen.notify("No transcript turn here to note", severity="warning")
        return
    episode = screen.detail.key if screen.detail is not None else None

    def job():
        return [n for n in store.notes() if n.kind == "turn" and n.target == session_key and n.turn_no == turn]

    screen.run_job("workspace", job, done=lambda notes: TurnNotesLoaded(session_key, turn, episode, notes),
                   job="turn notes")


def show_turn_note(screen, msg: TurnNotesLoaded) -> None:
    """The note editor on the loaded turn; saving is a job on the workspace lane."""
    store, turn, session_key = screen.services.workspace, msg.turn, msg.session_key
    mine = sorted((n for n in msg.notes if n.reviewer == store.reviewer), key=lambda n: n.updated_at)
    others = [(n.heading(), n.body) for n in msg.notes if n.reviewer != store.reviewer]

    def done(text: str | None) -> None:
        if text is None:
            return
        def saved(note) -> Message:
            screen.call_later(load_session_notes, screen)  # (after the toast) the note shows on its turn
            return Notice(f"Note on turn {turn} {'saved' if note else 'deleted'}", title="Workspace")

        screen.run_job("workspace", lambda: store.save_note(text, msg.episode, session_key=session_key, turn_no=turn),
                       done=saved, job="turn note", failed=lambda f: Notice(f.error, "error", "Workspace"))

    screen.app.push_screen(NoteScreen(f"Note on turn {turn} · {store.reviewer}", f"{session_key} · turn {turn}",
                                      mine[-1].body if mine else "", others), done)
