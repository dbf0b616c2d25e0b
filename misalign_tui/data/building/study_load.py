"""Staging the study's files (session mapping, annotated and validated rows, Atlas text) through DuckDB.

Each file is read by DuckDB's JSON reader (streamed: memory does not grow with the file) into ``raw``; the
records in the well-formed shape are normalised in SQL (``study_sql``) into ``st_<kind>``, the others go
through ``study.py`` one by one (normalised the same way, or the one-line error naming file and record).
The checks across records (duplicates, missing join partners) are SQL over the staged rows; of all the
problems of a file, the one ``study.py`` would have met first is reported (record order, then the order of
the checks within a record). ``derive`` then writes the study's sessions, episodes, evidence and validation
rows as SQL.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb

from ..errors import CorpusError
from ..taxonomy import CAUSES, SYMPTOMS, TIERS
from . import study as st
from .jsonio import iter_records, json_type, load_array, sniff
from .study_sql import TEXT_FIELDS, kind_columns, transform_sql

MAX_OBJECT = 64 << 20  # a record larger than this goes through jsonio (the reader buffers this much)
BATCH = 2048
SESSION_FIELDS = ("session_key", "source", "repo", "session_id", "session_count_id", "session_sha", "ts", "platform",
                  "agent", "user_turns", "agent_turns", "num_commits", "license")


class Problem(Exception):
    """A record's error and where among the checks of its kind it happens (for the order of errors)."""

    def __init__(self, rec: int, stage: int, error: CorpusError):
        super().__init__(str(error))
        self.key = (rec, stage)
        self.error = error


def _text(v):
    return v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _session(rec, where) -> dict:
    r = st.session_row(rec, where)
    r["session_key"] = r.pop("key")
    return {k: r[k] for k in SESSION_FIELDS}


