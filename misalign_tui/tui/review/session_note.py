"""``a`` on the session screen: a note on the current turn of the transcript (workspace of the app)."""

from __future__ import annotations

from misalign_tui.data.errors import CorpusError

from .modals import NoteScreen


def edit_turn_note(screen) -> None:
    """Open the note editor for ``screen.current_turn`` (a SessionScreen); saves in a thread."""
    store = getattr(screen.app, "workspace", None)
    if store is None:
        screen.notify("No reviewer workspace for this corpus", severity="warning")
        return
    turn, session_key = screen.current_turn, screen.session_key
    if turn is None or session_key is None:
        screen.notify("No transcript turn here to note", severity="warning")
        return
    episode = screen.detail.key if screen.detail is not None else None

    def fail(e: Exception) -> None:
        screen.app.call_from_thread(screen.notify, str(e), title="Workspace", severity="error", markup=False)

    def load() -> None:
        try:
            notes = [n for n in store.notes() if n.kind == "turn" and n.target == session_key and n.turn_no == turn]
        except CorpusError as e:
            fail(e)
            return
        screen.app.call_from_thread(show, notes)

    def show(notes) -> None:
        mine = sorted((n for n in notes if n.reviewer == store.reviewer), key=lambda n: n.updated_at)
        others = [(n.heading(), n.body) for n in notes if n.reviewer != store.reviewer]
        screen.app.push_screen(NoteScreen(f"Note on turn {turn} · {store.reviewer}", f"{session_key} · turn {turn}",
                                          mine[-1].body if mine else "", others), done)

    def done(text: str | None) -> None:
        if text is None:
            return

        def save() -> None:
            try:
                note = store.save_note(text, episode, session_key=session_key, turn_no=turn)
            except CorpusError as e:
                fail(e)
                return
            screen.app.call_from_thread(screen.notify, f"Note on turn {turn} {'saved' if note else 'deleted'}",
                                        title="Workspace")

        screen.run_worker(save, thread=True, group="turn-note-save", exit_on_error=False)

    screen.run_worker(load, thread=True, group="turn-note-load", exit_on_error=False)
