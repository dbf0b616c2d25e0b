"""The study's records read by DuckDB: per kind of file, the SQL that checks a record and normalises it.

Each file is read with DuckDB's JSON reader into ``raw (j JSON)`` (one row per record, ``rowid`` = record
index). For every kind, ``columns(kind)`` gives the normalised columns as SQL expressions over ``j`` and
``ok(kind)`` a condition that holds only for records in the well-formed shape those expressions handle
exactly as ``study.py`` does. The records that are not ``ok`` (rare: unusual but valid forms, or errors)
go through ``study.py`` in Python, which either normalises them the same way or raises the one-line error
naming the file and record. Only constants of the taxonomy are written into this SQL.
"""

from __future__ import annotations

from ..taxonomy import CAUSES, C7_MARKER, SYMPTOMS, TIERS
from .study import LABEL_FIELDS
from ..taxonomy import AXIS_BY_NAME

INT_MAX = 2**31 - 1
SIMPLE = r"[A-Za-z0-9_.\-]+"  # a source name that strip() and lower() leave as DuckDB's trim / lower do
EDGES = r"(?s)[!-~](.*[!-~])?"  # first and last characters printable ASCII: str.strip() changes nothing
TS = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?Z?"
INTS = ("BIGINT", "UBIGINT")


def _v(f: str) -> str:
    """A field of the record, as JSON (NULL when missing or null): ``r`` is the record ``json_transform``-ed
    once into a struct of JSON values (``FIELDS``); ``keys`` its keys, ``typ`` its JSON type."""
    return f'r."{f}"'


def _t(f: str) -> str:
    """The JSON type of a field (a column of ``stage.recs``, computed once)."""
    return f'"t_{f}"'


def _s(f: str) -> str:
    """A field as text: a string's value, a number's digits (a column of ``stage.recs``)."""
    return f'"s_{f}"'


def _null(f: str) -> str:
    return f"coalesce({_t(f)}, 'NULL') = 'NULL'"


