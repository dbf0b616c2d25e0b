"""``misalign-tui export``: the selected episodes as CSV, JSONL or a Markdown case file."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import TextIO

from ..errors import CorpusError
from ..filters import Filters
from ..reading.corpus import Corpus, EpisodeDetail
from ..taxonomy import EPISODE_FACETS, label
from ..text import json_line, terminal_safe
from ..workspace import notes_for  # reviewer notes of the sidecar workspace (never creates it)

FORMATS = ("csv", "jsonl", "md")
# The labels of an episode, one field per episode-level facet axis (from the taxonomy); the evidence tiers
# travel with the causes ({"C4": "direct", "C7": None}), so the tier axis has no field of its own.
EXPORT_AXES = tuple(ax for ax in EPISODE_FACETS if ax.name != "tier")
SESSION_FIELDS = ("key", "source", "repo", "session_id", "misalignment_id", "session_time", "platform", "agent",
                  "license")
CSV_COLUMNS = SESSION_FIELDS + tuple(ax.column for ax in EXPORT_AXES) + ("name", "description", "evidence")


def _iso(v):
    return v.isoformat(sep=" ") if isinstance(v, datetime) else v


def records(corpus: Corpus, f: Filters) -> list[dict]:
    """The selected episodes as plain dicts (labels, session metadata, texts, evidence)."""
    res = corpus.execute("export_episodes", {"f": f.params()})
    cols = [d[0] for d in res.description]
    rows = [dict(zip(cols, r)) for r in res.fetchall()]
    ev = defaultdict(list)
    for eno, seq, ref, tno, role, quote, ctx in corpus.run("export_evidence", {"f": f.params()}):
        ev[eno].append({"turn": ref, "turn_no": tno, "role": role, "quote": quote, "context": ctx})
    out = []
    for r in rows:
        rec = {"key": r["episode_key"], "source": r["source"], "repo": r["repo"], "session_id": r["session_id"],
               "misalignment_id": r["misalignment_id"], "session_time": _iso(r["ts"]), "platform": r["platform"],
               "agent": r["agent"], "license": r["license"]}
        for ax in EXPORT_AXES:
            if ax.name == "cause":
                rec[ax.column] = dict(EpisodeDetail(r).cause_tiers())
            else:
                rec[ax.column] = list(r[ax.column] or []) if ax.multi else r[ax.column]
            if ax.name == "symptom":
                rec["symptom_other"] = r["symptom_other"]
        rec.update({
            "name": r["name"], "description": r["description"],
            "reasoning": {k: r[f"{k}_reasoning"] for k in ("symptom", "cause", "outcome", "resolution")
                          if r[f"{k}_reasoning"]},
            "validation_note": r["validation_note"],
            "session": {"title": r["session_title"], "user_turns": r["user_turns"], "agent_turns": r["agent_turns"],
                        "num_commits": r["num_commits"], "transcript_turns": r["n_turns"], "sha": r["session_sha"]},
            "evidence": ev.get(r["episode_no"], []),
        })
        out.append(rec)
    notes = notes_for([r["key"] for r in out], corpus_path=corpus.path)
    for r in out:
        r["notes"] = notes.get(r["key"], [])
    return out


def _csv(recs, fh: TextIO, safe: bool = False):
    w = csv.writer(fh)
    w.writerow(CSV_COLUMNS)
    clean = (lambda v: terminal_safe(v) if isinstance(v, str) else v) if safe else (lambda v: v)
    for r in recs:
        evidence = " | ".join(f"{e['turn'] or 'unknown turn'}: {e['quote']}" for e in r["evidence"])
        row = [r[k] for k in SESSION_FIELDS] + [_csv_cell(r[ax.column]) for ax in EXPORT_AXES]
        w.writerow(map(clean, row + [r["name"], r["description"], evidence]))


def _csv_cell(v):
    """A label field in one CSV cell: lists space-separated, causes as ``C4:direct C7``."""
    if isinstance(v, dict):
        return " ".join(f"{c}:{t}" if t else c for c, t in v.items() if c is not None)
    return " ".join(x for x in v if x is not None) if isinstance(v, list) else v  # (a foreign corpus: NULLs)


def _md_quote(text: str) -> str:
    return "\n".join("> " + line for line in (text or "").splitlines() or [""])


def markdown_case(r: dict) -> str:
    """One episode as a Markdown section a researcher can paste into notes."""
    lines = [f"## `{r['key']}`" + (f" — {r['name']}" if r.get("name") else ""), ""]
    meta = [r["platform"], r["agent"], r["session_time"], f"licence {r['license']}"]
    lines.append("*" + " · ".join(str(m) for m in meta if m) + "*")
    lines.append("")
    if r["validation"] != "VALID":
        lines.append(f"- **Validation:** INVALID ({label('invalid_category', r['invalid_category'])})")
    if r["symptoms"]:
        lines.append("- **Symptoms:** " + "; ".join(label("symptom", s) for s in r["symptoms"]))
    if r["causes"]:
        lines.append("- **Causes:** " + "; ".join(label("cause", c) + (f" ({t})" if t else "")
                                                for c, t in r["causes"].items()))
    if r["severity"]:
        dmg = label("severity", r["severity"]) + (f"; {label('locus', r['locus'])}" if r["locus"] else "")
        lines.append(f"- **Damage:** {dmg}")
    if r["status"]:
        res = label("status", r["status"]) + (f"; {label('resolver', r['resolver'])}" if r["resolver"] else "")
        lines.append(f"- **Resolution:** {res}")
    lines.append("")
    if r.get("description"):
        lines += [r["description"], ""]
    for k, v in r.get("reasoning", {}).items():
        lines += [f"*{k.capitalize()} reasoning:* {v}", ""]
    if r.get("notes"):
        lines += ["**Reviewer notes**", ""] + [f"- {n}" for n in r["notes"]] + [""]
    if r["evidence"]:
        lines.append("**Evidence**")
        lines.append("")
        for e in r["evidence"]:
            tag = " (pushback)" if e["role"] == "USER" else ""
            lines.append(f"- {e['turn'] or 'unknown turn'}{tag}")
            lines.append("")
            lines.append("  " + _md_quote(e["quote"]).replace("\n", "\n  "))
            if e["context"]:
                lines.append(f"  — {e['context']}")
            lines.append("")
    return "\n".join(lines)


def write(recs: list[dict], fmt: str, fh: TextIO, *, title: str = "", terminal: bool = False) -> None:
    """``terminal``: the output is a stream a terminal may show (stdout), so CSV fields are escaped too.

    Markdown is always escaped (control characters as visible ``\\x1b``), JSON lines escape them as
    ``\\u001b`` (the same data once parsed); CSV written to a file keeps the data verbatim.
    """
    if fmt == "csv":
        _csv(recs, fh, safe=terminal)
    elif fmt == "jsonl":
        for r in recs:
            fh.write(json_line(r) + "\n")
    elif fmt == "md":
        fh.write(terminal_safe(f"# Case file{': ' + title if title else ''}\n\n{len(recs)} episodes\n\n"))
        for r in recs:
            fh.write(terminal_safe(markdown_case(r)) + "\n")
    else:
        raise CorpusError(f"unknown export format {fmt!r}; valid: {', '.join(FORMATS)}")


def export_episodes(corpus: Corpus, f: Filters, fmt: str, out: str | Path | None, *, force: bool = False,
                    inputs=(), stream: bool = True) -> int:
    """Write the selection to ``out`` (atomically, under the write guard ``data.outputs``: an existing file
    only with ``force``, never the corpus, its sidecar or ``inputs``; ``stream=False`` refuses stdout and
    devices, for the explorer) or to stdout when out is None or "-"; returns the count."""
    from ..outputs import FILE, check_output, opened, protect
    from ..reading.search import sidecar_path

    guarded = [*protect(corpus.path, "the corpus being exported"),
               *protect(sidecar_path(Path(corpus.path)), "the corpus' full-text index"), *inputs]
    target = check_output(out, force=force, inputs=guarded, stream=stream, what="export")
    recs = records(corpus, f)
    with opened(target, newline="" if fmt == "csv" else None) as fh:
        write(recs, fmt, fh, title=f.describe(), terminal=target.kind != FILE)
    return len(recs)


def export_text(corpus: Corpus, f: Filters, fmt: str) -> str:
    buf = io.StringIO()
    write(records(corpus, f), fmt, buf, title=f.describe())
    return buf.getvalue()
