"""``misalign-tui search``: the full-text search of the explorer's ``ctrl+f`` screen, same hits."""

from __future__ import annotations

import sys

from ..data.text import inline, json_line
from .common import add_filter_args, open_corpus, parse_filters, say, tell


def search_arguments(p) -> None:
    p.description = ("Full-text search over every turn, name, description and evidence quote (BM25-ranked; "
                     "--mode substring/regex scans instead).")
    p.add_argument("corpus")
    p.add_argument("query")
    add_filter_args(p)
    p.add_argument("--human-only", action="store_true", help="developer (USER) turns only")
    p.add_argument("--mode", choices=("ranked", "substring", "regex"), default="ranked")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")


def _clean_snippet(s: str, plain: bool) -> str:
    from ..data.reading.search import HL_END, HL_START

    s = inline(s)  # one line, inert; the only escape codes are the highlight's own
    return s.replace(HL_START, "[" if plain else "\x1b[1;4m").replace(HL_END, "]" if plain else "\x1b[0m")


def search(args) -> int:
    from ..data.building.search_index import ensure_index
    from ..data.reading.search import Searcher

    corpus = open_corpus(args.corpus)
    searcher = Searcher(corpus, ensure_index(corpus))
    hits = searcher.search(args.query, parse_filters(corpus, args), human_only=args.human_only, mode=args.mode,
                           limit=args.limit)
    if args.json:
        say("[" + ",\n".join(json_line(h.__dict__) for h in hits) + "]")
        return 0
    plain = not sys.stdout.isatty()
    for h in hits:  # keys and roles come from the corpus: inline() keeps each on its line, inert
        where = (f"{inline(h.episode_key)} (episode text)" if h.turn_no is None
                 else f"{inline(h.session_key)} turn {h.turn_no} {inline(h.role)}")
        say(f"{where}\n    {_clean_snippet(h.snippet, plain)}", colours=not plain)
    tell(f"{len(hits)} hits")
    return 0
