"""``misalign-tui notes …`` (the reviewer workspace from the shell) and ``misalign-tui review`` (the explorer
with a chosen workspace and reviewer).

    notes export CORPUS --format jsonl|csv|md [--out FILE] [--only note,tag,…]
    notes merge A B --out C [--force]          two reviewers' workspace files -> one
    notes orphans CORPUS                       entries whose episode / session / turn is gone
    notes rounds CORPUS                        coding rounds and who coded how much
    notes agreement CORPUS --round NAME [--a RATER] [--b RATER] [--out FILE]
    notes where CORPUS                         the workspace file of CORPUS
    review [CORPUS] [--filter …] [--workspace PATH] [--reviewer NAME]

Every ``notes`` command that takes CORPUS also takes ``--workspace PATH`` (default: beside the corpus, see
``data/workspace/paths.py``) and ``--reviewer NAME``; bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import _filter_args, _filters, _open, _Parser, _progress
from .data.errors import CorpusError
from .text_safety import terminal_safe

ACTIONS = ("export", "merge", "orphans", "rounds", "agreement", "where")
TYPES = ("bookmark", "tag", "note", "view", "round", "coding")


def _ws_args(p: _Parser) -> None:
    p.add_argument("--workspace", default=None, metavar="PATH",
                   help="workspace file or folder (default: CORPUS.review.duckdb beside the corpus, or the user "
                        "data folder when that is read-only; env MISALIGN_TUI_WORKSPACE)")
    p.add_argument("--reviewer", default=None, metavar="NAME", help="reviewer name (default: $USER)")


def notes_parser() -> _Parser:
    p = _Parser(prog="misalign-tui notes", description="The reviewer workspace (notes, tags, bookmarks, saved "
                "views, coding rounds) of a corpus: " + ", ".join(ACTIONS) + ".")
    sub = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    exp = sub.add_parser("export", help="notes, tags, bookmarks and codings as JSONL, CSV or Markdown")
    exp.add_argument("corpus")
    exp.add_argument("--format", choices=("jsonl", "csv", "md"), required=True)
    exp.add_argument("--out", default=None, help="file to write (default: stdout)")
    exp.add_argument("--only", default=None, metavar="TYPES", help=f"comma-separated record types ({', '.join(TYPES)})")
    _ws_args(exp)
    mrg = sub.add_parser("merge", help="combine two workspace files (union; conflicts kept per reviewer)")
    mrg.add_argument("a")
    mrg.add_argument("b")
    mrg.add_argument("--out", required=True, help="the merged workspace file to write")
    mrg.add_argument("--force", action="store_true", help="replace --out if it exists")
    for name, text in (("orphans", "entries whose episode, session or turn the corpus no longer has"),
                       ("rounds", "coding rounds and each reviewer's progress"),
                       ("where", "print the workspace file of the corpus")):
        q = sub.add_parser(name, help=text)
        q.add_argument("corpus")
        _ws_args(q)
    agr = sub.add_parser("agreement", help="agreement of a coding round (Markdown)")
    agr.add_argument("corpus")
    agr.add_argument("--round", required=True, dest="round_name")
    agr.add_argument("--a", default=None, metavar="RATER", help="first rater (default: the reviewer)")
    agr.add_argument("--b", default="model", metavar="RATER", help="second rater (default: model)")
    agr.add_argument("--out", default=None, help="file to write (default: stdout)")
    _ws_args(agr)
    return p


def _store(corpus_path: Path, args):
    from .data.workspace.store import ReviewStore

    return ReviewStore.for_corpus(corpus_path, args.workspace, args.reviewer)


def _write_text(text: str, out: str | None) -> None:
    if out and out != "-":
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as e:
            raise CorpusError(f"cannot write: {e.strerror or e}", path=out) from None
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _export(args) -> int:
    import io

    from .data.workspace.exchange import write_export

    types = None
    if args.only:
        types = tuple(t.strip() for t in args.only.split(",") if t.strip())
        bad = [t for t in types if t not in TYPES]
        if bad:
            raise CorpusError(f"--only: unknown type {bad[0]!r}; valid: {', '.join(TYPES)}")
    corpus = _open(args.corpus)
    try:
        store = _store(corpus.path, args)
        names = {}
        if args.format == "md":
            names = dict(corpus.cursor().execute("SELECT episode_key, name FROM episodes").fetchall())
        buf = io.StringIO()
        to_stdout = not args.out or args.out == "-"
        n = write_export(store, args.format, buf, names=names, types=types, terminal=to_stdout)
    finally:
        corpus.close()
    _write_text(buf.getvalue(), args.out)
    print(terminal_safe(f"{n} records from {store.path}"), file=sys.stderr)
    return 0


def _merge(args) -> int:
    from .data.workspace.exchange import merge
    from .data.workspace.store import ReviewStore

    rep = merge(ReviewStore(args.a), ReviewStore(args.b), Path(args.out), force=args.force)
    print(terminal_safe(f"merged into {args.out}: " + "\n".join(rep.lines())))  # names come from the files
    return 0


def _orphans(args) -> int:
    corpus = _open(args.corpus)
    try:
        rep = _store(corpus.path, args).orphans(corpus)
    finally:
        corpus.close()
    for line in rep.lines():
        print(terminal_safe(line))
    print(f"{rep.total} orphaned entries", file=sys.stderr)
    return 0


def _rounds(args) -> int:
    from .data.workspace.coding import round_progress

    corpus = _open(args.corpus)
    corpus.close()
    for rnd, done in round_progress(_store(corpus.path, args)):
        coders = ", ".join(f"{r} {n}/{rnd.size}" for r, n in sorted(done.items())) or "not coded yet"
        print(terminal_safe(f"{rnd.name}\t{rnd.size} episodes, seed {rnd.seed}\t{coders}\tfrom: {rnd.scope}"))
    return 0


def _agreement(args) -> int:
    from .data.workspace.agreement import compare
    from .data.workspace.coding import codings, get_round, model_labels

    corpus = _open(args.corpus)
    try:
        store = _store(corpus.path, args)
        rnd = get_round(store, args.round_name)
        if rnd is None:
            raise CorpusError(f"no coding round named {args.round_name!r} (see `misalign-tui notes rounds`)")
        raters = dict(codings(store, rnd.name, complete_only=True))
        raters["model"] = model_labels(corpus, rnd.keys)
    finally:
        corpus.close()
    a, b = args.a or store.reviewer, args.b
    for r in (a, b):
        if r not in raters:
            raise CorpusError(f"{r!r} has not completed any episode of round {rnd.name!r}; raters: "
                              + ", ".join(sorted(raters)))
    _write_text(terminal_safe(compare(raters[a], raters[b], a, b).markdown()), args.out)
    return 0


def _where(args) -> int:
    corpus = _open(args.corpus)
    corpus.close()
    store = _store(corpus.path, args)
    print(terminal_safe(f"{store.path}\t{'exists' if store.exists else 'not written yet'}\treviewer {store.reviewer}"))
    return 0


def notes_main(argv: list[str]) -> int:
    args = notes_parser().parse_args(argv)
    return {"export": _export, "merge": _merge, "orphans": _orphans, "rounds": _rounds, "agreement": _agreement,
            "where": _where}[args.action](args)


def review_main(argv: list[str]) -> int:
    """The explorer with ``--workspace`` / ``--reviewer`` (what ``misalign-tui CORPUS`` does otherwise)."""
    p = _Parser(prog="misalign-tui review", description="Open the explorer with a reviewer workspace.")
    p.add_argument("corpus", nargs="?", help="corpus .duckdb or study sources (default: the bundled sample)")
    _filter_args(p)
    _ws_args(p)
    p.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    p.add_argument("--theme", default=None)
    args = p.parse_args(argv)
    from .data.corpus import Corpus
    from .data.locate import resolve

    path = resolve(args.corpus, _progress("importing"))
    probe = Corpus.open(path)
    try:
        f = _filters(probe, args)
        store = _store(path, args)
    finally:
        probe.close()
    from .tui.app import run_app

    return run_app(path, filters=f, mouse=not args.no_mouse, theme=args.theme, workspace=store)
