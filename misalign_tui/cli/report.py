"""Commands that report on a corpus: ``stats`` (the paper's tables), ``export`` (the selected episodes) and
``detect-eval`` (the pushback detector against the annotated evidence)."""

from __future__ import annotations

import json
import sys

from ..data.text import terminal_safe
from .common import add_filter_args, open_corpus, parse_filters


def stats_arguments(p) -> None:
    p.add_argument("corpus", nargs="?", help="corpus or study sources (default: the bundled sample)")
    add_filter_args(p)
    p.add_argument("--json", action="store_true", help="one JSON object (percentages in percent, unrounded)")


def stats(args) -> int:
    from ..data.reading import stats as tables
    from .stats_text import render

    corpus = open_corpus(args.corpus)
    result = tables.compute(corpus, parse_filters(corpus, args))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(terminal_safe(render(result)))  # agent / licence names come from the corpus
    return 0


def export_arguments(p) -> None:
    p.add_argument("corpus", nargs="?", help="corpus or study sources (default: the bundled sample)")
    add_filter_args(p)
    p.add_argument("--format", choices=("csv", "jsonl", "md"), required=True)
    p.add_argument("--out", default=None, help="file to write (default: stdout)")


def export(args) -> int:
    from ..data.building.export import export_episodes

    corpus = open_corpus(args.corpus)
    n = export_episodes(corpus, parse_filters(corpus, args), args.format, args.out)
    if args.out and args.out != "-":
        print(f"wrote {n} episodes to {args.out}", file=sys.stderr)
    return 0


def detect_eval_arguments(p) -> None:
    p.description = "Recall and precision of the pushback detector against the corpus' USER evidence turns."
    p.add_argument("corpus")
    p.add_argument("--json", action="store_true")


def detect_eval(args) -> int:
    from ..data.reading.pushback_eval import evaluate, render

    r = evaluate(open_corpus(args.corpus))
    print(json.dumps(r, indent=1) if args.json else render(r))
    return 0
