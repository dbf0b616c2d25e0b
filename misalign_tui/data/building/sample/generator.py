"""``generate``: write a deterministic synthetic corpus in the study's own file formats."""

from __future__ import annotations

import json
import random
from json.encoder import encode_basestring_ascii
from pathlib import Path

from ...taxonomy import INVALID_CATEGORIES
from . import corpus
from . import params
from .atlas import annotated_row, atlas_record, session_row, validated_row
from .labels import LabelSampler, cumulative, ensure_codes, pick
from .plan import Cand, plan
from .render import make_project, render, title_of

SOURCE_ORDER = {"specstory": 0, "swe": 1}
_MONTH_WEIGHTS = [w for _, w in params.MONTHS]
_CENTER = sum(i * w for i, w in enumerate(_MONTH_WEIGHTS)) / sum(_MONTH_WEIGHTS)


def _x(month: str) -> float:
    """Position of a month in the study window, about -1.5 (early) .. +1 (late), 0 at the mass centre."""
    return max(-1.5, min(1.5, (corpus.MONTH_INDEX[month] - _CENTER) / 7.0))


def _labels(sessions, seed) -> None:
    """VALID labels and INVALID candidates for every session (in corpus order)."""
    sampler = LabelSampler()
    rng = random.Random(corpus.mix(seed, "labels"))
    per_session = []
    labs = []
    for s in sessions:
        prev: list[str] = []
        mine = []
        for _ in range(s.n_valid):
            lab = sampler.sample(rng, s.platform, _x(s.month), prev)
            prev.extend(lab["symptoms"])
            mine.append(lab)
        per_session.append(mine)
        labs.extend(mine)
    ensure_codes(labs, rng)
    cats, ccum = cumulative(params.INVALID_WEIGHTS)
    goals, conf = cumulative(params.GOAL_WEIGHTS), cumulative(params.CONFIDENCE_INVALID)
    invalid = []
    for s, mine in zip(sessions, per_session):
        s.cands = [Cand(True, lab) for lab in mine]
        for _ in range(s.n_invalid):
            cat = pick(rng, cats, ccum)
            if cat == "custom":
                cat = params.CUSTOM_CATEGORIES[rng.randrange(len(params.CUSTOM_CATEGORIES))]
            c = Cand(False, category=cat, goal=pick(rng, *goals), confidence=pick(rng, *conf))
            s.cands.append(c)
            invalid.append(c)
    if len(invalid) >= 30:  # every invalid category (and one custom) at least once
        for want in [*INVALID_CATEGORIES, params.CUSTOM_CATEGORIES[0]]:
            counts: dict[str, int] = {}
            for c in invalid:
                counts[c.category] = counts.get(c.category, 0) + 1
            if want in counts or (want.startswith("custom:") and any(k.startswith("custom:") for k in counts)):
                continue
            donors = [c for c in invalid if counts[c.category] >= 3]
            donors[rng.randrange(len(donors))].category = want


