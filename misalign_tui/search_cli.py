"""``misalign-tui search`` and ``misalign-tui detect-eval``."""

from __future__ import annotations

import json

from .cli import _Parser, _filter_args, _filters, _open


def _clean_snippet(s: str, plain: bool) -> str:
    from .data.search import HL_END, HL_START
    from .text_safety import terminal_safe

    s = terminal_safe(s)
    return s.replace(HL_START, "[" if plain else "\x1b[1;4m").replace(HL_END, "]" if plain else "\x1b[0m")


def search_main(argv: list[str]) -> int:
    import sys

    from .data.search import Searcher

    p = _Parser(prog="misalign-tui search", description="Full-text search over every turn, name, description "
                "and evidence quote (BM25-ranked; --mode substring/regex scans instead).")
    p.add_argument("corpus")
    p.add_argument("query")
    _filter_args(p)
    p.add_argument("--human-only", action="store_true", help="developer (USER) turns only")
    p.add_argument("--mode", choices=("ranked", "substring", "regex"), default="ranked")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    corpus = _open(a.corpus)
    hits = Searcher(corpus).search(a.query, _filters(corpus, a), human_only=a.human_only, mode=a.mode,
                                   limit=a.limit)
    if a.json:
        from .data.export import _json_line

        print("[" + ",\n".join(_json_line(h.__dict__) for h in hits) + "]")
        return 0
    plain = not sys.stdout.isatty()
    for h in hits:
        where = f"{h.episode_key} (episode text)" if h.turn_no is None else f"{h.session_key} turn {h.turn_no} {h.role}"
        print(f"{where}\n    {_clean_snippet(h.snippet, plain)}")
    print(f"{len(hits)} hits", file=sys.stderr)
    return 0


def detect_eval_main(argv: list[str]) -> int:
    from .data.detect_eval import evaluate, render

    p = _Parser(prog="misalign-tui detect-eval", description="Recall and precision of the pushback detector "
                "against the corpus' USER evidence turns.")
    p.add_argument("corpus")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    r = evaluate(_open(a.corpus))
    print(json.dumps(r, indent=1) if a.json else render(r))
    return 0
