"""``misalign-tui chart`` and ``misalign-tui compare``: the charts screen's plots and tables, headless.

``chart CORPUS KIND`` prints a plotext plot (KIND ∈ monthly, monthly-sessions, symptom-share,
cause-share, per-user-turn, distribution:<axis>) or a Markdown table (sxc, cooccurrence[:metric],
severity-locus, symptom-resolver, lift[:metric], persistence). ``--plain`` / ``--out`` / a non-terminal
stdout / NO_COLOR give text without escape codes. ``compare CORPUS --a AXIS=V … [--b AXIS=V …]``
prints the A/B comparison as Markdown. Bad input raises CorpusError (one line, exit 2).
"""

from __future__ import annotations

import os
import shutil
import sys

from ..data.errors import CorpusError
from ..data.reading.charts import DEFAULT_SINCE, KIND_NAMES, TABLE_KINDS
from ..data.text import terminal_safe
from .common import add_filter_args, corpus_inputs, output_target, parse_filters, resolve_corpus, write_output

LABEL_WIDTH = 30  # x labels and legends of a plot (the --markdown table keeps them whole)
KIND_HELP = (f"chart: {', '.join(KIND_NAMES)}; table (Markdown): {', '.join(TABLE_KINDS)} (cooccurrence and lift "
             "take :count, :jaccard, :lift, :cond or :pairs)")


def chart_arguments(p) -> None:
    p.description = ("Print a chart (plotext) or a table (Markdown) of a (filtered) corpus, as on the explorer's "
                     "charts screen.")
    p.add_argument("corpus")
    p.add_argument("kind", metavar="KIND", help=KIND_HELP)
    add_filter_args(p)
    p.add_argument("--since", default=DEFAULT_SINCE, metavar="DATE",
                   help=f"start of the symptom / cause share timelines (default {DEFAULT_SINCE}; 'all' for none)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="write to FILE (plain text) instead of stdout (an existing file needs --force)")
    p.add_argument("--force", action="store_true", help="replace an existing --out")
    p.add_argument("--plain", action="store_true", help="no colours or escape codes")
    p.add_argument("--markdown", action="store_true", help="print a chart's numbers as a Markdown table")
    p.add_argument("--width", type=int, default=None, metavar="W", help="plot width in columns (default: terminal)")
    p.add_argument("--height", type=int, default=None, metavar="H", help="plot height in rows (default: 24)")


def render_plot(chart, width: int, height: int, *, plain: bool) -> str:
    """The chart as plotext text (ANSI colours unless ``plain``). Labels from the corpus are escaped before
    plotting, so the only escape codes in the text are plotext's own colours."""
    import plotext as plt

    from ..plots import draw

    chart = chart.inert(terminal_safe, LABEL_WIDTH)
    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    draw(plt, chart, width, plain=plain)
    text = plt.build()
    plt.clear_figure()
    if plain:
        text = plt.uncolorize(text)
    lines = [line.rstrip() for line in text.splitlines()]
    if chart.note:
        lines.append(chart.note)
    if chart.scope:
        lines.append(f"Filters: {chart.scope}")
    return "\n".join(lines) + "\n"


def chart(args) -> int:
    from ..data.reading.charts import Chart, ChartData, parse_kind

    parse_kind(args.kind)  # unknown kind / axis / metric: fail before opening anything
    for name in ("width", "height"):
        v = getattr(args, name)
        if v is not None and not 20 <= v <= 1000:
            raise CorpusError(f"--{name} must be between 20 and 1000")
    since = None if args.since.lower() in ("all", "none", "") else args.since
    from ..data.reading.corpus import Corpus

    corpus = Corpus.open(resolve_corpus(args.corpus))
    try:
        target = output_target(args.out, force=args.force, inputs=corpus_inputs(args.corpus, corpus.path))
        item = ChartData(corpus, parse_filters(corpus, args), since=since).build(args.kind)
    finally:
        corpus.close()
    if not isinstance(item, Chart) or args.markdown:
        write_output(terminal_safe(item.markdown()), target)
        return 0
    term = shutil.get_terminal_size((100, 30))
    width = args.width or max(40, min(term.columns, 160))
    height = args.height or 24
    plain = args.plain or bool(args.out) or bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()
    text = render_plot(item, width, height, plain=plain)
    if plain:
        write_output(terminal_safe(text), target)  # plain output: no control character survives
    else:  # a terminal: plotext's colour codes stay, nothing else (labels were made safe before plotting)
        write_output(text, target, colours=True)
    return 0


def compare_arguments(p) -> None:
    p.description = ("Compare the label distributions of selection A with selection B (or with everything else "
                     "in A's scope) as Markdown.")
    p.add_argument("corpus")
    p.add_argument("--a", action="append", default=[], metavar="AXIS=V1,V2", help="filter of A (repeatable)")
    p.add_argument("--b", action="append", default=[], metavar="AXIS=V1,V2",
                   help="filter of B (repeatable); without --b, B is everything else in A's scope")
    p.add_argument("--licensed-only", action="store_true", help="hide NO_LICENSE / NOASSERTION sessions")
    p.add_argument("--seed", type=int, default=0, help="seed of the random episode samples")
    p.add_argument("--sample", type=int, default=5, help="episode keys sampled from each side")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="write to FILE instead of stdout (an existing file needs --force)")
    p.add_argument("--force", action="store_true", help="replace an existing --out")


def compare(args) -> int:
    from ..data.reading.compare import compare as compare_selections

    if not args.a:
        raise CorpusError("misalign-tui compare: give A's filters with --a AXIS=V1,V2")
    if not 0 <= args.sample <= 1000:
        raise CorpusError("--sample must be between 0 and 1000")
    from ..data.reading.corpus import Corpus

    corpus = Corpus.open(resolve_corpus(args.corpus))
    try:
        target = output_target(args.out, force=args.force, inputs=corpus_inputs(args.corpus, corpus.path))
        a = corpus.parse_filters(args.a, licensed_only=args.licensed_only)
        b = corpus.parse_filters(args.b, licensed_only=args.licensed_only) if args.b else None
        result = compare_selections(corpus, a, b, seed=args.seed, sample=args.sample)
    finally:
        corpus.close()
    write_output(terminal_safe(result.markdown()), target)
    return 0
