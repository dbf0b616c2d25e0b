"""What the Session screen loads in its worker: the session's episodes, evidence, turns and signals.

Nothing here imports textual. ``load_session_data`` runs four queries (five for a session without
episodes): ``session_episode_rows``, ``session_episode_evidence``, ``session_turns`` and
``session_signals``; the detected signals and the search matches are attached to the turn blocks here,
off the UI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from misalign_tui.data.errors import CorpusError
from misalign_tui.data.reading.corpus import Corpus, EpisodeDetail, Evidence
from misalign_tui.data.text import one_line, visible

from .hits import SearchContext, mark_hits
from .model import Block, turn_blocks
from .signals import attach_signals

_ROW_COLS = ("session_title", "n_turns", "s_no", "user_turns", "agent_turns", "model")


@dataclass
class SessionData:
    """What one load produced (built in the worker thread)."""

    key: str | None  # the episode to show (None: the session has no episode)
    details: dict[str, EpisodeDetail]  # every episode of the session, by key, in misalignment-id order
    session: dict
    turns: list[Block] = field(default_factory=list)
    seconds: float = 0.0
    signals: list[tuple] = field(default_factory=list)  # (turn_no, kind, cue, score) of session_signals.sql

    @property
    def detail(self) -> EpisodeDetail | None:
        return self.details.get(self.key) if self.key else None


def whole_number(v) -> int | None:
    """``v`` as an int (numbers and digit strings), else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def session_evidence(details: dict[str, EpisodeDetail]) -> list[tuple]:
    """(episode_key, episode_no, turn_no, role, quote) of the VALID episodes (as Corpus.session_evidence)."""
    return [(d.key, d.row["episode_no"], ev.turn_no, ev.role, ev.quote)
            for d in details.values() if d.row.get("validation") == "VALID" for ev in d.evidence]


def load_session_data(corpus: Corpus, key: str, search: SearchContext | None = None) -> SessionData:
    """Everything the screen shows for an episode key (or a session key: its first VALID episode, else its
    first episode, else none): every episode of the session with its evidence, the turns and their
    detected signals; with ``search``, the matches of the query marked in its hit turns."""
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
            raise CorpusError(f"no such episode or session: {one_line(visible(key))}")
        chosen = None
    session["n_turns"] = whole_number(session.get("n_turns"))  # a corpus built elsewhere may hold anything
    sno = session["session_no"]
    turns: list[Block] = []
    signals: list[tuple] = []
    if session.get("n_turns") is not None:  # raw rows (no Turn objects: fewer objects for the collector)
        turns = turn_blocks(corpus.run("session_turns", {"session_no": sno, "start": 1, "stop": 2**31 - 1}))
        signals = corpus.run("session_signals", {"session_no": sno})
        attach_signals(turns, signals)
        if search is not None:
            mark_hits(turns, search, corpus.cursor())
    return SessionData(chosen, details, session, turns, time.perf_counter() - t0, signals)
