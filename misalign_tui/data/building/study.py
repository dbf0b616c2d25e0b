"""Rows from the study's files: data/core labels, session mapping, Atlas text, parsed sessions."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from ..errors import CorpusError
from ..taxonomy import AXIS_BY_NAME, C7_MARKER, CAUSES, SYMPTOMS, TIERS, wide_column
from ..turns import merge_turns, parse_turn_ref
from .jsonio import iter_records, load_array, read_text

DATASET_ALIASES = {"specstory-chat": "specstory", "swe-chat": "swe", "specstory": "specstory", "swe": "swe"}
_SESSION_FILE = re.compile(r"session_(\d+)\.json$")
INT_MAX = 2**31 - 1  # the corpus stores counts and ids as INTEGER
# The importer's mapping of the taxonomy: the field of an annotated row that holds each single-valued label
# axis, and whether it may be null. (Symptoms and causes are the S1…S8 / C1…C7 fields.)
LABEL_FIELDS: dict[str, tuple[str, bool]] = {
    "severity": ("damage_severity", False),
    "locus": ("damage_locus", True),
    "status": ("resolution_status", False),
    "resolver": ("resolver", True),
    "goal": ("alignment_goal", True),
    "confidence": ("confidence", True),
}


def _in_range(key: str, v: int, where: dict) -> int:
    if not -INT_MAX - 1 <= v <= INT_MAX:
        raise CorpusError(f"{key} {v} is out of range for a 32-bit integer", **where)
    return v


def repo_key(value, where: dict) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CorpusError("missing repository_id", **where)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def session_name(rec: dict, where: dict) -> tuple[str, int | None]:
    """(session_###, session_count_id) from session_id or session_count_id."""
    sid, cid = rec.get("session_id"), rec.get("session_count_id")
    if cid is not None:
        try:
            cid = int(cid)
        except (TypeError, ValueError, OverflowError):
            raise CorpusError(f"session_count_id {cid!r} is not a number", **where) from None
        _in_range("session_count_id", cid, where)
    if sid:
        m = re.fullmatch(r"session_(\d+)", str(sid))
        if m and cid is None:
            cid = _in_range("session_id number", int(m.group(1)), where)
        return str(sid), cid
    if cid is None:
        raise CorpusError("missing session_id / session_count_id", **where)
    return f"session_{cid:03d}", cid


def parse_ts(value, where: dict) -> datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("T", " ").rstrip("Z")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise CorpusError(f"session_timestamp {value!r} is not YYYY-MM-DD HH:MM:SS", **where) from None


def _int(rec, key, where):
    v = rec.get(key)
    if v is None or v == "":
        return None
    try:
        n = int(v)
    except (TypeError, ValueError, OverflowError):
        raise CorpusError(f"{key} {v!r} is not a number", **where) from None
    return _in_range(key, n, where)


def session_row(rec: dict, where: dict) -> dict:
    """Session fields of a mapping / annotated / validated row."""
    source = str(rec.get("source") or "").strip().lower()
    if not source:
        raise CorpusError("missing source", **where)
    repo = repo_key(rec.get("repository_id"), where)
    sid, cid = session_name(rec, where)
    platform = rec.get("session_type")
    if platform not in (None, "IDE", "CLI"):
        raise CorpusError(f"unknown session_type {platform!r}; valid: IDE, CLI", **where)
    return {
        "key": f"{source}/{repo}/{sid}", "source": source, "repo": repo, "session_id": sid,
        "session_count_id": cid, "session_sha": rec.get("session_sha"),
        "ts": parse_ts(rec.get("session_timestamp"), where), "platform": platform,
        "agent": rec.get("agent") or "Unknown", "user_turns": _int(rec, "user_turns", where),
        "agent_turns": _int(rec, "agent_turns", where), "num_commits": _int(rec, "num_commits", where),
        "license": rec.get("license_type"),
    }


def _one_of(rec, key, vocab, where, *, nullable=False):
    v = rec.get(key)
    if v is None and nullable:
        return None
    if not isinstance(v, str) or v not in vocab:  # (vocabularies are dicts: a list value is unhashable)
        valid = ", ".join(vocab)
        raise CorpusError(f"unknown {key} {v!r}; valid: {valid}{' or null' if nullable else ''}", **where)
    return v


def episode_labels(rec: dict, where: dict) -> dict:
    """Validated labels of an annotated row; unknown codes and broken rules raise CorpusError."""
    for k in rec:
        if re.fullmatch(r"S\d+", k) and k not in SYMPTOMS:
            raise CorpusError(f"unknown symptom column {k}; valid: S1..S8", **where)
        if re.fullmatch(r"C\d+", k) and k not in CAUSES:
            raise CorpusError(f"unknown cause column {k}; valid: C1..C7", **where)
    sym = {}
    for code in SYMPTOMS:
        v = rec.get(code, False)
        if v in (True, 1, "true", "True"):
            sym[code] = True
        elif v in (False, 0, None, "false", "False"):
            sym[code] = False
        else:
            raise CorpusError(f"{code} must be true/false, found {v!r}", **where)
    causes = {}
    for code in CAUSES:
        v = rec.get(code)
        if code == "C7":
            if v not in (None, C7_MARKER):
                raise CorpusError(f"C7 must be {C7_MARKER!r} or null, found {v!r}", **where)
        elif v is not None and (not isinstance(v, str) or v not in TIERS):
            raise CorpusError(f"unknown evidence tier {v!r} for {code}; valid: {', '.join(TIERS)}", **where)
        causes[code] = v
    labels = {axis: _one_of(rec, name, AXIS_BY_NAME[axis].codes, where, nullable=nullable)
              for axis, (name, nullable) in LABEL_FIELDS.items()}
    sev, locus, status, resolver = labels["severity"], labels["locus"], labels["status"], labels["resolver"]
    if locus is not None and sev not in ("DS2", "DS3"):
        raise CorpusError(f"damage_locus {locus} given with {sev}; a locus needs DS2 or DS3", **where)
    if resolver is not None and status != "RS1":
        raise CorpusError(f"resolver {resolver} given with {status}; a resolver needs RS1", **where)
    return {**labels, "symptoms": sym, "symptom_other": _text(rec.get("symptom_other_descriptor")), "causes": causes}


def label_columns(labels: dict) -> dict:
    """The episode columns of ``episode_labels``: one per single-valued label axis, the symptom / cause /
    tier lists and the wide symptom and cause columns."""
    out = {AXIS_BY_NAME[axis].column: labels[axis] for axis in LABEL_FIELDS}
    out["symptoms"] = [c for c in SYMPTOMS if labels["symptoms"][c]]
    out["causes"] = [c for c in CAUSES if labels["causes"][c] is not None]
    out["tiers"] = [t for t in TIERS if t in labels["causes"].values()]
    out.update({wide_column(c): v for c, v in labels["symptoms"].items()})
    out.update({wide_column(c): v for c, v in labels["causes"].items()})
    return out


def episode_key(rec: dict, where: dict, source: str | None = None) -> tuple[str, str]:
    """(episode key, session key) of a label or text record (accepts Atlas field aliases)."""
    src = source or rec.get("source") or rec.get("dataset_key") or rec.get("dataset_label") or rec.get("dataset")
    src = DATASET_ALIASES.get(str(src or "").strip().lower(), str(src or "").strip().lower())
    if not src:
        raise CorpusError("missing source (or dataset_key)", **where)
    repo = repo_key(rec.get("repository_id", rec.get("repo_id")), where)
    sid, _ = session_name(rec, where)
    mid = rec.get("misalignment_id") or rec.get("id")
    if not mid:
        raise CorpusError("missing misalignment_id (or id)", **where)
    skey = f"{src}/{repo}/{sid}"
    return f"{skey}/{mid}", skey


def _text(v) -> str | None:
    """A text field as a string (numbers and nested JSON as their JSON text), None when missing."""
    return v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def text_fields(rec: dict) -> dict:
    """Name, description, reasoning and evidence of an Atlas / extraction record."""
    ev = rec.get("evidence") or []
    if not isinstance(ev, list):
        ev = []
    items = []
    for item in ev:
        if isinstance(item, dict):
            items.append((item.get("turn"), str(item.get("quote") or ""), str(item.get("context") or "")))
        elif isinstance(item, str):
            items.append((None, item, ""))
    out = {k: _text(rec.get(k)) for k in ("name", "description", "validation_note", "symptom_reasoning",
                                          "cause_reasoning", "outcome_reasoning", "resolution_reasoning")}
    out["evidence"] = items
    if rec.get("symptom_other_descriptor"):
        out["symptom_other"] = _text(rec["symptom_other_descriptor"])
    return out


def parsed_session(path: Path) -> tuple[dict, list]:
    """The study's ``session_parsed/session_###.json``: (header, merged turns)."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CorpusError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}", path=str(path)) from None
    except RecursionError:
        raise CorpusError("malformed JSON: nested too deeply", path=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise CorpusError("expected a parsed session object with a 'messages' list", path=str(path))
    msgs = []
    for i, m in enumerate(data["messages"]):
        if not isinstance(m, dict):
            raise CorpusError("message is not an object", path=str(path), record=f"message {i}")
        msgs.append((m.get("role"), str(m.get("content") or "")))
    header = {
        "title": data.get("title") or data.get("session_id"),
        "timestamp": data.get("timestamp", data.get("created_at")),
        "platform": data.get("platform", data.get("agent")),
    }
    return header, merge_turns(msgs)


def workspace_ids(path: Path) -> tuple[str, int] | None:
    """(repository_id, session_count_id) from ``.../{repo}/session_parsed/session_###.json``."""
    m = _SESSION_FILE.search(path.name)
    if not m or path.parent.name != "session_parsed":
        return None
    return path.parent.parent.name, _in_range("session number", int(m.group(1)), {"path": str(path)})


def resolve_evidence(ref, role_given, n_turns: int | None):
    """(turn_no, role) of an evidence reference; turn_no None when unknown or past the last turn."""
    num, role = parse_turn_ref(ref)
    if num is None:
        return None, role, "evidence turn unknown"
    if n_turns is not None and not (1 <= num <= n_turns):
        return None, role, "evidence turn past the last turn"
    return num, role, None


def load_labels(path: Path) -> list[dict]:
    return load_array(path)


def load_text_records(path: Path):
    return iter_records(path)
