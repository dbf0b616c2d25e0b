"""``detect-eval --labels``: the pushback detector scored against per-turn labels.

Human turns come either straight from transcript files (parsed and detected as ``import`` would) or from a
built corpus (its stored ``turn_signals``). Each label is attached to a human turn of its file: by ordinal
when the label's anchor is in that turn; else the only human turn holding the anchor; else, when several
hold it, the first one after the turn of the file's previous label. A label whose anchor is in no human
turn is reported ("no longer a human turn": the parser no longer counts that text as typed by a person).
"""

from __future__ import annotations

import glob
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...errors import CorpusError
from .labels import Label, format_of, in_split, repo_of


@dataclass
class HumanTurn:
    ordinal: int  # 1-based among the main session's USER turns
    text: str
    flagged: bool
    cue: str | None = None


@dataclass
class Outcome:
    label: Label
    turn: HumanTurn | None
    how: str  # "ordinal" / "anchor" / "missing-file" / "no longer a human turn"


@dataclass
class Result:
    split: str
    outcomes: list[Outcome] = field(default_factory=list)
    unlabelled: int = 0  # human turns of labelled files that no label attached to


def _rel(path: Path, root: Path | None) -> str:
    p = path.resolve()
    if root is not None:
        try:
            return PurePosixPath(p.relative_to(root.resolve())).as_posix()
        except ValueError:
            pass
    return PurePosixPath(p).as_posix()


def turns_from_files(sources: list[str], root: str | None = None) -> dict[str, list[HumanTurn]]:
    """Parse transcript files / folders / globs; path (relative to ``root``) -> its main sessions' human turns."""
    from .signals import detect
    from ..transcript_sessions import session_rows
    from ..transcripts.formats import parse_file

    files: list[Path] = []
    for src in sources:
        paths = [Path(p) for p in sorted(glob.glob(src, recursive=True))] if glob.has_magic(src) else [Path(src)]
        for p in paths:
            if not p.exists():
                raise CorpusError("no such file or directory", path=str(p))
            files += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")) if p.is_dir() else [p]
    base = Path(root) if root else (Path(sources[0]) if len(sources) == 1 and Path(sources[0]).is_dir() else None)
    out: dict[str, list[HumanTurn]] = {}
    for f in files:
        if f.suffix.lower() not in (".md", ".jsonl", ".json"):
            continue
        try:
            transcripts = parse_file(f)
        except CorpusError:
            continue
        human: list[HumanTurn] = []
        for t in transcripts:
            if not t.messages or t.parent_session:
                continue
            _session, turns, _ts, _calls, events = session_rows(t, None)
            flags = {s.turn_no: s.cue for s in detect(turns, events) if s.kind == "pushback"}
            for turn in turns:
                if turn.role == "USER":
                    human.append(HumanTurn(len(human) + 1, turn.text, turn.turn_no in flags, flags.get(turn.turn_no)))
        if transcripts:
            out[_rel(f, base)] = human
    return out


def turns_from_corpus(corpus, root: str | None = None) -> dict[str, list[HumanTurn]]:
    """origin path (relative to ``root`` when given) -> human turns of the corpus' main sessions."""
    out: dict[str, list[HumanTurn]] = {}
    base = Path(root) if root else None
    for origin, text, flagged, cue in corpus.run("detect_eval_labels"):
        key = _rel(Path(origin), base) if base is not None else PurePosixPath(origin.replace("\\", "/")).as_posix()
        human = out.setdefault(key, [])
        human.append(HumanTurn(len(human) + 1, text or "", bool(flagged), cue))
    return out


def _find_file(file: str, available: dict[str, list[HumanTurn]]) -> str | None:
    if file in available:
        return file
    hits = [k for k in available if k.endswith("/" + file)]
    return hits[0] if len(hits) == 1 else None


def attach(labels: list[Label], human: list[HumanTurn]) -> list[Outcome]:
    """Attach one file's labels to its human turns (see the module doc)."""
    out, last, taken = [], 0, set()
    for lab in sorted(labels, key=lambda x: x.ordinal):
        o = lab.ordinal
        if 1 <= o <= len(human) and (not lab.anchor or lab.anchor in human[o - 1].text) and o not in taken:
            pos, how = o, "ordinal"
        else:
            cands = [t.ordinal for t in human if lab.anchor and lab.anchor in t.text and t.ordinal not in taken]
            later = [c for c in cands if c > last]
            pos = cands[0] if len(cands) == 1 else (later[0] if later else None)
            how = "anchor"
        if pos is None:
            out.append(Outcome(lab, None, "no longer a human turn"))
            continue
        taken.add(pos)
        last = pos
        out.append(Outcome(lab, human[pos - 1], how))
    return out


