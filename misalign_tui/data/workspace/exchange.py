"""Workspace export (JSONL, CSV, Markdown), merging two reviewers' workspaces, and notes for case files.

Export records carry a ``type``: bookmark, tag, note, view, round, coding. ``merge`` writes a new workspace
with the union of two: bookmarks and tags by (episode, tag, reviewer); notes by note id (two reviewers'
notes on one episode are both kept — conflicts are kept per reviewer; the same note edited in both files
keeps the newer edit); codings by (round, episode, reviewer), the newer one winning; a saved view or a round
of the same name but different content is kept under a new name. Every such decision is reported.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..errors import CorpusError
from ..text import json_line, terminal_safe
from .schema import COLUMNS
from .store import Note, ReviewStore, WorkspaceError, now

FORMATS = ("jsonl", "csv", "md")
CSV_COLUMNS = ("type", "key", "session_key", "turn_no", "round", "reviewer", "tag", "body", "symptoms", "causes",
               "severity", "locus", "status", "resolver", "complete", "created_at", "updated_at")


def records(dump: dict[str, list[dict]]) -> list[dict]:
    """The workspace as flat records with a ``type`` (see the module doc)."""
    out = [{"type": "bookmark", "key": r["episode_key"], "reviewer": r["reviewer"], "created_at": r["created_at"]}
           for r in dump["bookmarks"]]
    out += [{"type": "tag", "key": r["episode_key"], "tag": r["tag"], "reviewer": r["reviewer"],
             "created_at": r["created_at"]} for r in dump["tags"]]
    for r in dump["notes"]:
        n = Note(**r)
        out.append({"type": "note", "note_id": n.note_id, "kind": n.kind,
                    "key": n.target if n.kind == "episode" else n.episode_key, "session_key": n.session_key,
                    "turn_no": n.turn_no, "reviewer": n.reviewer, "body": n.body, "created_at": n.created_at,
                    "updated_at": n.updated_at})
    out += [{"type": "view", "name": r["name"], "reviewer": r["reviewer"], "spec": json.loads(r["spec"]),
             "created_at": r["created_at"], "updated_at": r["updated_at"]} for r in dump["views"]]
    items: dict[str, list[str]] = {}
    for r in sorted(dump["round_items"], key=lambda r: (r["round"], r["pos"])):
        items.setdefault(r["round"], []).append(r["episode_key"])
    out += [{"type": "round", "round": r["name"], "seed": r["seed"], "size": r["size"], "scope": r["scope"],
             "reviewer": r["created_by"], "created_at": r["created_at"], "keys": items.get(r["name"], [])}
            for r in dump["rounds"]]
    out += [{"type": "coding", "round": r["round"], "key": r["episode_key"], "reviewer": r["reviewer"],
             "symptoms": list(r["symptoms"]),
             "causes": [c + (f":{t}" if t else "") for c, t in zip(r["causes"], r["tiers"])],
             "severity": r["severity"], "locus": r["locus"], "status": r["status"], "resolver": r["resolver"],
             "complete": r["complete"], "created_at": r["coded_at"]} for r in dump["codings"]]
    return out


def _markdown(recs: list[dict], fh: TextIO, names: dict[str, str]) -> None:
    fh.write("# Reviewer workspace\n\n")
    by_key: dict[str, list[dict]] = {}
    for r in recs:
        if r["type"] in ("bookmark", "tag", "note"):
            by_key.setdefault(r.get("key") or r.get("session_key") or "", []).append(r)
    fh.write(f"{len(by_key)} episodes with bookmarks, tags or notes\n\n")
    for key in sorted(by_key):
        rs = by_key[key]
        fh.write(f"## `{key}`" + (f" — {names[key]}" if names.get(key) else "") + "\n\n")
        marks = sorted({r["reviewer"] for r in rs if r["type"] == "bookmark"})
        if marks:
            fh.write(f"- **Bookmarked by:** {', '.join(marks)}\n")
        tags = sorted({r["tag"] for r in rs if r["type"] == "tag"})
        if tags:
            fh.write(f"- **Tags:** {', '.join(tags)}\n")
        for r in (r for r in rs if r["type"] == "note"):
            where = f" (turn {r['turn_no']} of `{r['session_key']}`)" if r["kind"] == "turn" else ""
            body = "\n".join("  > " + line for line in r["body"].splitlines())
            fh.write(f"- **Note by {r['reviewer']}**, {r['updated_at']}{where}:\n{body}\n")
        fh.write("\n")
    rounds = [r for r in recs if r["type"] == "round"]
    if rounds:
        fh.write("# Coding rounds\n\n")
    for rnd in rounds:
        coded = [r for r in recs if r["type"] == "coding" and r["round"] == rnd["round"]]
        fh.write(f"## {rnd['round']}\n\n{rnd['size']} episodes, seed {rnd['seed']}, from: {rnd['scope']}\n\n")
        fh.write("| Episode | Reviewer | Symptoms | Causes | Severity | Locus | Status | Resolver |\n")
        fh.write("|---|---|---|---|---|---|---|---|\n")
        for c in coded:
            single = " | ".join(c[a] or "—" for a in ("severity", "locus", "status", "resolver"))
            fh.write(f"| `{c['key']}` | {c['reviewer']} | {' '.join(c['symptoms'])} | {' '.join(c['causes'])} | "
                     f"{single} |\n")
        fh.write("\n")


def write_export(store: ReviewStore, fmt: str, fh: TextIO, *, names: dict[str, str] | None = None,
                 types: tuple[str, ...] | None = None, terminal: bool = False) -> int:
    """Write the workspace (records of ``types``, default all) in ``fmt``; the number of records.

    As ``misalign-tui export``: JSON lines escape DEL, C1 and bidi controls as ``\\u…`` (the same data once
    parsed), Markdown shows every control character as a visible ``\\x1b``, and CSV does so only when
    ``terminal`` (a stream a terminal may show); a CSV file keeps the text verbatim."""
    if fmt not in FORMATS:
        raise CorpusError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    recs = [r for r in records(store.dump()) if types is None or r["type"] in types]
    if fmt == "jsonl":
        for r in recs:
            fh.write(json_line(r) + "\n")
    elif fmt == "csv":
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for r in recs:
            row = dict(r, round=r.get("round", ""), symptoms=" ".join(r.get("symptoms") or ()),
                       causes=" ".join(r.get("causes") or ()))
            if r["type"] in ("view", "round"):
                row["body"] = json.dumps(r.get("spec") or r.get("keys"), ensure_ascii=False)
                row["key"] = r.get("name", "")
            cells = ["" if row.get(c) is None else row.get(c, "") for c in CSV_COLUMNS]
            w.writerow([terminal_safe(v) if terminal and isinstance(v, str) else v for v in cells])
    else:
        buf = io.StringIO()
        _markdown(recs, buf, names or {})
        fh.write(terminal_safe(buf.getvalue()))
    return len(recs)


def notes_for(keys, *, corpus_path: str | Path | None = None, store: ReviewStore | None = None,
              workspace: str | Path | None = None) -> dict[str, list[str]]:
    """Reviewer notes per episode key, one line each (episode notes, then turn notes written from it).

    For the Markdown case file of ``misalign-tui export``: never raises, never creates a file; {} when the
    corpus has no workspace."""
    try:
        if store is None:
            if corpus_path is None:
                return {}
            store = ReviewStore.for_corpus(corpus_path, workspace)
        wanted = set(keys)
        out: dict[str, list[str]] = {}
        notes = store.notes()
        for n in sorted(notes, key=lambda n: (n.kind != "episode", n.turn_no or 0, n.created_at)):
            key = n.target if n.kind == "episode" else n.episode_key
            if key in wanted:
                out.setdefault(key, []).append(n.line())
        return out
    except (CorpusError, OSError):
        return {}


@dataclass
class MergeReport:
    counts: dict[str, int] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [", ".join(f"{n} {t}" for t, n in self.counts.items())] + self.decisions


def _union(rows_a, rows_b, key, newer=None, what="", report=None) -> list[dict]:
    out: dict = {}
    for r in [*rows_a, *rows_b]:
        k = tuple(r[c] for c in key)
        old = out.get(k)
        if old is None:
            out[k] = r
        elif newer and old != r:
            keep = max(old, r, key=lambda x: x[newer])
            if report is not None and {c: v for c, v in old.items() if c != newer} != \
                    {c: v for c, v in r.items() if c != newer}:
                report.decisions.append(f"{what} {' / '.join(map(str, k))}: edited in both; kept the newer "
                                        f"({keep[newer]})")
            out[k] = keep
    return list(out.values())


def merge(a: ReviewStore, b: ReviewStore, out: str | Path, *, force: bool = False) -> MergeReport:
    """Write the union of workspaces ``a`` and ``b`` to the new workspace ``out``."""
    out = Path(out)
    for s in (a, b):
        if not s.exists:
            raise WorkspaceError("no such workspace", path=str(s.path))
    if out.exists():
        if out.resolve() in (a.path.resolve(), b.path.resolve()):
            raise WorkspaceError("the merged workspace must be a new file, not one of its inputs", path=str(out))
        if not force:
            raise WorkspaceError("exists; pass --force to replace it", path=str(out))
    da, db = a.dump(), b.dump()
    rep = MergeReport()
    m: dict[str, list[dict]] = {}
    m["bookmarks"] = _union(da["bookmarks"], db["bookmarks"], ("episode_key", "reviewer"))
    m["tags"] = _union(da["tags"], db["tags"], ("episode_key", "tag", "reviewer"))
    m["notes"] = _union(da["notes"], db["notes"], ("note_id",), "updated_at", "note", rep)
    views = {v["name"]: v for v in da["views"]}
    for v in db["views"]:
        old = views.get(v["name"])
        if old is not None and old["spec"] != v["spec"]:
            new = f"{v['name']} ({v['reviewer']})"
            rep.decisions.append(f"view {v['name']!r}: differs in the two workspaces; the second kept as {new!r}")
            v = dict(v, name=new)
        views.setdefault(v["name"], v)
    m["views"] = list(views.values())
    rounds = {r["name"]: r for r in da["rounds"]}
    items = {r: [i["episode_key"] for i in sorted(da["round_items"], key=lambda i: i["pos"]) if i["round"] == r]
             for r in rounds}
    rename: dict[str, str] = {}
    for r in db["rounds"]:
        b_items = [i["episode_key"] for i in sorted(db["round_items"], key=lambda i: i["pos"])
                   if i["round"] == r["name"]]
        name = r["name"]
        if name in rounds and (items[name] != b_items or rounds[name]["seed"] != r["seed"]):
            name = rename[r["name"]] = f"{r['name']} ({b.path.name})"
            rep.decisions.append(f"round {r['name']!r}: a different sample in each workspace; the second kept "
                                 f"as {name!r}")
        if name not in rounds:
            rounds[name] = dict(r, name=name)
            items[name] = b_items
    m["rounds"] = list(rounds.values())
    m["round_items"] = [{"round": r, "pos": i, "episode_key": k}
                        for r, keys in items.items() for i, k in enumerate(keys)]
    b_codings = [dict(c, round=rename.get(c["round"], c["round"])) for c in db["codings"]]
    m["codings"] = _union(da["codings"], b_codings, ("round", "episode_key", "reviewer"), "coded_at", "coding", rep)
    rep.counts = {t: len(m[t]) for t in COLUMNS if t != "round_items"}
    tmp = out.with_name(f".{out.name}.{os.getpid()}.merging")
    tmp.unlink(missing_ok=True)
    try:
        target = ReviewStore(tmp, a.reviewer)
        target.load(m)
        with target.writing() as con:
            con.execute("INSERT OR REPLACE INTO ws_meta VALUES ('merged_from', ?), ('merged_at', ?)",
                        [json.dumps([str(a.path), str(b.path)]), now()])
        os.replace(tmp, out)
    finally:
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
    return rep
