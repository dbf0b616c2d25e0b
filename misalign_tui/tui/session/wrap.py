"""Fast word wrapping of plain (already cleaned) text into row offsets.

Rows are ``start, end`` offsets into the text, so styles (quote highlights) can be applied to each
row by offset without re-wrapping. Lines that fit take a fast path; longer lines wrap at word
boundaries, and words wider than the row are folded by cell width. Leading indentation is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

_WORD = re.compile(r"\s*\S+\s*")


def _fold(line: str, start: int, end: int, width: int) -> tuple[list[tuple[int, int]], int, int]:
    """Fold ``line[start:end]`` into rows of at most ``width`` cells: (full rows, rest start, rest cells)."""
    rows = []
    if line.isascii():
        p = start
        while end - p > width:
            rows.append((p, p + width))
            p += width
        return rows, p, end - p
    p = start
    cells = 0
    for i in range(start, end):
        w = get_character_cell_size(line[i])
        if cells + w > width and cells > 0:
            rows.append((p, i))
            p = i
            cells = 0
        cells += w
    return rows, p, cells


@lru_cache(maxsize=32)
def _ascii_rows(width: int) -> re.Pattern:
    # Up to ``width`` characters ending at a word boundary (plus the spaces after them), else a fold.
    return re.compile(r".{1,%d}(?:[^\S\n]+|$)|.{%d}" % (width, width))


def wrap_line(line: str, width: int) -> list[tuple[int, int]]:
    """Row offsets of one line (no newline inside) wrapped to ``width`` cells."""
    width = max(1, width)
    asc = line.isascii()
    if asc:
        return [m.span() for m in _ascii_rows(width).finditer(line)] or [(0, 0)]
    size = len if asc else cell_len
    out: list[tuple[int, int]] = []
    start = 0
    col = 0  # cells from the row start to the end of the last word (incl. its trailing space)
    for m in _WORD.finditer(line):
        ws, we = m.span()
        word = m.group()
        stripped = word.rstrip()
        wl = size(stripped)
        if col + wl <= width:
            col += size(word)
            continue
        if col > 0:
            out.append((start, ws))
            start = ws
            col = 0
        if wl > width:
            rows, start, col = _fold(line, ws, ws + len(stripped), width)
            out.extend(rows)
            col += size(word) - wl
        else:
            col = size(word)
    out.append((start, len(line)))
    return out


def wrap_offsets(text: str, width: int) -> tuple[int, ...]:
    """Rows of ``text`` wrapped to ``width`` cells, flat: ``(start0, end0, start1, end1, …)`` offsets.

    (One flat tuple of ints per text rather than a list of pairs: a long transcript has tens of
    thousands of rows, and the collector untracks a tuple of ints, so none of it adds to the cost of
    the full garbage collections that would otherwise stall the UI.)
    """
    width = max(1, width)
    rows: list[int] = []
    extend = rows.extend
    pos = 0
    for line in text.split("\n"):
        n = len(line)
        if n <= width and (line.isascii() or cell_len(line) <= width):
            extend((pos, pos + n))
        elif line.isascii() or cell_len(line) > width:
            for s, e in wrap_line(line, width):
                extend((pos + s, pos + e))
        else:
            extend((pos, pos + n))
        pos += n + 1
    return tuple(rows)


def fold_estimate(text: str, width: int) -> int:
    """A cheap row count (character folding, ASCII widths): close to, and usually at most, the wrapped count."""
    width = max(1, width)
    return sum((len(line) - 1) // width + 1 if line else 1 for line in text.split("\n"))
