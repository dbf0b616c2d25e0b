"""Fast search of many regular expressions in one text: run a pattern only when a literal it needs is there.

Python's regex engine tries every branch of a large case-insensitive alternation at every position of the
text (about 1 MB/s for the cue families). But almost every branch needs some literal words: ``\\byou
(deleted|removed)`` cannot match a text without "you ". ``required(pattern)`` reads the pattern's syntax
tree (``re._parser``) and returns a set of literals such that every match contains at least one of them.

``Matcher`` splits each pattern into its top-level alternatives and indexes their literals by the first
three or four letters of a word (a literal that starts a word: after a ``\\b`` or a non-word character) or
by one character (CJK, punctuation, anything else). For a text it runs only the alternatives whose literals
occur in it; the index is probed with the text's word prefixes and character set, both built at C speed.
A case-insensitive alternative written in lower case runs, without IGNORECASE, on the case-folded text
(the same positions: only texts whose folding keeps their length are gated), where sre can skip ahead by
the first characters instead of trying each branch everywhere; a leading ``\\b`` is checked at each hit.
The result per pattern is the span ``re.search`` of the whole pattern returns (the leftmost match; at one
position, the first alternative): ``tests/test_pushback_speed.py`` checks it on the dev set's turns and on
generated text. (Case folding and IGNORECASE agree on the scripts the cues are written in; a text whose
folding changes its length -- ß, dotted İ -- runs every alternative on the text itself.)
"""

from __future__ import annotations

import operator
import re

try:  # the standard library's own regex parser (3.11+: re._parser; before: sre_parse)
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

WB = "\x00"  # in a literal: a word starts here (a \b or \A before a word character)
_STARTS = {_C.AT_BOUNDARY, _C.AT_BEGINNING, _C.AT_BEGINNING_STRING}
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT} if hasattr(_C, "POSSESSIVE_REPEAT") else set())
EXACT_LIMIT = 64  # strings in one exactly-known set of texts (cross products of small alternations)
MAX_LITERALS = 400  # a necessary set larger than this is not worth testing
DIRECT_LIMIT = 120  # a matcher with at most this many literals tests each in the text instead of indexing
_WORDCH = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_ESCAPE = re.compile(r"\\.")
_FIRST3, _FIRST4 = operator.itemgetter(slice(None, 3)), operator.itemgetter(slice(None, 4))

Lit = tuple[str, bool]  # (text, case-insensitive: then case-folded and tested against the folded text)
_Exact = tuple[frozenset[str], bool]  # every text some nodes can match, and whether any part ignores case


def _weight(lit: Lit) -> float:
    """How selective a literal is (higher: rarer in text, so fewer patterns run for nothing): an uncommon word
    it starts scores best, then CJK characters, then common words; case-sensitive capitals count double."""
    s, ic = lit
    if not ic:
        return sum(0 if c == WB else 0.5 if c.isspace() else 2 if c.isupper() else 1 for c in s)
    return _key(s)[2]


def _better(a: frozenset[Lit] | None, b: frozenset[Lit] | None) -> frozenset[Lit] | None:
    if a is None or b is None:
        return a if b is None else b
    key = lambda s: (min(map(_weight, s)), -len(s))  # noqa: E731
    return a if key(a) >= key(b) else b


def _scope(icase: bool, av) -> bool:
    """Case-insensitivity inside a group (av = group, added flags, removed flags, body)."""
    if av[1] & _C.SRE_FLAG_IGNORECASE:
        return True
    return False if av[2] & _C.SRE_FLAG_IGNORECASE else icase


def _cross(a: _Exact | None, b: _Exact | None) -> _Exact | None:
    if a is None or b is None:
        return None
    out = frozenset(x + y for x in a[0] for y in b[0])
    return (out, a[1] or b[1]) if len(out) <= EXACT_LIMIT else None


_EMPTY: _Exact = (frozenset([""]), False)


def _exact(items, icase: bool) -> _Exact | None:
    out: _Exact | None = _EMPTY
    for op, av in items:
        out = _cross(out, _exact_node(op, av, icase))
        if out is None:
            return None
    return out


