"""How the Transcript view draws one row of a block: header, body text rows, fold line and notes.

A mixin of ``TranscriptView`` (it owns the layout: ``_heights``, ``_rows``, ``_style``, ``current``).
Rows are built from plain (already cleaned) display text as segments, never parsed as markup.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from .model import EVIDENCE, MARK_LABEL, OTHER_GLYPH, PUSHBACK, Block
from .signals import SIGNAL_STYLE, signal_text

COLLAPSE_AT = 40  # turns longer than this many rows are collapsed
HEAD_ROWS = 16
TAIL_ROWS = 8

_GUTTER_GLYPH = {PUSHBACK: "┃ ", EVIDENCE: "│ ", "other": "┊ ", None: "  "}


class BlockRenderer:
    """Row rendering of ``TranscriptView`` (see view.py for the block layout)."""

    def _gutter(self, b: Block, base: Style) -> Segment:
        if b.mark:
            return Segment(_GUTTER_GLYPH[b.mark], self._style(b.mark))
        if b.others:
            return Segment(_GUTTER_GLYPH["other"], self._style("other"))
        return Segment("  ", base)

    def _block_line(self, idx: int, off: int, width: int, base: Style) -> Strip:
        b = self.blocks[idx]
        if off == 0:
            return self._header(idx, b, width, base)
        height = self._heights[idx]
        if off == height - 1:
            return Strip.blank(width, base)
        i = off - 1
        rows = self._rows(b)
        n_rows = len(rows) // 2
        collapsed = b.long and not b.expanded
        body = HEAD_ROWS + 1 + TAIL_ROWS if collapsed else n_rows
        gutter = self._gutter(b, base)
        text_style = self._style("info") if b.kind == "info" else base
        if i < body:
            if not collapsed:
                k = i
            elif i < HEAD_ROWS:
                k = i
            elif i == HEAD_ROWS:
                hidden = max(0, n_rows - HEAD_ROWS - TAIL_ROWS)
                msg = f"… {hidden:,} lines hidden — e to expand"
                return Strip([gutter, Segment(msg, self._style("fold"))]).crop_extend(0, width, base)
            else:
                k = max(HEAD_ROWS, n_rows - TAIL_ROWS) + (i - HEAD_ROWS - 1)
            if k >= n_rows:
                return Strip([gutter]).crop_extend(0, width, base)
            return self._text_row(gutter, b.text, rows[2 * k], rows[2 * k + 1], b.spans, text_style, width, base,
                                  b.hits)
        note_i, s, e = b.note_rows[i - body]
        note = b.notes[note_i]
        style = self._style("wsnote" if note.startswith("✎") else "note")  # a reviewer's note / an evidence warning
        return Strip([gutter, Segment(note[s:e], style)]).crop_extend(0, width, base)

    def _text_row(self, gutter: Segment, text: str, s: int, e: int, spans: list[tuple[int, int]],
                  style: Style, width: int, base: Style, hits=()) -> Strip:
        segs = [gutter]
        pos = s
        if hits:
            return self._layered_row(segs, text, s, e, spans, hits, style, width, base)
        if spans:
            hl = self._style("quote")
            for a, z in spans:
                if z <= s or a >= e:
                    continue
                a, z = max(a, s), min(z, e)
                if a > pos:
                    segs.append(Segment(text[pos:a], style))
                segs.append(Segment(text[a:z], hl))
                pos = z
        if pos < e:
            segs.append(Segment(text[pos:e], style))
        return Strip(segs).crop_extend(0, width, base)

    def _layered_row(self, segs: list[Segment], text: str, s: int, e: int, spans, hits, style: Style,
                     width: int, base: Style) -> Strip:
        """A row with quote spans and search matches (either may overlap the other)."""
        layers = [(self._style("quote"), spans), (self._style("match"), hits)]
        cuts = {s, e}
        for _, sp in layers:
            for a, z in sp:
                if a < e and z > s:
                    cuts.update((max(a, s), min(z, e)))
        points = sorted(cuts)
        for a, z in zip(points, points[1:]):
            st = style
            for layer_style, sp in layers:
                if any(x <= a and z <= y for x, y in sp):
                    st = st + layer_style
            if segs and len(segs) > 1 and segs[-1].style == st:
                segs[-1] = Segment(segs[-1].text + text[a:z], st)
            else:
                segs.append(Segment(text[a:z], st))
        return Strip(segs).crop_extend(0, width, base)

    def _header(self, idx: int, b: Block, width: int, base: Style) -> Strip:
        head = self._style("header")
        cur = idx == self.current
        segs = [Segment("›" if cur else " ", self._style("cursor")), Segment(" ", head)]
        if b.mark:
            segs += [Segment(MARK_LABEL[b.mark], self._style(b.mark)), Segment("  ", head)]
        if b.kind == "turn":
            segs.append(Segment(f"TURN {b.turn_no} | {b.role}", self._style("user" if b.role == "USER" else "agent")))
            if b.ts is not None:
                segs.append(Segment(f" · {b.ts:%Y-%m-%d %H:%M:%S}", self._style("ts")))
        else:
            segs.append(Segment(b.title, self._style("info") if b.kind == "info" else head))
        if b.search_hit:
            segs.append(Segment("  ⌕ search hit", self._style("hit")))
        if b.signals:
            segs += self._signal_segments(b, width - Strip(segs).cell_length, head)
        if b.others:
            segs.append(Segment(f"  {OTHER_GLYPH} also " + ", ".join(b.others), self._style("other")))
        strip = Strip(segs)
        rest = width - strip.cell_length
        if rest > 1:
            strip = Strip(segs + [Segment(" " + "─" * (rest - 1), self._style("rule"))])
        return strip.crop_extend(0, width, base)

    def _signal_segments(self, b: Block, room: int, head: Style) -> list[Segment]:
        """``⚑ candidate pushback: cue`` per signal; cues shortened (with …) to leave the rest of the header
        (other episodes, a bit of rule) in view."""
        texts = [signal_text(kind, cue) for kind, cue in b.signals]
        if b.others:
            room -= 2 + len(OTHER_GLYPH) + 6 + cell_len(", ".join(b.others))
        room -= 4  # a few cells of rule
        need = sum(2 + cell_len(t) for t in texts)
        if need > room:
            # shorten the longest texts first, never below "⚑ candidate pushback"
            heads = [signal_text(kind, "") for kind, _ in b.signals]
            budget = max(0, room - sum(2 + cell_len(h) for h in heads))
            share = budget // max(1, len(texts))
            out = []
            for t, h in zip(texts, heads):
                extra = cell_len(t) - cell_len(h)
                if extra <= share:
                    out.append(t)
                elif share >= 4:
                    out.append(t[: len(h) + share - 1] + "…")
                else:
                    out.append(h)
            texts = out
        segs = []
        for (kind, _), t in zip(b.signals, texts):
            segs += [Segment("  ", head), Segment(t, self._style(SIGNAL_STYLE.get(kind, "signal-loop")))]
        return segs
