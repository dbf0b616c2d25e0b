"""``misalign-tui notes …``: the reviewer workspace from the shell.

    notes export CORPUS --format jsonl|csv|md [--out FILE] [--only note,tag,…]
    notes merge A B --out C [--force]          two reviewers' workspace files -> one
    notes orphans CORPUS                       entries whose episode / session / turn is gone
    notes rounds CORPUS                        coding rounds and who coded how much
    notes agreement CORPUS --round NAME [--a RATER] [--b RATER] [--out FILE]
    notes where CORPUS                         the workspace file of CORPUS

Every ``notes`` command that takes CORPUS also takes ``--workspace PATH`` (default: beside the corpus, see
``data/workspace/paths.py``) and ``--reviewer NAME``; bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

from ..data.errors import CorpusError
from ..data.outputs import protect
from ..data.text import inline, terminal_safe
from .common import Parser, add_workspace_args, corpus_inputs, open_corpus, output_target, say, tell, write_output

ACTIONS = ("export", "merge", "orphans", "rounds", "agreement", "where")
TYPES = ("bookmark", "tag", "note", "view", "round", "coding")


def notes_arguments(p: Parser) -> None:
    p.description = ("The reviewer workspace (notes, tags, bookmarks, saved views, coding rounds) of a corpus: "
                     + ", ".join(ACTIONS) + ".")
    sub = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    exp = sub.add_parser("export", help="notes, tags, bookmarks and codings as JSONL, CSV or Markdown")
    exp.add_argument("corpus")
    exp.add_argument("--format", choices=("jsonl", "csv", "md"), required=True)
    exp.add_argument("--out", default=None, help="file to write (default: stdout; an existing file needs --force)")
    exp.add_argument("--force", action="store_true", help="replace an existing --out")
    exp.add_argument("--only", default=None, metavar="TYPES", help=f"comma-separated record types ({', '.join(TYPES)})")
    add_workspace_args(exp)
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
        add_workspace_args(q)
    agr = sub.add_parser("agreement", help="agreement of a coding round (Markdown)")
    agr.add_argument("corpus")
    agr.add_argument("--round", required=True, dest="round_name")
    agr.add_argument("--a", default=None, metavar="RATER", help="first rater (default: the reviewer)")
    agr.add_argument("--b", default="model", metavar="RATER", help="second rater (default: model)")
    agr.add_argument("--out", default=None, help="file to write (default: stdout; an existing file needs --force)")
    agr.add_argument("--force", action="store_true", help="replace an existing --out")
    add_workspace_args(agr)


def _store(corpus_path: Path, args):
    from ..data.workspace.store import ReviewStore

    return ReviewStore.for_corpus(corpus_path, args.workspace, args.reviewer)


def _export(args) -> int:
    import io

    from ..data.workspace.exchange import write_export

    types = None
    if args.only:
        types = tuple(t.strip() for t in args.only.split(",") if t.strip())
        bad = [t for t in types if t not in TYPES]
        if bad:
            raise CorpusError(f"--only: unknown type {bad[0]!r}; valid: {', '.join(TYPES)}")
    corpus = open_corpus(args.corpus)
    try:
        store = _store(corpus.path, args)
        target = output_target(args.out, force=args.force, inputs=corpus_inputs(args.corpus, corpus.path, store.path))
        names = {}
        if args.format == "md":
            names = dict(corpus.cursor().execute("SELECT episode_key, name FROM episodes").fetchall())
        buf = io.StringIO()
        n = write_export(store, args.format, buf, names=names, types=types, terminal=target.kind != "file")
    finally:
        corpus.close()
    write_output(buf.getvalue(), target)
    tell(f"{n} records from {store.path}")
    return 0


def _merge(args) -> int:
    from ..data.workspace.exchange import merge
    from ..data.workspace.store import ReviewStore

    output_target(args.out, force=args.force, stream=False, what="merged workspace",
                  inputs=protect(args.a, "a workspace being merged") + protect(args.b, "a workspace being merged"))
    rep = merge(ReviewStore(args.a), ReviewStore(args.b), Path(args.out), force=args.force)
    say(f"merged into {args.out}: " + "\n".join(rep.lines()))  # names come from the files: say() makes them inert
    return 0


def _orphans(args) -> int:
    corpus = open_corpus(args.corpus)
    try:
        rep = _store(corpus.path, args).orphans(corpus)
    finally:
        corpus.close()
    for line in rep.lines():
        say(line)
    tell(f"{rep.total} orphaned entries")
    return 0


def _rounds(args) -> int:
    from ..data.workspace.coding import round_progress

    corpus = open_corpus(args.corpus)
    corpus.close()
    for rnd, done in round_progress(_store(corpus.path, args)):
        coders = ", ".join(f"{r} {n}/{rnd.size}" for r, n in sorted(done.items())) or "not coded yet"
        say(f"{inline(rnd.name)}\t{rnd.size} episodes, seed {rnd.seed}\t{inline(coders)}\tfrom: {inline(rnd.scope)}")
    return 0


def _agreement(args) -> int:
    from ..data.workspace.agreement import compare
    from ..data.workspace.coding import codings, get_round, model_labels

    corpus = open_corpus(args.corpus)
    try:
        store = _store(corpus.path, args)
        target = output_target(args.out, force=args.force, inputs=corpus_inputs(args.corpus, corpus.path, store.path))
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
    write_output(terminal_safe(compare(raters[a], raters[b], a, b).markdown()), target)
    return 0


def _where(args) -> int:
    corpus = open_corpus(args.corpus)
    corpus.close()
    store = _store(corpus.path, args)
    say(f"{inline(store.path)}\t{'exists' if store.exists else 'not written yet'}\treviewer {inline(store.reviewer)}")
    return 0


def notes(args) -> int:
    return {"export": _export, "merge": _merge, "orphans": _orphans, "rounds": _rounds, "agreement": _agreement,
            "where": _where}[args.action](args)