def _exact_node(op, av, icase: bool) -> _Exact | None:
    """Every text the node can match (zero-width nodes: "" or the word-start mark), or None when unbounded."""
    if op is _C.LITERAL:
        return frozenset([chr(av)]), icase
    if op is _C.AT and av in _STARTS:
        return frozenset([WB]), False
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op is _C.IN and len(av) <= 8 and all(o is _C.LITERAL for o, _ in av):
        return frozenset(chr(v) for _, v in av), icase
    if op is _C.SUBPATTERN:
        return _exact(av[-1], _scope(icase, av))
    if op is _C.BRANCH:
        parts = [_exact(b, icase) for b in av[1]]
        if any(p is None for p in parts):
            return None
        out = frozenset().union(*(p[0] for p in parts))
        return (out, any(p[1] for p in parts)) if len(out) <= EXACT_LIMIT else None
    if op in _REPEATS and av[1] <= 3:
        inner, acc, texts = _exact(av[2], icase), _EMPTY, set()
        for n in range(av[1] + 1):
            if acc is None:
                return None
            if n >= av[0]:
                texts |= acc[0]
            acc = _cross(acc, inner)
        return (frozenset(texts), inner[1]) if inner is not None and len(texts) <= EXACT_LIMIT else None
    return None


def _lits(exact: _Exact) -> frozenset[Lit] | None:
    texts, ic = exact
    texts = {t for t in texts}
    if not texts or any(not t.replace(WB, "") for t in texts):
        return None
    return frozenset((t.casefold() if ic else t, ic) for t in texts)


def _ends_word(exact: _Exact) -> bool:
    """Whether every text ends where a word may start (after a non-word character or a word-start mark)."""
    return all(t and not _WORDCH.match(t[-1]) for t in exact[0])


def _nonword_run(op, av) -> int | None:
    r"""For ``\W{m,n}`` / ``\s{m,n}``-like nodes: m (the text after it follows a non-word character when m >= 1);
    None for other nodes."""
    if op in _REPEATS and len(av[2]) == 1 and av[2][0][0] is _C.IN:
        items = av[2][0][1]
        if items and all(o is _C.CATEGORY and a in (_C.CATEGORY_NOT_WORD, _C.CATEGORY_SPACE) for o, a in items):
            return av[0]
    return None


def _seq(items, icase: bool, boundary: bool = False) -> frozenset[Lit] | None:
    r"""A necessary literal set of a sequence of nodes: the best of its parts, since a match contains every part.
    Adjacent nodes whose texts are known exactly (literals, small alternations, optional pieces) are combined,
    and a literal that must start a word (after ``\b``, ``\W``, a space) is marked so."""
    best: frozenset[Lit] | None = None
    cur: _Exact = (frozenset([WB]), False) if boundary else _EMPTY  # boundary: after a non-word character

    def flush(next_boundary: bool):
        nonlocal best, cur
        best = _better(best, _lits(cur))
        cur = (frozenset([WB]), False) if next_boundary else _EMPTY

    for op, av in items:
        e = _exact_node(op, av, icase)
        if e is not None:
            both = _cross(cur, e)
            if both is None:
                flush(_ends_word(cur))
                both = _cross(cur, e) or e
            cur = both
            continue
        if op in _REPEATS and av[0] >= 1:  # x{2,}: its first copies are adjacent to what precedes
            inner = _exact(av[2], icase)
            for _ in range(av[0] if inner is not None else 0):
                cur = _cross(cur, inner) or cur
        run = _nonword_run(op, av)
        was = _ends_word(cur) if cur[0] != _EMPTY[0] else boundary
        boundary = run is not None and (run >= 1 or was)
        flush(boundary)
        if op is _C.SUBPATTERN:
            best = _better(best, _seq(av[-1], _scope(icase, av), was))
        elif op is _C.BRANCH:
            sets = [_seq(b, icase, was) for b in av[1]]
            if all(s is not None for s in sets):
                union = frozenset().union(*sets)
                if len(union) <= MAX_LITERALS:
                    best = _better(best, union)
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _seq(av[2], icase))
    flush(False)
    return best


