"""``misalign-tui [CORPUS]`` (``view``, alias ``review``): open the explorer.

Everything the explorer needs is checked before the screen switches — the corpus, the filters (a bad
regex too), the theme and the reviewer workspace — so a mistake is one line and exit code 2, never a
half-started terminal UI.
"""

from __future__ import annotations

from .common import add_filter_args, add_workspace_args, parse_filters, resolve_corpus, tell


def view_arguments(p) -> None:
    p.add_argument("corpus", nargs="?", help="corpus .duckdb, a Parquet export folder, or study sources to import "
                   "into a cache corpus; default: the bundled sample")
    add_filter_args(p)
    add_workspace_args(p)
    p.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    p.add_argument("--theme", default=None, help="dark (default), light, ansi, or any Textual theme name")


def view(args) -> int:
    from ..data.filters import Filters
    from ..data.reading.corpus import Corpus
    from ..data.workspace.store import ReviewStore

    path = resolve_corpus(args.corpus)
    corpus = Corpus.open(path)  # opened once: the explorer uses it (each open costs start-up time)
    warnings: list[str] = []
    try:
        if args.filter:
            f = parse_filters(corpus, args, warnings)
        else:  # nothing to check against the corpus' values: no query before the first paint
            f = Filters(text=args.regex or args.search or "", regex=bool(args.regex),
                        licensed_only=args.licensed_only, scope=corpus.default_validation)
            if f.regex and f.text:
                corpus.check_regex(f.text)
        if f.regex and f.text:
            corpus.count(f)
        store = ReviewStore.for_corpus(path, args.workspace, args.reviewer)
        from ..tui.app import run_app  # looked up now: tests replace it
    except BaseException:
        corpus.close()
        raise
    for w in warnings:  # on stderr too: the screen replaces the terminal's text
        tell(f"warning: {w}")
    return run_app(path, filters=f, mouse=not args.no_mouse, theme=args.theme, workspace=store, corpus=corpus,
                   warnings=warnings)
