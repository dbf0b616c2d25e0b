"""Where a user's regular expression matches, found by the engine that searched: DuckDB's RE2.

A regex search is run by DuckDB (``regexp_matches``, RE2: linear time, no backtracking). Highlighting the
matches with Python's ``re`` instead would both disagree with it (``\\pL`` is RE2, lookarounds are Python) and
let a pattern like ``(a+)+$`` backtrack exponentially on the text it just matched — the CLI ran for
minutes and the explorer froze. So the spans come from RE2 too: ``regexp_extract_all`` gives the matches,
``string_split_regex`` the text between them, and interleaved they rebuild the text exactly, which gives
the offsets. Empty matches are never highlighted; if the pieces do not rebuild the text (a pattern that
also matches the empty string between characters), the text is left unhighlighted rather than guessed at.

Case is ignored, as in the search (option ``'i'``). Nothing here imports textual or rich.
"""

from __future__ import annotations

SQL = ("SELECT i, regexp_extract_all(t, $p, 0, 'i'), string_split_regex(t, $p, 'i') "
       "FROM (SELECT unnest($texts) AS t, unnest(range(len($texts))) AS i) ORDER BY i")


def regex_spans(cursor, texts: list[str], pattern: str, limit: int = 200) -> list[tuple[tuple[int, int], ...]]:
    """For each of ``texts``, the non-empty match spans of ``pattern`` (RE2 via the DuckDB ``cursor``), at
    most ``limit`` each; () for a text it cannot place the matches in. Raises duckdb.Error on a bad pattern."""
    if not texts:
        return []
    rows = cursor.execute(SQL, {"p": pattern, "texts": [t or "" for t in texts]}).fetchall()
    return [_spans(texts[i] or "", matches or [], pieces or [], limit) for i, matches, pieces in rows]


def _spans(text: str, matches: list[str], pieces: list[str], limit: int) -> tuple[tuple[int, int], ...]:
    found = [m for m in matches if m]
    if len(pieces) != len(found) + 1:
        return ()
    out, at = [], 0
    for piece, m in zip(pieces, found):
        if text[at:at + len(piece)] != piece:
            return ()
        at += len(piece)
        if text[at:at + len(m)] != m:
            return ()
        if len(out) < limit:
            out.append((at, at + len(m)))
        at += len(m)
    if text[at:] != pieces[-1]:
        return ()
    return tuple(out)
