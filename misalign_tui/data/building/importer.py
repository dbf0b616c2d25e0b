"""``misalign-tui import``: any mix of the study's files, Atlas text records and transcripts -> corpus."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError
from . import study as st
from ..turns import parse_turn_ref
from .builder import EPISODE_COLS, SESSION_COLS, CorpusBuilder
from .pushback.signals import detect
from .sources import ACCEPTS, Discovery, classify, collect  # noqa: F401 (classify: part of the importer's API)

MAX_CANDIDATES = 50  # candidate episodes per unannotated session
KINDS = ("mapping", "annotated", "validated", "atlas", "parsed", "transcript")


@dataclass
class ImportReport:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    files: dict[str, str] = field(default_factory=dict)  # transcript file -> one-line report
    not_imported: list[tuple[str, str]] = field(default_factory=list)  # (file or folder, why) — see sources.py

    def lines(self) -> list[str]:
        out = [f"wrote {self.out}"]
        out += [f"  {t:<13} {n:>10,}" for t, n in self.counts.items()]
        if self.sources:
            out.append("read:")
            out += [f"  {k:<40} {v:>10,} records" for k, v in self.sources.items()]
        if self.files:
            out.append("transcript files:")
            out += [f"  {k if k.startswith(('/dev/', '/proc/')) else Path(k).name}: {v}"  # /dev/fd/63: whole
                    for k, v in sorted(self.files.items())]
        if self.skipped:
            out.append("skipped:")
            out += [f"  {v:>8,}  {k}" for k, v in self.skipped.most_common()]
        if self.not_imported:
            out.append("not imported:")
            out += [f"  {what}: {why}" for what, why in self.not_imported]
        return out


class JoinedSources:
    """What the sources say, joined by canonical key: sessions (mapping, label rows, transcripts), episodes
    (annotated and validated rows, Atlas texts, detected candidates) and turns; ``emit`` writes the rows."""

    def __init__(self, b: CorpusBuilder):
        self.b = b
        self.sessions: dict[str, dict] = {}
        self.have_mapping = False
        self.episodes: dict[str, dict] = {}
        self.have_labels = False
        self.have_validated = False
        self.turns: dict[str, list] = {}  # session key -> merged turns
        self.turn_ts: dict[str, list] = {}  # session key -> timestamp per turn (imported transcripts)
        self.tool_calls: dict[str, list] = {}  # session key -> [turn_no, seq, name, input, is_error]
        self.tool_events: dict[str, list] = {}  # session key -> (turn_no, call, is_error) for the detector
        self.report_files: dict[str, str] = {}
        self._by_repo_cid: dict | None = None  # (repo, session_count_id) -> session keys, for transcripts

    def mapping(self, path: Path):
        self.have_mapping = True
        recs = st.load_array(path)
        for i, rec in enumerate(recs):
            where = {"path": str(path), "record": f"record {i}"}
            row = st.session_row(rec, where)
            if row["key"] in self.sessions:
                raise CorpusError(f"duplicate session {row['key']}", **where)
            self.sessions[row["key"]] = row
        self.b.sources[path.name] += len(recs)

    def _session_for(self, rec, ekey, where):
        row = st.session_row(rec, where)
        if row["key"] not in self.sessions:
            if self.have_mapping:
                raise CorpusError(f"episode {ekey}: its session {row['key']} is not in the session mapping "
                                  "(missing join partner)", **where)
            self.sessions[row["key"]] = row
        return row["key"]

    def annotated(self, path: Path):
        self.have_labels = True
        recs = st.load_array(path)
        for i, rec in enumerate(recs):
            where = {"path": str(path), "record": f"record {i}"}
            ekey, _ = st.episode_key(rec, where)
            where["record"] = f"record {i} {ekey}"
            if ekey in self.episodes:
                raise CorpusError(f"duplicate episode key {ekey}", **where)
            labels = st.episode_labels(rec, where)
            skey = self._session_for(rec, ekey, where)
            self.episodes[ekey] = {"skey": skey, "mid": ekey.rsplit("/", 1)[1], "validation": "VALID",
                                   "labels": labels, "count_id": None, "invalid_category": None}
        self.b.sources[path.name] += len(recs)

    def validated(self, path: Path):
        self.have_validated = True
        recs = st.load_array(path)
        seen = set()
        for i, rec in enumerate(recs):
            where = {"path": str(path), "record": f"record {i}"}
            ekey, _ = st.episode_key(rec, where)
            where["record"] = f"record {i} {ekey}"
            if ekey in seen:
                raise CorpusError(f"duplicate episode key {ekey}", **where)
            seen.add(ekey)
            label = rec.get("label")
            if label not in ("VALID", "INVALID"):
                raise CorpusError(f"unknown label {label!r}; valid: VALID, INVALID", **where)
            cat = rec.get("invalid_category")
            if label == "VALID" and cat:
                raise CorpusError(f"VALID row with invalid_category {cat!r}", **where)
            cid = st._int(rec, "count_id", where)
            self.b.validations.append((ekey, cid, label, cat))
            ep = self.episodes.get(ekey)
            if ep is not None:
                if label == "INVALID":
                    raise CorpusError(f"{ekey} is INVALID here but annotated as a valid episode", **where)
                ep["count_id"] = cid
                continue
            if label == "VALID" and self.have_labels:
                raise CorpusError(f"VALID candidate {ekey} has no row in annotated_misalignments "
                                  "(missing join partner)", **where)
            skey = self._session_for(rec, ekey, where)
            self.episodes[ekey] = {"skey": skey, "mid": ekey.rsplit("/", 1)[1], "validation": label,
                                   "labels": None, "count_id": cid, "invalid_category": cat,
                                   "goal": rec.get("alignment_goal"), "confidence": rec.get("confidence")}
        self.b.sources[path.name] += len(recs)

    def atlas(self, path: Path):
        n = 0
        seen = set()
        for rec_label, rec in st.load_text_records(path):
            where = {"path": str(path), "record": rec_label}
            ekey, _ = st.episode_key(rec, where)
            where["record"] = f"{rec_label} {ekey}"
            if ekey in seen:
                raise CorpusError(f"duplicate text record for {ekey}", **where)
            seen.add(ekey)
            n += 1
            ep = self.episodes.get(ekey)
            if ep is None:
                invalid = str(rec.get("validation_label") or rec.get("label") or "").upper() == "INVALID"
                if invalid and not self.have_validated:
                    self.b.skipped["text record of an INVALID candidate (no validated_misalignments given)"] += 1
                    continue
                if not self.episodes:
                    raise CorpusError("text records need label rows: import annotated_misalignments.json "
                                      "(or validated_misalignments.json) with them", **where)
                raise CorpusError(f"no label row for text record {ekey} (missing join partner)", **where)
            ep["text"] = st.text_fields(rec)
            for ref, _quote, _ctx in ep["text"]["evidence"]:
                num, _role = parse_turn_ref(ref)
                if num is not None and num > st.INT_MAX:  # caught here, not as a failed write of the corpus
                    raise CorpusError(f"evidence turn {num} is out of range (at most {st.INT_MAX:,})", **where)
        self.b.sources[path.name] += n

    def parsed(self, path: Path):
        ids = st.workspace_ids(path)
        header, turns = st.parsed_session(path)
        if ids is None:
            self.b.skipped["parsed session outside workspace/{repo}/session_parsed/"] += 1
            return
        repo, cid = ids
        sid = f"session_{cid:03d}"
        if self._by_repo_cid is None:
            self._by_repo_cid = {}
            for k, s in self.sessions.items():
                self._by_repo_cid.setdefault((s["repo"], s.get("session_count_id")), []).append(k)
        keys = self._by_repo_cid.get((repo, cid), [])
        if len(keys) > 1:
            raise CorpusError(f"repository {repo} exists in several sources ({', '.join(keys)}); "
                              "import this workspace separately with --source", path=str(path))
        if not keys:
            if self.have_mapping:
                self.b.skipped["transcript of a session not in the session mapping"] += 1
                return
            key = f"study/{repo}/{sid}"
            self.sessions[key] = {"key": key, "source": "study", "repo": repo, "session_id": sid,
                                  "session_count_id": cid, "ts": st.parse_ts(header["timestamp"], {"path": str(path)}),
                                  "platform": None, "agent": None, "unannotated": not self.have_labels}
            keys = [key]
            self._by_repo_cid[(repo, cid)] = keys
        self.turns[keys[0]] = turns
        self.sessions[keys[0]]["title"] = header["title"]
        self.sessions[keys[0]]["origin"] = str(path)
        self.b.sources["parsed sessions"] += 1

    def _candidates(self, key: str, turns, signals) -> None:
        """Unannotated sessions: each detected pushback turn becomes a CANDIDATE episode to browse."""
        by_turn = {t.turn_no: t for t in turns}
        for sig in sorted((s for s in signals if s.kind == "pushback"), key=lambda s: s.turn_no)[:MAX_CANDIDATES]:
            text = by_turn[sig.turn_no].text
            quote = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:200]
            ekey = f"{key}/P{sig.turn_no:03d}"
            self.episodes[ekey] = {
                "skey": key, "mid": f"P{sig.turn_no:03d}", "validation": "CANDIDATE", "labels": None,
                "count_id": None, "invalid_category": None,
                "text": {"name": f"Candidate pushback at turn {sig.turn_no} — {sig.cue.split(':')[0]}",
                         "description": f"Detected without annotation ({sig.cue}, score {sig.score:.1f}). "
                                        f"Turn {sig.turn_no}: {text[:300]}",
                         "evidence": [(f"TURN {sig.turn_no} | USER", quote, sig.cue)]},
            }

    # ------------------------------------------------------------------------------------
    def emit(self):
        b = self.b
        numbers = {}
        annotated = {ep["skey"] for ep in self.episodes.values()}
        for no, (key, s) in enumerate(sorted(self.sessions.items()), 1):
            numbers[key] = no
            turns = self.turns.get(key)
            row = {**s, "session_no": no, "session_key": key, "parent_session_key": s.get("parent"),
                   "n_turns": len(turns) if turns is not None else None}
            b.sessions.append(tuple(row.get(c) for c in SESSION_COLS))
            if not turns:
                continue
            stamps = self.turn_ts.get(key) or [None] * len(turns)
            for t, ts in zip(turns, stamps):
                b.turns.append((no, t.turn_no, t.role, ts, t.n_messages, t.text))
            for call in self.tool_calls.get(key, ()):
                b.tool_calls.append((no, *call))
            signals = detect(turns, self.tool_events.get(key))
            for sig in signals:
                b.signals.append((no, sig.turn_no, sig.kind, sig.cue, sig.score))
            if s.get("unannotated") and key not in annotated:
                self._candidates(key, turns, signals)
        for eno, (ekey, ep) in enumerate(sorted(self.episodes.items()), 1):
            turns = self.turns.get(ep["skey"])
            n_turns = len(turns) if turns is not None else None
            txt = ep.get("text") or {}
            quotes = []
            for seq, (ref, quote, ctx) in enumerate(txt.get("evidence", ()), 1):
                num, role, problem = st.resolve_evidence(ref, None, n_turns)
                if problem:
                    b.skipped[problem] += 1
                b.evidence.append((eno, seq, ref, num, role, quote, ctx))
                quotes.append(quote)
            row = {**txt, "episode_no": eno, "episode_key": ekey, "session_no": numbers[ep["skey"]],
                   "session_key": ep["skey"], "misalignment_id": ep["mid"], "count_id": ep["count_id"],
                   "validation": ep["validation"], "invalid_category": ep["invalid_category"],
                   "symptoms": [], "causes": [], "tiers": [], "quotes": " ".join(quotes)}
            lab = ep["labels"]
            if lab:
                row.update(st.label_columns(lab))
                row["symptom_other"] = lab["symptom_other"] or txt.get("symptom_other")
            else:  # a rejected candidate: what the extraction said (validated_misalignments.json)
                row.update(goal=ep.get("goal"), confidence=ep.get("confidence"), symptom_other=None)
            b.episodes.append(tuple(row.get(c) for c in EPISODE_COLS))


def run_import(sources: list[str], out: Path, *, force: bool = False, source_name: str | None = None,
               progress=None) -> ImportReport:
    """Import ``sources`` into the corpus file ``out`` (atomic; ``force`` replaces an existing corpus, never
    one of the sources)."""
    from ..outputs import Protected, check_output

    builder = CorpusBuilder(Path(out), force=force)
    found = collect(sources)
    try:
        check_output(out, force=force, stream=False, what="corpus",
                     inputs=[Protected(f, "one of the sources") for files in found.found.values() for f in files])
        joined = JoinedSources(builder)
        _read(found, joined, source_name, progress)
        for s in joined.sessions.values():  # private copies (pipes, re-encoded files) under the names given
            if s.get("origin") in found.origin:
                s["origin"] = found.origin[s["origin"]]
        if not joined.sessions and not joined.episodes:
            why = "; ".join(f"{found.display(f)}: {r}" for f, r in joined.report_files.items()) or "nothing in them"
            raise CorpusError(f"nothing to import ({why}); {ACCEPTS}")
        joined.emit()
    finally:
        found.cleanup()
    report = ImportReport(Path(out))
    report.counts = builder.write(progress=(lambda i, n: progress("writing", i, n)) if progress else None)
    report.skipped = builder.skipped
    report.sources = builder.sources
    report.files = {found.display(k): v for k, v in joined.report_files.items()}
    report.not_imported = found.not_imported
    return report


def _read(found: Discovery, joined: JoinedSources, source_name: str | None, progress) -> None:
    total, done = len(found), 0
    for kind in KINDS:
        for path in found.found.get(kind, ()):
            try:
                if kind == "transcript":
                    from .transcript_sessions import add_transcript_file  # the transcript parsers load when needed
                    add_transcript_file(joined, path, source_name)
                else:
                    getattr(joined, kind)(path)
            except CorpusError as e:
                raise CorpusError(found.display(str(e))) from None
            done += 1
            if progress:
                progress("reading", done, total)