def required(pattern: str, flags: int = 0) -> frozenset[Lit] | None:
    """Literals one of which every match of ``pattern`` contains (case-insensitive ones case-folded; ``WB``
    marks where a word must start); None when no such set was found (the pattern then always runs)."""
    try:
        return _seq(_P.parse(pattern, flags), bool(flags & re.IGNORECASE))
    except Exception:  # an unexpected node type
        return None


def split_top(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (split at ``|`` outside groups and character classes)."""
    out, depth, cls, esc, start, cls_at = [], 0, False, False, 0, 0
    for i, ch in enumerate(pattern):
        if esc:
            esc = False
        elif ch == "\\":
            esc = True
        elif cls:
            cls = ch != "]" or i == cls_at + 1 or (i == cls_at + 2 and pattern[cls_at + 1] == "^")
        elif ch == "[":
            cls, cls_at = True, i
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


_RARE = "etaoinsrhldcumfpgwybvkxjqz"  # Latin letters, most to least frequent in English text
_COMMON = frozenset("""the there their then than this that these those what where when which who how why with
have has had you your not and for are was were does did should could would can will just also from into
make made like some more any all but about get got see show give take use need want run add look know
think say tell try work find keep put set""".split())  # English words too frequent to index a literal by


def _key(lit: str) -> tuple[str, str, float]:
    """Where the index files a literal, and how selective that is: ("word", k, score) when the literal starts a
    word -- k is the word's first four letters, or three when it has only three (or is cut after three), or the
    whole word when it is shorter and ends inside the literal; of several words the least common, longest one
    -- else ("char", its rarest character, score)."""
    best: tuple[float, str] | None = None
    for i in range(1, len(lit)):
        if _WORDCH.match(lit[i]) and not _WORDCH.match(lit[i - 1]):  # WB is not a word character
            run = _WORDS.match(lit, i).group(0)
            if any(ord(x) >= 0x2E80 for x in run[:3]) or (len(run) < 3 and i + len(run) == len(lit)):
                continue
            score = min(len(run), 8) + (1 if run in _COMMON else 6)
            if best is None or score > best[0]:
                best = (score, run[:4] if len(run) >= 4 else run)
    if best is not None:
        return "word", best[1], best[0]
    plain = lit.replace(WB, "")
    c = max(plain, key=lambda c: (ord(c) >= 0x2E80, not c.isalnum() and not c.isspace(), _RARE.find(c), not c.isspace()))
    cjk = sum(ord(x) >= 0x2E80 for x in plain)
    return "char", c, min(3 * cjk, 9) if cjk else 2 if not c.isalnum() else 1


class _Alt:
    """One alternative: the compiled pattern, and for a lower-case case-insensitive one its case-sensitive
    twin for the case-folded text (sre then skips positions by the first characters instead of trying every
    branch everywhere: about 5x faster), without a leading ``\\b`` too (checked at each hit)."""

    __slots__ = ("k", "pattern", "folded", "lead")

    def __init__(self, k: int, source: str, flags: int):
        self.k, self.pattern = k, re.compile(source, flags)
        self.folded = self.lead = None
        if flags & re.IGNORECASE and all(c == c.casefold() for c in _ESCAPE.sub("", source)):
            self.folded = re.compile(source, flags & ~re.IGNORECASE)
            if source.startswith("\\b"):
                self.lead = re.compile(source[2:], flags & ~re.IGNORECASE)

    def search(self, text: str, folded: str | None) -> tuple[int, int] | None:
        if folded is None or self.folded is None:
            m = self.pattern.search(text)
            return m.span() if m else None
        if self.lead is None:
            m = self.folded.search(folded)
            return m.span() if m else None
        pos = 0
        while (m := self.lead.search(folded, pos)) is not None:
            full = self.folded.match(folded, m.start())  # the \b at that position
            if full is not None:
                return full.span()
            pos = m.start() + 1
        return None


class Matcher:
    """Several patterns searched in one text, running only the alternatives whose literals the text holds.

    ``Matcher([(pattern, flags, before, after), ...]).search(text)`` -> one (start, end) span or None per
    pattern: the span of ``re.compile(before + pattern + after, flags).search(text)`` (``before`` / ``after``
    wrap each alternative, e.g. ``r"\\A(?:"`` and ``")"`` to anchor every alternative at the start).
    Case-insensitive patterns written in lower case run on the case-folded text.
    """

    def __init__(self, specs):
        self.n = len(specs)
        self.alts: list[_Alt] = []  # in order: pattern by pattern, alternative by alternative
        self.always: list[int] = []
        self.words: dict[str, list[tuple[str, int]]] = {}  # word prefix -> (literal, alternative)
        self.chars: dict[str, list[tuple[str, int]]] = {}
        self.exact: list[tuple[str, int]] = []  # case-sensitive literals
        for k, (pattern, flags, before, after) in enumerate(specs):
            re.compile(before + pattern + after, flags)  # a syntax error names the whole pattern
            for alt in split_top(pattern):
                a = len(self.alts)
                self.alts.append(_Alt(k, before + alt + after, flags))
                lits = required(before + alt + after, flags)
                if lits is None:
                    self.always.append(a)
                    continue
                for s, ic in lits:
                    if not ic:
                        self.exact.append((s.replace(WB, ""), a))
                        continue
                    kind, key, _score = _key(s)
                    (self.words if kind == "word" else self.chars).setdefault(key, []).append((s.replace(WB, ""), a))
        self._word_keys = frozenset(self.words)
        self._char_keys = frozenset(self.chars)
        # few literals (a handful of patterns): testing each one directly beats tokenising the text
        flat = sorted({(lit, a) for table in (self.words, self.chars) for b in table.values() for lit, a in b})
        self._direct = flat if len(flat) <= DIRECT_LIMIT else None
        # case-sensitive literals (shouting in capitals) behind one scan for any of them: sre skips along the
        # text by their first characters, which lower-case prose rarely holds
        self._any_exact = re.compile("|".join(sorted({re.escape(lit) for lit, _ in self.exact}, key=len,
                                                     reverse=True))) if self.exact else None

    def candidates(self, text: str, folded: str | None) -> set[int]:
        """The alternatives that may match ``text`` (``folded``: its case folding, None when that changed
        its length: then every alternative)."""
        if folded is None:
            return set(range(len(self.alts)))
        run = set(self.always)
        if self._direct is not None:
            run.update(a for lit, a in self._direct if lit in folded)
            run.update(a for lit, a in self.exact if lit in text)
            return run
        toks = _WORDS.findall(folded)
        prefixes = set(map(_FIRST3, toks)).union(map(_FIRST4, toks))  # first 3 and 4 letters of each word
        for table, keys in ((self.words, self._word_keys.intersection(prefixes)),
                            (self.chars, self._char_keys.intersection(folded))):
            for key in keys:
                for lit, a in table[key]:
                    if a not in run and lit in folded:
                        run.add(a)
        if self._any_exact is not None and self._any_exact.search(text) is not None:
            run.update(a for lit, a in self.exact if lit in text)
        return run

    def search(self, text: str) -> list[tuple[int, int] | None]:
        folded = fold(text)
        best: list = [None] * self.n
        for a in sorted(self.candidates(text, folded)):
            alt = self.alts[a]
            span = alt.search(text, folded)
            if span is not None and (best[alt.k] is None or span[0] < best[alt.k][0]):
                best[alt.k] = span
        return best

    def found(self, text: str) -> bool:
        """Whether any of the patterns matches (stops at the first match)."""
        folded = fold(text)
        return any(self.alts[a].search(text, folded) is not None for a in sorted(self.candidates(text, folded)))


def fold(text: str) -> str | None:
    """The case-folded text, or None when folding changes its length (ß, dotted İ, ligatures): positions in the
    folded text are then no longer those of the text, and the matcher runs every pattern on the text itself."""
    f = text.casefold()
    return f if len(f) == len(text) else None
