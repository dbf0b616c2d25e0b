"""A full-text search carried into the Session screen: which turns are hits, and where the matches are.

``SearchContext`` is what the search screen hands over when it opens a hit; ``mark_hits`` marks the hit
turns of the loaded transcript and the query's matches inside them (spans into the display text, the way
evidence quotes are located). Nothing here imports textual.

Ranked queries are matched the way the FTS5 index tokenises them (``unicode61``): every word or
"quoted phrase" of the query as whole words, case-insensitively, ``word*`` as a prefix; OR / AND / NOT
are operators, and the term after NOT is not highlighted. Substring queries match literally, both ignoring
case (as ``Searcher`` does). Regex queries are located by the engine that searched, DuckDB's RE2
(``data.reading.regex_spans``): never Python's ``re``, which backtracks exponentially on ``(a+)+$``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_OPERATORS = ("OR", "AND", "NOT")
MAX_SPANS = 200  # per turn: a match on every word of a 20,000-line log would not help anyone


@dataclass(frozen=True)
class SearchContext:
    """A search opened into a session: ``n`` / ``N`` step through ``turns`` (this session's hit turns)."""

    query: str
    mode: str = "ranked"  # ranked / substring / regex (misalign_tui.data.reading.search.MODES)
    human_only: bool = False
    turns: tuple[int, ...] = ()  # hit turns of this session, ascending
    turn: int | None = None  # the turn to open on (None: the episode's first pushback)

    def describe(self) -> str:
        bits = [self.mode] + (["human turns only"] if self.human_only else [])
        return f"“{self.query}” ({', '.join(bits)})"


def _term_pattern(term: str, star: bool) -> str | None:
    words = re.findall(r"\w+", term)
    if not words:
        return None
    body = r"\W+".join(re.escape(w) for w in words)
    return r"\b" + body + (r"\w*" if star else r"\b")


def match_pattern(query: str, mode: str) -> re.Pattern | None:
    """The pattern of the query's matches in a turn's text; None when nothing can be highlighted."""
    if not query.strip():
        return None
    if mode == "substring":
        return re.compile(re.escape(query), re.IGNORECASE)
    if mode == "regex":
        return None  # RE2 locates these (mark_hits with a cursor); Python's re could backtrack for minutes
    parts: list[str] = []
    skip = False
    for m in _TOKEN.finditer(query):
        phrase, word = m.group(1), m.group(2)
        if word in _OPERATORS:
            skip = word == "NOT"
            continue
        if skip:
            skip = False
            continue
        term = phrase if phrase is not None else word
        star = phrase is None and term.endswith("*")
        pat = _term_pattern(term.rstrip("*") if star else term, star)
        if pat:
            parts.append(pat)
    if not parts:
        return None
    parts.sort(key=len, reverse=True)  # the longest alternative first: phrases win over their words
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def match_spans(text: str, pattern: re.Pattern | None) -> tuple[tuple[int, int], ...]:
    """Non-empty, disjoint match spans of ``pattern`` in ``text`` (at most MAX_SPANS)."""
    if pattern is None:
        return ()
    out = []
    for m in pattern.finditer(text):
        if m.end() > m.start():
            out.append(m.span())
            if len(out) >= MAX_SPANS:
                break
    return tuple(out)


def mark_hits(blocks: list[Block], search: SearchContext, cursor=None) -> int:
    """Mark the hit turns of ``search`` among ``blocks`` and the matches in their text; the number marked.
    ``cursor``: a DuckDB cursor for regex queries (RE2 finds their spans; without one they are not
    highlighted)."""
    wanted = set(search.turns)
    if search.turn is not None:
        wanted.add(search.turn)
    if not wanted:
        return 0
    pattern = match_pattern(search.query, search.mode)
    hit = [b for b in blocks if b.kind == "turn" and b.turn_no in wanted]
    spans = [match_spans(b.text, pattern) for b in hit]
    if search.mode == "regex" and cursor is not None and search.query.strip():
        from misalign_tui.data.reading.regex_spans import regex_spans

        try:
            spans = regex_spans(cursor, [b.text for b in hit], search.query, MAX_SPANS)
        except Exception:  # noqa: BLE001 — duckdb.Error: a pattern RE2 rejects (the search said so already)
            pass
    for b, s in zip(hit, spans):
        b.search_hit = True
        b.hits = s
    return len(hit)
