"""``misalign-tui search`` and ``misalign-tui detect-eval``."""

from __future__ import annotations

import json

from .cli import _Parser, _filter_args, _filters, _open
from .data.errors import CorpusError


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
    p = _Parser(prog="misalign-tui detect-eval", description="Recall and precision of the pushback detector: "
                "against the corpus' USER evidence turns, or (--labels) against per-turn labels of your own "
                "sessions, given as a corpus (.duckdb) or as transcript files / folders (parsed, not imported).")
    p.add_argument("corpus", nargs="+", help="corpus .duckdb, or transcript files / folders / globs with --labels")
    p.add_argument("--labels", default=None, metavar="FILE", help="TSV: file, ordinal, label, anchor, reason")
    p.add_argument("--root", default=None, metavar="DIR", help="folder the labels' paths are relative to "
                   "(default: the one folder given; else paths are matched by suffix)")
    p.add_argument("--split", choices=("all", "tuning", "held-back"), default="all",
                   help="the dev set's split by repository (files named <owner>__<name>__…)")
    p.add_argument("--show", type=int, default=40, help="misses and false alarms listed (default 40)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if a.labels is None:
        if len(a.corpus) != 1:
            raise CorpusError("detect-eval: one corpus (or --labels FILE with transcript files)")
        from .data.detect_eval import evaluate, render

        r = evaluate(_open(a.corpus[0]))
        print(json.dumps(r, indent=1) if a.json else render(r))
        return 0
    from .data.pushback import evaluate as ev
    from .data.pushback.labels import load_labels
    from .text_safety import terminal_safe

    labels = load_labels(a.labels)
    if len(a.corpus) == 1 and a.corpus[0].endswith(".duckdb"):
        corpus = _open(a.corpus[0])
        try:
            turns = ev.turns_from_corpus(corpus, a.root)
        finally:
            corpus.close()
    else:
        turns = ev.turns_from_files(a.corpus, a.root)
    r = ev.report(ev.evaluate(labels, turns, a.split))
    print(json.dumps(r, indent=1, ensure_ascii=True) if a.json else terminal_safe(ev.render(r, max(0, a.show))))
    return 0
