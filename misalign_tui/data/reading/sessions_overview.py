"""Every session of a corpus with its signals, including sessions with no candidate episode.

Browsing starts from episodes; a corpus of your own transcripts has episodes only where pushback was
detected. ``sessions_overview`` lists all sessions (and sub-agent threads) with their signal and candidate
counts, so a sessions view can reach every imported session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SessionSummary:
    key: str
    source: str
    repo: str
    agent: str | None
    ts: datetime | None
    title: str | None
    user_turns: int | None
    n_turns: int | None
    parent: str | None  # the main session's key for a sub-agent thread
    pushback: int  # turns flagged as pushback
    tool_failures: int
    loops: int
    candidates: int  # CANDIDATE episodes
    episodes: int  # VALID (annotated) episodes


def sessions_overview(corpus, f=None) -> list[SessionSummary]:
    """All sessions, oldest first (undated last); with a ``Filters`` ``f``, those its session-level axes select
    (episode-level axes and the text search do not restrict sessions)."""
    if f is None:
        return [SessionSummary(*row) for row in corpus.run("sessions_overview")]
    return [SessionSummary(*row) for row in corpus.run("sessions_overview_filtered", {"f": f.params()})]