def _lit(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _int_ok(f: str) -> str:
    return (f"({_null(f)} OR ({_t(f)} = 'VARCHAR' AND {_s(f)} = '') OR ({_t(f)} IN {INTS} "
            f"AND TRY_CAST({_s(f)} AS BIGINT) BETWEEN {-INT_MAX - 1} AND {INT_MAX}))")


def _int(f: str) -> str:
    return f"CASE WHEN {_t(f)} IN {INTS} THEN CAST({_s(f)} AS INTEGER) END"


def _text_ok(f: str) -> str:
    return f"({_null(f)} OR {_t(f)} = 'VARCHAR')"


def _repo(expr_t: str, expr_s: str) -> tuple[str, str]:
    ok = f"(({expr_t} IN {INTS}) OR ({expr_t} = 'VARCHAR' AND regexp_full_match({expr_s}, '{EDGES}')))"
    return ok, expr_s


_SID_NUM = r"^session_([0-9]{1,9})$"


def _session_name() -> tuple[str, str, str]:
    """(ok, session_id, session_count_id) of session_id / session_count_id (study.session_name)."""
    cid_ok = f"({_null('session_count_id')} OR {_int_ok('session_count_id')})"
    cid = _int("session_count_id")
    has_sid = f"({_t('session_id')} = 'VARCHAR' AND {_s('session_id')} <> '')"
    sid_ok = (f"({_null('session_id')} OR ({_t('session_id')} = 'VARCHAR' AND ({_s('session_id')} = '' OR "
              f"(regexp_full_match({_s('session_id')}, '[ -~]+') AND NOT regexp_matches({_s('session_id')}, "
              f"'^session_[0-9]{{10,}}$')))))")
    ok = f"({cid_ok} AND {sid_ok} AND ({has_sid} OR {cid} IS NOT NULL))"
    name = f"CASE WHEN {has_sid} THEN {_s('session_id')} ELSE printf('session_%03d', {cid}) END"
    count = (f"coalesce({cid}, CASE WHEN {has_sid} THEN TRY_CAST(regexp_extract({_s('session_id')}, "
             f"'{_SID_NUM}', 1) AS INTEGER) END)")
    return ok, name, count


def _ts() -> tuple[str, str]:
    f = "session_timestamp"
    value = f"TRY_CAST(replace(rtrim({_s(f)}, 'Z'), 'T', ' ') AS TIMESTAMP)"
    ok = (f"({_null(f)} OR ({_t(f)} = 'VARCHAR' AND ({_s(f)} = '' OR (regexp_full_match({_s(f)}, '{TS}') "
          f"AND year({value}) BETWEEN 1 AND 9999))))")
    return ok, f"CASE WHEN {_t(f)} = 'VARCHAR' AND {_s(f)} <> '' THEN {value} END"


def session_columns() -> tuple[str, dict[str, str]]:
    """(ok, {column: expression}) of the session fields of a mapping / annotated / validated row."""
    repo_ok, repo = _repo(_t("repository_id"), _s("repository_id"))
    name_ok, sid, cid = _session_name()
    ts_ok, ts = _ts()
    ok = " AND ".join([
        f"{_t('source')} = 'VARCHAR' AND regexp_full_match({_s('source')}, '{SIMPLE}')", repo_ok, name_ok, ts_ok,
        f"({_null('session_type')} OR ({_t('session_type')} = 'VARCHAR' AND {_s('session_type')} IN ('IDE', 'CLI')))",
        _text_ok("agent"), _text_ok("license_type"), _text_ok("session_sha"),
        _int_ok("user_turns"), _int_ok("agent_turns"), _int_ok("num_commits")])
    source = f"lower({_s('source')})"
    cols = {
        "session_key": f"{source} || '/' || {repo} || '/' || {sid}", "source": source, "repo": repo,
        "session_id": sid, "session_count_id": cid, "session_sha": _s("session_sha"), "ts": ts,
        "platform": _s("session_type"), "agent": f"coalesce(nullif({_s('agent')}, ''), 'Unknown')",
        "user_turns": _int("user_turns"), "agent_turns": _int("agent_turns"), "num_commits": _int("num_commits"),
        "license": _s("license_type"),
    }
    return ok, cols


_SOURCE_KEYS = ("source", "dataset_key", "dataset_label", "dataset")


def episode_key_columns() -> tuple[str, dict[str, str]]:
    """(ok, {episode_key, episode_session_key, misalignment_id}) of a label or text record (study.episode_key)."""
    first = "coalesce(" + ", ".join(f"nullif({_s(k)}, '')" for k in _SOURCE_KEYS) + ")"
    src = (f"CASE lower({first}) WHEN 'specstory-chat' THEN 'specstory' WHEN 'swe-chat' THEN 'swe' "
           f"ELSE lower({first}) END")
    rt = f"CASE WHEN list_contains(keys, 'repository_id') THEN {_t('repository_id')} ELSE {_t('repo_id')} END"
    rs = f"CASE WHEN list_contains(keys, 'repository_id') THEN {_s('repository_id')} ELSE {_s('repo_id')} END"
    repo_ok, repo = _repo(rt, rs)
    name_ok, sid, _ = _session_name()
    mid = f"coalesce(nullif({_s('misalignment_id')}, ''), nullif({_s('id')}, ''))"
    ok = " AND ".join(
        [f"({_null(k)} OR {_t(k)} = 'VARCHAR')" for k in _SOURCE_KEYS]
        + [f"regexp_full_match({first}, '{SIMPLE}')", repo_ok, name_ok, _text_ok("misalignment_id"), _text_ok("id"),
           f"{mid} IS NOT NULL AND NOT contains({mid}, '/')"])
    skey = f"{src} || '/' || {repo} || '/' || {sid}"
    return ok, {"episode_key": f"{skey} || '/' || {mid}", "episode_session_key": skey, "misalignment_id": mid}


def _raw(f: str) -> str:
    return f"coalesce(CAST({_v(f)} AS VARCHAR), 'null')"


def label_columns() -> tuple[str, dict[str, str]]:
    """(ok, columns) of an annotated row's labels (study.episode_labels and label_columns)."""
    known = _lit(list(SYMPTOMS) + list(CAUSES))
    conds = [f"len(list_filter(keys, lambda k: regexp_matches(k, '^[SC][^A-Za-z_]') "
             f"AND k NOT IN ({known}))) = 0"]
    cols: dict[str, str] = {}
    for code in SYMPTOMS:
        raw = _raw(code)
        conds.append(f"{raw} IN ('true', '1', '\"true\"', '\"True\"', 'false', '0', 'null', '\"false\"', '\"False\"')")
        cols[code.lower()] = f"{raw} IN ('true', '1', '\"true\"', '\"True\"')"
    for code in CAUSES:
        allowed = [C7_MARKER] if code == "C7" else list(TIERS)
        conds.append(f"({_null(code)} OR ({_t(code)} = 'VARCHAR' AND {_s(code)} IN ({_lit(allowed)})))")
        cols[code.lower()] = _s(code)
    for axis, (field, nullable) in LABEL_FIELDS.items():
        vocab = _lit(AXIS_BY_NAME[axis].codes)
        good = f"({_t(field)} = 'VARCHAR' AND {_s(field)} IN ({vocab}))"
        conds.append(f"({_null(field)} OR {good})" if nullable else good)
        cols[AXIS_BY_NAME[axis].column] = _s(field)
    conds.append(f"({_null('damage_locus')} OR {_s('damage_severity')} IN ('DS2', 'DS3'))")
    conds.append(f"({_null('resolver')} OR {_s('resolution_status')} = 'RS1')")
    conds.append(_text_ok("symptom_other_descriptor"))
    cols["symptom_other"] = _s("symptom_other_descriptor")
    return " AND ".join(conds), cols


def validated_columns() -> tuple[str, dict[str, str]]:
    cat = "invalid_category"
    ok = " AND ".join([
        f"{_t('label')} = 'VARCHAR' AND {_s('label')} IN ('VALID', 'INVALID')",
        _text_ok(cat), f"NOT ({_s('label')} = 'VALID' AND coalesce({_s(cat)}, '') <> '')",
        _int_ok("count_id"), _text_ok("alignment_goal"), _text_ok("confidence")])
    return ok, {"label": _s("label"), "invalid_category": _s(cat), "count_id": _int("count_id"),
                "goal": _s("alignment_goal"), "confidence": _s("confidence")}


TEXT_FIELDS = ("name", "description", "validation_note", "symptom_reasoning", "cause_reasoning", "outcome_reasoning",
               "resolution_reasoning")


def text_columns() -> tuple[str, dict[str, str]]:
    """(ok, columns) of an Atlas text record (study.text_fields); evidence as a list of structs."""
    item_ok = (f"list_bool_and(list_transform(CAST({_v('evidence')} AS JSON[]), lambda x: json_type(x) <> 'OBJECT' OR "
               "((coalesce(json_type(x->'quote'), 'NULL') IN ('NULL', 'VARCHAR')) AND "
               "(coalesce(json_type(x->'context'), 'NULL') IN ('NULL', 'VARCHAR')) AND "
               "(coalesce(json_type(x->'turn'), 'NULL') IN ('NULL', 'VARCHAR', 'BIGINT', 'UBIGINT')))))")
    ok = " AND ".join([_text_ok(f) for f in TEXT_FIELDS] + [
        _text_ok("symptom_other_descriptor"), _text_ok("validation_label"), _text_ok("label"),
        f"({_t('evidence')} IS DISTINCT FROM 'ARRAY' OR coalesce({item_ok}, true))"])
    evidence = (f"CASE WHEN {_t('evidence')} = 'ARRAY' THEN list_transform(list_filter("
                f"CAST({_v('evidence')} AS JSON[]), lambda x: json_type(x) IN ('OBJECT', 'VARCHAR')), lambda x: "
                "CASE WHEN json_type(x) = 'VARCHAR' THEN {'turn': NULL::VARCHAR, 'quote': x->>'$', 'context': ''} "
                "ELSE {'turn': x->>'turn', 'quote': coalesce(nullif(x->>'quote', ''), ''), "
                "'context': coalesce(nullif(x->>'context', ''), '')} END) ELSE [] END")
    cols = {f: _s(f) for f in TEXT_FIELDS}
    cols["symptom_other"] = f"nullif({_s('symptom_other_descriptor')}, '')"
    cols["invalid_label"] = (f"upper(coalesce(nullif({_s('validation_label')}, ''), nullif({_s('label')}, ''), '')) "
                             "= 'INVALID'")
    cols["evidence"] = evidence
    return ok, cols


def kind_columns(kind: str) -> tuple[str, dict[str, str]]:
    """(ok, columns) of one kind of study file: mapping, annotated, validated or atlas."""
    parts = {"mapping": [session_columns()], "annotated": [episode_key_columns(), label_columns(), session_columns()],
             "validated": [episode_key_columns(), validated_columns(), session_columns()],
             "atlas": [episode_key_columns(), text_columns()]}[kind]
    ok = " AND ".join(f"({p[0]})" for p in parts)
    cols: dict[str, str] = {}
    for _, c in parts:
        cols.update(c)
    return f"typ = 'OBJECT' AND {ok}", cols


# Every field any kind reads (json_transform gives NULL for the missing ones).
FIELDS: tuple[str, ...] = (
    "source", "dataset_key", "dataset_label", "dataset", "repository_id", "repo_id", "session_id", "session_count_id",
    "misalignment_id", "id", "session_sha", "session_timestamp", "session_type", "agent", "user_turns", "agent_turns",
    "num_commits", "license_type", *SYMPTOMS, *CAUSES, *(f for f, _ in LABEL_FIELDS.values()),
    "symptom_other_descriptor", "label", "invalid_category", "count_id", *TEXT_FIELDS, "validation_label", "evidence")


def fields_of(kind: str) -> list[str]:
    import re

    ok, cols = kind_columns(kind)
    text = ok + " ".join(cols.values())
    return sorted(set(re.findall(r'"[ts]_(\w+)"', text)) | set(re.findall(r'r\."(\w+)"', text)))


def transform_sql(kind: str) -> str:
    """``stage.recs`` from ``stage.raw``: each record parsed once into the fields ``kind`` reads — per field its
    JSON value (``r``), JSON type (``t_…``) and text (``s_…``) — plus its keys and its JSON type."""
    fields = fields_of(kind)
    spec = "{" + ", ".join(f'"{f}": "JSON"' for f in fields) + "}"
    per = ", ".join(f"json_type(r.\"{f}\") AS \"t_{f}\", r.\"{f}\"->>'$' AS \"s_{f}\"" for f in fields)
    return (f"CREATE OR REPLACE TABLE stage.recs AS SELECT *, {per} FROM (SELECT rowid AS rec, json_type(j) AS typ, "
            f"CASE WHEN json_type(j) = 'OBJECT' THEN json_keys(j) END AS keys, "
            f"CASE WHEN json_type(j) = 'OBJECT' THEN json_transform(j, '{spec}') END AS r FROM stage.raw)")