class StudyStage:
    """The study's files of one import, staged in ``con`` (see the module doc)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, sources: Counter, skipped: Counter):
        self.con, self.sources, self.skipped = con, sources, skipped
        con.execute("CREATE SCHEMA IF NOT EXISTS stage")
        con.execute("CREATE OR REPLACE TABLE stage.raw (j JSON)")
        self.files: dict[str, list[Path]] = {k: [] for k in ("mapping", "annotated", "validated", "atlas")}
        self.cols: dict[str, list[str]] = {}
        for kind in self.files:
            ok, cols = kind_columns(kind)
            self.cols[kind] = ["file_no", "rec"] + list(cols)
            sel = ", ".join(f"{e} AS {c}" for c, e in cols.items())
            con.execute(transform_sql(kind))
            con.execute(f"CREATE TABLE stage.st_{kind} AS SELECT 0 AS file_no, 0::BIGINT AS rec, {sel} "
                        "FROM stage.recs LIMIT 0")

    # ----- reading -------------------------------------------------------------------------------------
    def _read(self, path: Path, kind: str) -> bool:
        """Fill ``raw`` with the file's records; True for JSON lines. Files DuckDB refuses are read by
        ``jsonio`` (which raises the one-line error of a broken file)."""
        jsonl = kind == "atlas" and not sniff(path, 4096).lstrip().startswith("[")
        try:
            self.con.execute("CREATE OR REPLACE TABLE stage.raw AS SELECT j FROM read_json($p, format = $fmt, "
                             "records = false, columns = {'j': 'JSON'}, maximum_object_size = $max)",
                             {"p": str(path), "fmt": "newline_delimited" if jsonl else "array", "max": MAX_OBJECT})
            if jsonl and self._blank_lines(path):
                raise duckdb.InvalidInputException("blank lines: record numbers are line numbers")
        except duckdb.Error:
            recs = [r for _, r in iter_records(path)] if kind == "atlas" else load_array(path)
            self.con.execute("CREATE OR REPLACE TABLE stage.raw (j JSON)")
            for i in range(0, len(recs), BATCH):
                self.con.executemany("INSERT INTO stage.raw VALUES (?)",
                                     [(json.dumps(r, ensure_ascii=False),) for r in recs[i:i + BATCH]])
        return jsonl

    @staticmethod
    def _blank_lines(path: Path) -> bool:
        with open(path, "rb") as f:
            for line in f:
                if not line.strip():
                    return True
        return False

    # ----- one file ------------------------------------------------------------------------------------
    def add(self, kind: str, path: Path) -> None:
        file_no = len(self.files[kind])
        self.files[kind].append(path)
        try:
            n = self._stage(kind, file_no, path)
        except (duckdb.Error, UnicodeDecodeError) as e:  # what DuckDB cannot take, jsonio explains
            if isinstance(e, duckdb.Error) and not isinstance(e, (duckdb.InvalidInputException,
                                                                  duckdb.ConversionException)):
                raise
            list(iter_records(path)) if kind == "atlas" else load_array(path)
            raise CorpusError(f"unreadable records: {str(e).splitlines()[0]}", path=str(path)) from None
        if n == 0:  # an empty file: jsonio says what is wrong with it, if anything
            list(iter_records(path)) if kind == "atlas" else load_array(path)
        self.sources[path.name] += n

    def _stage(self, kind: str, file_no: int, path: Path) -> int:
        jsonl = self._read(path, kind)
        label = (lambda i: f"line {i + 1}") if jsonl else (lambda i: f"record {i}")
        ok, cols = kind_columns(kind)
        con = self.con
        con.execute(transform_sql(kind))
        con.execute(f"INSERT INTO stage.st_{kind} SELECT {file_no}, rec, {', '.join(cols.values())} "
                    f"FROM stage.recs WHERE {ok}")
        first: Problem | None = None
        bad = con.cursor().execute(f"SELECT rowid, j FROM stage.raw WHERE rowid IN (SELECT rec FROM stage.recs "
                                   f"WHERE NOT coalesce({ok}, false)) ORDER BY rowid")
        while first is None and (batch := bad.fetchmany(BATCH)):
            rows = []
            for rowid, j in batch:
                try:
                    try:
                        rec = json.loads(j)
                    except RecursionError:
                        raise Problem(rowid, 0, CorpusError("malformed JSON: nested too deeply", path=str(path),
                                                            record=label(rowid))) from None
                    row = self._python(kind, file_no, rowid, rec, path, label(rowid))
                except Problem as p:
                    first = p
                    break
                if row is not None:
                    rows.append(tuple(row.get(c) for c in self.cols[kind]))
            if rows:
                con.executemany(f"INSERT INTO stage.st_{kind} VALUES ({', '.join('?' * len(self.cols[kind]))})", rows)
        problems = [p for p in (first, self._cross(kind, file_no, path, label)) if p is not None]
        if problems:
            raise min(problems, key=lambda p: p.key).error
        return con.execute("SELECT count(*) FROM stage.raw").fetchone()[0]

    def _python(self, kind, file_no, rec_no, rec, path, label) -> dict | None:
        """A record SQL left alone, normalised by study.py (or its error, as a Problem)."""
        where = {"path": str(path), "record": label}
        stage = 0

        def fail(e):
            raise Problem(rec_no, stage, e) from None

        if not isinstance(rec, dict):
            fail(CorpusError(f"expected an object, found {json_type(rec)}", **where))
        out = {"file_no": file_no, "rec": rec_no}
        try:
            if kind == "mapping":
                return {**out, **_session(rec, where)}
            ekey, eskey = st.episode_key(rec, where)
            where["record"] = f"{label} {ekey}"
            out.update(episode_key=ekey, episode_session_key=eskey, misalignment_id=ekey.rsplit("/", 1)[1])
            if kind == "annotated":
                stage = 2
                labels = st.episode_labels(rec, where)
                out.update(st.label_columns(labels))
                out["symptom_other"] = labels["symptom_other"]
                stage = 3
                return {**out, **_session(rec, where)}
            if kind == "validated":
                stage = 2
                label_ = rec.get("label")
                if label_ not in ("VALID", "INVALID"):
                    raise CorpusError(f"unknown label {label_!r}; valid: VALID, INVALID", **where)
                stage = 3
                cat = rec.get("invalid_category")
                if label_ == "VALID" and cat:
                    raise CorpusError(f"VALID row with invalid_category {cat!r}", **where)
                stage = 4
                out.update(label=label_, invalid_category=_text(cat), count_id=st._int(rec, "count_id", where),
                           goal=_text(rec.get("alignment_goal")), confidence=_text(rec.get("confidence")))
                stage = 7
                if not self._annotated(ekey, file_no):
                    out.update(_session(rec, where))
                return out
            txt = st.text_fields(rec)  # atlas
            out.update({f: txt[f] for f in TEXT_FIELDS})
            out["symptom_other"] = txt.get("symptom_other")
            out["invalid_label"] = str(rec.get("validation_label") or rec.get("label") or "").upper() == "INVALID"
            out["evidence"] = [{"turn": _text(t), "quote": q, "context": c} for t, q, c in txt["evidence"]]
            return out
        except CorpusError as e:
            fail(e)

    def _annotated(self, ekey: str, file_no: int) -> bool:
        return self.con.execute("SELECT count(*) FROM stage.st_annotated WHERE episode_key = $k", {"k": ekey}).fetchone()[0] \
            + self.con.execute("SELECT count(*) FROM stage.st_validated WHERE episode_key = $k AND file_no < $f",
                               {"k": ekey, "f": file_no}).fetchone()[0] > 0

    # ----- checks across records -----------------------------------------------------------------------
    def _first(self, sql: str, params: dict):
        return self.con.execute(sql + " ORDER BY rec LIMIT 1", params).fetchone()

    def _cross(self, kind: str, f: int, path: Path, label) -> Problem | None:
        p = {"f": f}
        found: list[Problem] = []

        def add(row, stage, message, with_key=True):
            if row is not None:
                rec = row[0]
                record = f"{label(rec)} {row[1]}" if with_key else label(rec)
                found.append(Problem(rec, stage, CorpusError(message(row), path=str(path), record=record)))

        have_mapping = bool(self.files["mapping"])
        if kind == "mapping":
            add(self._first("SELECT rec, session_key FROM (SELECT file_no, rec, session_key, row_number() OVER "
                            "(PARTITION BY session_key ORDER BY file_no, rec) AS k FROM stage.st_mapping) "
                            "WHERE file_no = $f AND k > 1", p), 1, lambda r: f"duplicate session {r[1]}", False)
            return min(found, key=lambda x: x.key) if found else None
        key = "episode_key"
        if kind == "annotated":
            add(self._first("SELECT rec, episode_key FROM (SELECT file_no, rec, episode_key, row_number() OVER "
                            "(PARTITION BY episode_key ORDER BY file_no, rec) AS k FROM stage.st_annotated) "
                            "WHERE file_no = $f AND k > 1", p), 1, lambda r: f"duplicate episode key {r[1]}")
        else:
            add(self._first(f"SELECT rec, {key} FROM (SELECT rec, {key}, row_number() OVER (PARTITION BY {key} "
                            f"ORDER BY rec) AS k FROM stage.st_{kind} WHERE file_no = $f) WHERE k > 1", p), 1,
                (lambda r: f"duplicate episode key {r[1]}") if kind == "validated"
                else (lambda r: f"duplicate text record for {r[1]}"))
        known = ("(SELECT episode_key FROM stage.st_annotated UNION ALL SELECT episode_key FROM stage.st_validated "
                 "WHERE file_no < $f)")
        missing = ("episode {0}: its session {1} is not in the session mapping (missing join partner)")
        if kind == "annotated" and have_mapping:
            add(self._first("SELECT rec, episode_key, session_key FROM stage.st_annotated WHERE file_no = $f AND "
                            "session_key NOT IN (SELECT session_key FROM stage.st_mapping)", p), 4,
                lambda r: missing.format(r[1], r[2]))
        if kind == "validated":
            add(self._first(f"SELECT rec, episode_key FROM stage.st_validated WHERE file_no = $f AND label = 'INVALID' "
                            f"AND episode_key IN {known}", p), 5,
                lambda r: f"{r[1]} is INVALID here but annotated as a valid episode")
            if self.files["annotated"]:
                add(self._first(f"SELECT rec, episode_key FROM stage.st_validated WHERE file_no = $f AND label = 'VALID' "
                                f"AND episode_key NOT IN {known}", p), 6,
                    lambda r: f"VALID candidate {r[1]} has no row in annotated_misalignments (missing join partner)")
            if have_mapping:
                add(self._first(f"SELECT rec, episode_key, session_key FROM stage.st_validated WHERE file_no = $f AND "
                                f"episode_key NOT IN {known} AND session_key NOT IN (SELECT session_key FROM "
                                "stage.st_mapping)", p), 8, lambda r: missing.format(r[1], r[2]))
        if kind == "atlas":
            episodes = "(SELECT episode_key FROM stage.st_annotated UNION ALL SELECT episode_key FROM stage.st_validated)"
            orphan = f"file_no = $f AND episode_key NOT IN {episodes}"
            if not self.files["validated"]:
                self.skipped["text record of an INVALID candidate (no validated_misalignments given)"] += \
                    self.con.execute(f"SELECT count(*) FROM stage.st_atlas WHERE {orphan} AND invalid_label", p).fetchone()[0]
                orphan += " AND NOT invalid_label"
            none = self.con.execute(f"SELECT count(*) = 0 FROM {episodes}").fetchone()[0]
            add(self._first(f"SELECT rec, episode_key FROM stage.st_atlas WHERE {orphan}", p), 2,
                (lambda r: "text records need label rows: import annotated_misalignments.json "
                           "(or validated_misalignments.json) with them") if none
                else (lambda r: f"no label row for text record {r[1]} (missing join partner)"))
        return min(found, key=lambda x: x.key) if found else None

    # ----- the study's sessions, episodes and validation rows ----------------------------------------------
    def derive(self) -> None:
        """``stage.sessions_src`` / ``stage.episodes_src`` / ``stage.validations_src`` from the staged files:
        sessions from the mapping (else the label rows, first occurrence), annotated episodes (VALID, with
        the validated row's count_id), the validated rows that are not annotated, Atlas text (the last file
        that has the key)."""
        con = self.con
        session = ", ".join(SESSION_FIELDS)
        annotated = "(SELECT episode_key FROM stage.st_annotated)"
        con.execute(f"""CREATE OR REPLACE TABLE stage.sessions_src AS
            SELECT {session}, NULL::VARCHAR AS title, NULL::VARCHAR AS origin, NULL::VARCHAR AS parent_session_key,
                   NULL::VARCHAR AS model, NULL::INTEGER AS n_turns, false AS unannotated
            FROM (SELECT *, row_number() OVER (PARTITION BY session_key ORDER BY kind, file_no, rec) AS k FROM (
                SELECT 0 AS kind, file_no, rec, {session} FROM stage.st_mapping
                UNION ALL SELECT 1, file_no, rec, {session} FROM stage.st_annotated
                UNION ALL SELECT 2, file_no, rec, {session} FROM stage.st_validated
                    WHERE episode_key NOT IN {annotated})) WHERE k = 1""")
        labels = ", ".join([c.lower() for c in SYMPTOMS] + [c.lower() for c in CAUSES]
                           + ["severity", "locus", "status", "resolver"])
        symptoms = "[" + ", ".join(f"CASE WHEN {c.lower()} THEN '{c}' END" for c in SYMPTOMS) + "]"
        causes = "[" + ", ".join(f"CASE WHEN {c.lower()} IS NOT NULL THEN '{c}' END" for c in CAUSES) + "]"
        tier_of = "[" + ", ".join(c.lower() for c in CAUSES) + "]"
        tiers = "[" + ", ".join(f"CASE WHEN list_contains({tier_of}, '{t}') THEN '{t}' END" for t in TIERS) + "]"
        con.execute(f"""CREATE OR REPLACE TABLE stage.episodes_src AS
            WITH cid AS (SELECT episode_key, last(count_id ORDER BY file_no, rec) AS count_id FROM stage.st_validated
                         GROUP BY ALL),
                 txt AS (SELECT * EXCLUDE (k) FROM (SELECT *, row_number() OVER (PARTITION BY episode_key
                         ORDER BY file_no DESC) AS k FROM stage.st_atlas) WHERE k = 1)
            SELECT e.* EXCLUDE (symptom_other_label), {', '.join(f't.{f}' for f in TEXT_FIELDS)}, coalesce(t.evidence, []) AS evidence,
                   coalesce(e.symptom_other_label, t.symptom_other) AS symptom_other
            FROM (
                SELECT a.episode_key, a.session_key, a.misalignment_id, c.count_id, 'VALID' AS validation,
                       NULL::VARCHAR AS invalid_category, {labels}, a.goal, a.confidence,
                       list_filter({symptoms}, lambda x: x IS NOT NULL) AS symptoms,
                       list_filter({causes}, lambda x: x IS NOT NULL) AS causes,
                       list_filter({tiers}, lambda x: x IS NOT NULL) AS tiers, a.symptom_other AS symptom_other_label
                FROM stage.st_annotated a LEFT JOIN cid c USING (episode_key)
                UNION ALL BY NAME
                SELECT episode_key, session_key, misalignment_id, count_id, label AS validation, invalid_category,
                       goal, confidence, []::VARCHAR[] AS symptoms, []::VARCHAR[] AS causes, []::VARCHAR[] AS tiers
                FROM (SELECT *, row_number() OVER (PARTITION BY episode_key ORDER BY file_no, rec) AS k
                      FROM stage.st_validated WHERE episode_key NOT IN {annotated}) WHERE k = 1
            ) e LEFT JOIN txt t USING (episode_key)""")
        con.execute("""CREATE OR REPLACE TABLE stage.validations_src AS SELECT episode_key, count_id, label,
            invalid_category FROM stage.st_validated ORDER BY file_no, rec""")
