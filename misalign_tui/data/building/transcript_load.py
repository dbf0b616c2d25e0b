"""Loading transcripts (the study's parsed sessions and raw SpecStory / Claude Code / Codex files) into the
staging area: parsed and run through the pushback detector in a pool of worker processes
(``transcript_sessions.parse_one``), their rows written to DuckDB in batches of newline-delimited JSON, so
memory holds one batch, not the corpus. The joins with the study's sessions follow the old importer: a
parsed session belongs to the session of its repository and number; a transcript whose session key is
already there is a twin export and skipped; unannotated sessions get their detected pushback as CANDIDATE
episodes."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from ..errors import CorpusError
from . import study as st
from .transcript_sessions import parse_one

BATCH_BYTES = 32 << 20  # text staged per batch
POOL_MIN_BYTES = 4 << 20  # smaller imports parse in this process (a pool costs more to start than it saves)
SESSION_COLS = ("session_key", "source", "repo", "session_id", "session_count_id", "session_sha", "ts", "platform",
                "agent", "user_turns", "agent_turns", "num_commits", "license", "title", "origin",
                "parent_session_key", "model", "n_turns", "unannotated")
EPISODE_COLS = ("episode_key", "session_key", "misalignment_id", "validation", "symptoms", "causes", "tiers", "name",
                "description", "evidence")
TABLES = {"sessions_src": SESSION_COLS, "turns_src": ("session_key", "turn_no", "role", "ts", "n_messages", "text"),
          "tool_calls_src": ("session_key", "turn_no", "seq", "name", "input_summary", "is_error"),
          "signals_src": ("session_key", "turn_no", "kind", "cue", "score"), "episodes_src": EPISODE_COLS,
          "parsed_src": ("session_key", "title", "origin", "n_turns")}


def _json_default(o):
    if isinstance(o, datetime):
        return o.isoformat(sep=" ")
    raise TypeError(type(o).__name__)


class TranscriptLoader:
    """Stages the transcript files of one import (see the module doc)."""

    def __init__(self, con, sources: Counter, skipped: Counter, report_files: dict, source_name: str | None,
                 workdir: Path):
        self.con, self.sources, self.skipped, self.report_files = con, sources, skipped, report_files
        self.source_name = source_name
        con.execute("CREATE TABLE stage.parsed_src (session_key VARCHAR, title VARCHAR, origin VARCHAR, "
                    "n_turns INTEGER)")
        self.keys = {r[0] for r in con.execute("SELECT session_key FROM stage.sessions_src").fetchall()}
        self.annotated = {r[0] for r in con.execute("SELECT DISTINCT session_key FROM stage.episodes_src").fetchall()}
        self.have_mapping = con.execute("SELECT count(*) > 0 FROM stage.st_mapping").fetchone()[0]
        self.have_labels = con.execute("SELECT count(*) > 0 FROM stage.st_annotated").fetchone()[0]
        self.by_repo_cid: dict | None = None
        self.bufs: dict[str, list[str]] = {t: [] for t in TABLES}
        self.size = 0
        self.workdir = workdir
        self.encode = json.JSONEncoder(default=_json_default, ensure_ascii=False).encode

    # ----- parsing, in a pool when it pays ------------------------------------------------------------
    def run(self, files: list[tuple[str, Path]], progress=None) -> None:
        jobs = [(kind, str(p), self.source_name, True) for kind, p in files]
        total = sum(p.stat().st_size for _, p in files)
        workers = min(os.cpu_count() or 1, 4)
        if total >= POOL_MIN_BYTES and workers > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                results = pool.map(parse_one, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8))))
                self._consume(results, len(jobs), progress)
        else:
            self._consume(map(parse_one, jobs), len(jobs), progress)
        self.flush()
        self.con.execute("""UPDATE stage.sessions_src s SET title = p.title, origin = p.origin, n_turns = p.n_turns
            FROM stage.parsed_src p WHERE s.session_key = p.session_key""")

    def _consume(self, results, total: int, progress) -> None:
        for done, r in enumerate(results, 1):
            if "error" in r:
                raise CorpusError(r["error"])
            if r["kind"] == "parsed":
                self._parsed(r)
            else:
                self._transcript(r)
            if progress:
                progress("reading transcripts", done, total)

    # ----- joining ---------------------------------------------------------------------------------------
    def _parsed(self, r: dict) -> None:
        if r["ids"] is None:
            self.skipped["parsed session outside workspace/{repo}/session_parsed/"] += 1
            return
        repo, cid = r["ids"]
        if self.by_repo_cid is None:
            self.by_repo_cid = {}
            for key, rrepo, rcid in self.con.execute(
                    "SELECT session_key, repo, session_count_id FROM stage.sessions_src ORDER BY session_key").fetchall():
                self.by_repo_cid.setdefault((rrepo, rcid), []).append(key)
        keys = self.by_repo_cid.get((repo, cid), [])
        if len(keys) > 1:
            raise CorpusError(f"repository {repo} exists in several sources ({', '.join(keys)}); "
                              "import this workspace separately with --source", path=r["path"])
        header = r["header"]
        turns, calls, signals, cands = r["rows"]
        if not keys:
            if self.have_mapping:
                self.skipped["transcript of a session not in the session mapping"] += 1
                return
            key = f"study/{repo}/session_{cid:03d}"
            self._add("sessions_src", {"session_key": key, "source": "study", "repo": repo,
                                       "session_id": f"session_{cid:03d}", "session_count_id": cid,
                                       "ts": st.parse_ts(header["timestamp"], {"path": r["path"]}),
                                       "unannotated": not self.have_labels, "title": header["title"],
                                       "origin": r["path"], "n_turns": len(turns)})
            self.by_repo_cid[(repo, cid)] = [key]
            self.keys.add(key)
            unannotated = not self.have_labels
        else:
            key = keys[0]
            self._add("parsed_src", {"session_key": key, "title": header["title"], "origin": r["path"],
                                     "n_turns": len(turns)})
            unannotated = False  # a session of the study's files is annotated (or a rejected candidate's)
        self._session_rows(key, turns, calls, signals, cands if unannotated else [])
        self.sources["parsed sessions"] += 1

    def _transcript(self, r: dict) -> None:
        path = r["path"]
        if "unreadable" in r:
            self.skipped[f"unreadable transcript file ({r['unreadable']})"] += 1
            self.report_files[path] = f"unreadable: {r['unreadable']}"
            return
        if not r["sessions"]:
            self.skipped["file of no known transcript format"] += 1
            self.report_files[path] = "no known transcript format"
            return
        notes = []
        for s in r["sessions"]:
            session, fmt = s["session"], s["format"]
            key = session["key"]
            if key in self.keys:
                self.skipped[f"{fmt}: session already imported (twin export)"] += 1
                notes.append(f"{key}: duplicate, skipped")
                continue
            self.keys.add(key)
            turns, calls, signals, cands = s["rows"]
            row = {**session, "session_key": key, "parent_session_key": session.get("parent"),
                   "n_turns": len(turns)}
            self._add("sessions_src", row)
            self._session_rows(key, turns, calls, signals, cands if key not in self.annotated else [])
            for reason, n in s["skipped"].items():
                self.skipped[f"{fmt}: {reason}"] += n
            skipped = sum(s["skipped"].values())
            notes.append(f"{len(turns)} turns, {s['lines']} lines read" + (f", {skipped} skipped" if skipped else ""))
            self.sources[f"{fmt} transcripts"] += 1
        self.report_files[path] = "; ".join(notes)

    def _session_rows(self, key, turns, calls, signals, cands) -> None:
        for t in turns:
            self._add("turns_src", (key, *t))
        for c in calls:
            self._add("tool_calls_src", (key, *c))
        for sig in signals:
            self._add("signals_src", (key, *sig))
        for c in cands:
            self._add("episodes_src", {"episode_key": f"{key}/{c['mid']}", "session_key": key,
                                       "misalignment_id": c["mid"], "validation": "CANDIDATE", "symptoms": [],
                                       "causes": [], "tiers": [], "name": c["name"],
                                       "description": c["description"], "evidence": c["evidence"]})

    # ----- batches ---------------------------------------------------------------------------------------
    def _add(self, table: str, row) -> None:
        if isinstance(row, dict):
            row = [row.get(c) for c in TABLES[table]]
        line = self.encode(row)
        self.bufs[table].append(line)
        self.size += len(line)
        if self.size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        for table, lines in self.bufs.items():
            if not lines:
                continue
            fd, name = tempfile.mkstemp(prefix=".stage.", suffix=".jsonl", dir=self.workdir)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
                    f.write("\n")
                cols = TABLES[table]
                types = {r[0]: r[1] for r in self.con.execute(f"DESCRIBE stage.{table}").fetchall()}
                sel = ", ".join(
                    f"CAST(json_extract{'' if types[c].endswith(('[]', ')')) else '_string'}(j, '$[{i}]') AS {types[c]}) "
                    f"AS {c}" for i, c in enumerate(cols))
                self.con.execute(f"INSERT INTO stage.{table} BY NAME SELECT {sel} FROM (SELECT json AS j FROM "
                                 "read_json($p, format = 'newline_delimited', records = false, columns = "
                                 "{'json': 'JSON'}, maximum_object_size = 134217728))", {"p": name})
            finally:
                os.unlink(name)
            lines.clear()
        self.size = 0