def evaluate(labels: list[Label], available: dict[str, list[HumanTurn]], split: str = "all") -> Result:
    res = Result(split)
    by_file: dict[str, list[Label]] = {}
    for lab in labels:
        if in_split(lab.file, split):
            by_file.setdefault(lab.file, []).append(lab)
    for file, labs in sorted(by_file.items()):
        key = _find_file(file, available)
        if key is None:
            res.outcomes += [Outcome(lab, None, "missing-file") for lab in labs]
            continue
        outs = attach(labs, available[key])
        res.outcomes += outs
        res.unlabelled += len(available[key]) - sum(o.turn is not None for o in outs)
    return res


def confusion(outcomes) -> dict:
    c = Counter()
    for o in outcomes:
        if o.turn is None:
            continue
        if o.label.label == "unsure":
            c["unsure"] += 1
            continue
        c[("tp" if o.turn.flagged else "fn") if o.label.label == "pushback" else ("fp" if o.turn.flagged else "tn")] += 1
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "unsure": c["unsure"], "precision": p, "recall": r, "f1": f1}


def report(res: Result, limit: int = 160) -> dict:
    """The JSON-ready report: totals, per format and repository, misses and false alarms, unattached labels."""
    att = [o for o in res.outcomes if o.turn is not None]
    groups: dict[str, dict[str, list]] = {"format": {}, "repository": {}}
    for o in att:
        groups["format"].setdefault(format_of(o.label.file), []).append(o)
        groups["repository"].setdefault(repo_of(o.label.file) or "-", []).append(o)

    def line(o: Outcome) -> dict:
        return {"file": o.label.file, "ordinal": o.turn.ordinal, "label": o.label.label, "cue": o.turn.cue,
                "text": " ".join(o.turn.text.split())[:limit]}

    return {
        "split": res.split, **confusion(att),
        "labels": len(res.outcomes), "attached": len(att),
        "attached_by_anchor": sum(o.how == "anchor" for o in att),
        "unlabelled_human_turns": res.unlabelled,
        "by_format": {k: confusion(v) for k, v in sorted(groups["format"].items())},
        "by_repository": {k: confusion(v) for k, v in sorted(groups["repository"].items())},
        "misses": [line(o) for o in att if o.label.label == "pushback" and not o.turn.flagged],
        "false_alarms": [line(o) for o in att if o.label.label == "not" and o.turn.flagged],
        "unattached": [{"file": o.label.file, "ordinal": o.label.ordinal, "label": o.label.label,
                        "why": "file not found" if o.how == "missing-file" else o.how,
                        "anchor": o.label.anchor[:limit]} for o in res.outcomes if o.turn is None],
    }


def render(r: dict, show: int = 40) -> str:
    """Plain text of ``report``; the caller escapes it for the terminal (texts come from the files)."""
    pct = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731

    def row(name: str, c: dict) -> str:
        return (f"{name[:38]:<39}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{c['tn']:>6}{c['unsure']:>7}"
                f"{pct(c['precision']):>8}{pct(c['recall']):>8}{pct(c['f1']):>8}")

    head = f"{'':<39}{'tp':>5}{'fp':>5}{'fn':>5}{'tn':>6}{'unsure':>7}{'P':>8}{'R':>8}{'F1':>8}"
    lines = [f"split: {r['split']}; labels: {r['labels']}, attached: {r['attached']} "
             f"({r['attached_by_anchor']} re-attached by anchor); unlabelled human turns: {r['unlabelled_human_turns']}",
             f"precision {pct(r['precision'])}  recall {pct(r['recall'])}  F1 {pct(r['f1'])}  "
             f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, tn {r['tn']}; {r['unsure']} unsure excluded)",
             "", head, row("all", r)]
    for key, title in (("by_format", "format"), ("by_repository", "repository")):
        lines += ["", f"by {title}:"] + [row(k, c) for k, c in r[key].items()]
    for key, title in (("misses", "missed pushback"), ("false_alarms", "false alarms")):
        items = r[key]
        lines += ["", f"{title} ({len(items)}{', first ' + str(show) if len(items) > show else ''}):"]
        for m in items[:show]:
            cue = f"  [{m['cue']}]" if m.get("cue") and key == "false_alarms" else ""
            lines.append(f"  {m['file']}#{m['ordinal']}{cue}: {m['text']}")
    if r["unattached"]:
        lines += ["", f"labels not attached ({len(r['unattached'])}):"]
        lines += [f"  {u['file']}#{u['ordinal']} ({u['label']}): {u['why']}: {u['anchor'][:80]}"
                  for u in r["unattached"][:show]]
    return "\n".join(lines)
