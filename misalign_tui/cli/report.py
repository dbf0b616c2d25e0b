"""Commands that report on a corpus: ``stats`` (the paper's tables), ``export`` (the selected episodes) and
``detect-eval`` (the pushback detector against the annotated evidence)."""

from __future__ import annotations

import json

from ..data.errors import CorpusError
from .common import (add_filter_args, add_out_args, corpus_inputs, open_corpus, output_target, parse_filters,
                     resolve_corpus, say, tell)


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
        say(json.dumps(result, indent=2, default=str))
    else:
        say(render(result))  # agent / licence names come from the corpus: say() makes them inert
    return 0


def export_arguments(p) -> None:
    p.add_argument("corpus", nargs="?", help="corpus or study sources (default: the bundled sample)")
    add_filter_args(p)
    p.add_argument("--format", choices=("csv", "jsonl", "md"), required=True)
    add_out_args(p, "file to write (default: stdout)")


def export(args) -> int:
    from ..data.building.export import records, write
    from ..data.outputs import FILE, opened
    from ..data.reading.corpus import Corpus

    corpus = Corpus.open(resolve_corpus(args.corpus))
    try:
        target = output_target(args.out, force=args.force, inputs=corpus_inputs(args.corpus, corpus.path))
        f = parse_filters(corpus, args)
        recs = records(corpus, f)
    finally:
        corpus.close()
    with opened(target, newline="" if args.format == "csv" else None) as fh:
        write(recs, args.format, fh, title=f.describe(), terminal=target.kind != FILE)
    if target.kind == FILE:
        tell(f"wrote {len(recs)} episodes to {target.path}")
    return 0


def detect_eval_arguments(p) -> None:
    p.description = ("Recall and precision of the pushback detector: against the corpus' USER evidence turns, or "
                     "(--labels) against per-turn labels of your own sessions, given as a corpus (.duckdb) or as "
                     "transcript files / folders (parsed, not imported).")
    p.add_argument("corpus", nargs="+", help="corpus .duckdb, or transcript files / folders / globs with --labels")
    p.add_argument("--labels", default=None, metavar="FILE", help="TSV: file, ordinal, label, anchor, reason")
    p.add_argument("--root", default=None, metavar="DIR", help="folder the labels' paths are relative to "
                   "(default: the one folder given; else paths are matched by suffix)")
    p.add_argument("--split", choices=("all", "tuning", "held-back"), default="all",
                   help="the dev set's split by repository (files named <owner>__<name>__…)")
    p.add_argument("--show", type=int, default=40, help="misses and false alarms listed (default 40)")
    p.add_argument("--json", action="store_true")


def detect_eval(args) -> int:
    if args.labels is None:
        if len(args.corpus) != 1:
            raise CorpusError("detect-eval: one corpus (or --labels FILE with transcript files)")
        from ..data.reading.pushback_eval import evaluate, render

        r = evaluate(open_corpus(args.corpus[0]))
        say(json.dumps(r, indent=1) if args.json else render(r))
        return 0
    from ..data.building.pushback import evaluate as ev
    from ..data.building.pushback.labels import load_labels

    labels = load_labels(args.labels)
    if len(args.corpus) == 1 and args.corpus[0].endswith(".duckdb"):
        corpus = open_corpus(args.corpus[0])
        try:
            turns = ev.turns_from_corpus(corpus, args.root)
        finally:
            corpus.close()
    else:
        turns = ev.turns_from_files(args.corpus, args.root)
    r = ev.report(ev.evaluate(labels, turns, args.split))
    say(json.dumps(r, indent=1, ensure_ascii=True) if args.json else ev.render(r, max(0, args.show)))
    return 0