def _value(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    return encode_basestring_ascii(v)


def _write_records(path: Path, rows) -> None:
    """Stream ``json.dumps(list(rows), indent=2)`` (pandas-style records) for flat records of
    str/int/bool/None, several times faster than the json module's indenting encoder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        sep = "[\n"
        for row in rows:
            f.write(sep + "  {\n" + ",\n".join(f"    {encode_basestring_ascii(k)}: {_value(v)}"
                                                 for k, v in row.items()) + "\n  }")
            sep = ",\n"
        f.write("[]" if sep == "[\n" else "\n]")


def generate(out_dir: Path, sessions: int = 300, seed: int = 7, *, transcripts: bool = True,
             progress=None) -> dict:
    """Write a synthetic corpus of ``sessions`` sessions under ``out_dir``; returns a summary.

    Layout: ``data/core/{session_mapping,annotated_misalignments,validated_misalignments}.json``,
    ``atlas/misalignments.jsonl`` (licensed repositories only) and, unless ``transcripts`` is
    False, ``workspace/{repository_id}/session_parsed/session_###.json``. Same (sessions, seed)
    -> byte-identical files. ``progress(done, total)`` is called as sessions are rendered.
    Files of an earlier run in ``out_dir`` are overwritten but never deleted: use a fresh directory.
    """
    out = Path(out_dir)
    n = max(1, int(sessions))
    rng = random.Random(corpus.mix(seed, "corpus", n))
    repos = corpus.build(n, seed, rng)
    corpus.ensure_long(repos, rng)
    corpus.assign_episodes(repos, rng)
    repos.sort(key=lambda r: (SOURCE_ORDER[r.source], r.rid))
    all_sessions = [s for r in repos for s in r.sessions]
    _labels(all_sessions, seed)

    ws = out / "workspace"
    paths = {
        "session_mapping": out / "data" / "core" / "session_mapping.json",
        "annotated": out / "data" / "core" / "annotated_misalignments.json",
        "validated": out / "data" / "core" / "validated_misalignments.json",
        "atlas": out / "atlas" / "misalignments.jsonl",
        "workspace": ws,
    }
    n_transcripts = n_turns = n_msgs = n_atlas = 0
    paths["atlas"].parent.mkdir(parents=True, exist_ok=True)
    atlas = open(paths["atlas"], "w", encoding="utf-8")
    step = max(1, len(all_sessions) // 100)
    proj_repo, proj = None, None
    for i, s in enumerate(all_sessions):
        r = s.repo
        if r is not proj_repo:
            proj_repo, proj = r, make_project(r)
            made_dir = False
        prng = random.Random(corpus.mix(seed, "plan", r.source, r.rid, s.count_id))
        upins, apins = plan(s, proj, prng)
        title, request = title_of(proj, prng)
        upins.setdefault(1, [request])
        if transcripts and s.transcript:
            frng = random.Random(corpus.mix(seed, "fill", r.source, r.rid, s.count_id))
            msgs = render(s, proj, upins, apins, frng)
            fallback = frng.random() < 0.03
            ts = s.ts_str.replace(" ", "T") + "Z" if frng.random() < 0.2 else s.ts_str
            platform = s.agent if s.agent != "Unknown" else s.platform
            doc = {"title": title, ("created_at" if fallback else "timestamp"): ts,
                   ("agent" if fallback else "platform"): platform, "messages": msgs}
            d = ws / str(r.rid) / "session_parsed"
            if not made_dir:
                d.mkdir(parents=True, exist_ok=True)
                made_dir = True
            (d / f"{s.sid}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            n_transcripts += 1
            n_turns += s.ut + s.at
            n_msgs += len(msgs)
        if r.licensed:
            for c in s.cands:
                atlas.write(json.dumps(atlas_record(s, c, title), ensure_ascii=False) + "\n")
                n_atlas += 1
        for c in s.cands:  # text is written: keep only the labels
            c.ctx = c.evidence = None
        if progress is not None and (i + 1) % step == 0:
            progress(i + 1, len(all_sessions))
    if progress is not None and len(all_sessions) % step:
        progress(len(all_sessions), len(all_sessions))

    atlas.close()
    _write_records(paths["session_mapping"], (session_row(s) for s in all_sessions))
    by_label = sorted(all_sessions, key=lambda s: (SOURCE_ORDER[s.repo.source], str(s.repo.rid), s.count_id))
    pairs = [(s, c) for s in by_label for c in s.cands]
    n_valid = sum(c.valid for _, c in pairs)
    _write_records(paths["annotated"], (annotated_row(s, c) for s, c in pairs if c.valid))
    _write_records(paths["validated"], (validated_row(s, c, i) for i, (s, c) in enumerate(pairs)))
    if not n_transcripts:
        del paths["workspace"]
    return {
        "sessions": len(all_sessions), "repositories": len(repos), "episodes": n_valid,
        "candidates": len(pairs), "atlas_records": n_atlas, "transcripts": n_transcripts,
        "turns": sum(s.ut + s.at for s in all_sessions), "transcript_turns": n_turns, "messages": n_msgs,
        "paths": {k: str(v) for k, v in paths.items()},
    }
