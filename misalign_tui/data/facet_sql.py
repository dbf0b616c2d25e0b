"""The facet-counting SQL, generated from the taxonomy (``taxonomy.AXES``) for one set of active filter keys.

The counting tables (written at import, see ``schema.FACET_TABLES``):

- ``facet_dict (axis, code, value)``: the dictionary of every facet axis — codes in taxonomy order for closed
  vocabularies (fixed: the SQL knows them), in value order for open ones (agent, licence, repo, …);
- ``facet_rows``: one row per episode, sorted by validation: one dictionary code per single-valued facet axis
  (a column named after the axis), a bit mask per list-valued axis (bit = code), plus ``ts``, ``licensed``
  and the sort ranks ``ord_*``;
- ``facet_cube``: ``facet_rows`` pre-aggregated over every axis that does not grow with the corpus (all but
  ``repo``): one row per combination present, with its episode count ``n``.

A refresh is one statement, ``UNION ALL`` of grouped passes, each ``(pass, g, code, n, more)``. The filter struct
``$f`` becomes constants when DuckDB binds it: a closed axis' selection is a bit mask of codes
(``(mask >> code) & 1``), a list-valued axis' a mask to intersect, the default scope one code (so the scan of
``facet_rows``, sorted by validation, skips the other row groups); an open axis' selection is a semi-join on its
few ``facet_dict`` codes. The passes:

- ``main``: the episodes selected by every filter, one grouped pass over every facet axis without a
  selection (the empty set gives the selected count);
- one pass per selected axis, without that axis' own condition (OR within, AND across);
- ``scope``: while the implicit default scope is on, the validation axes counted without it;
- one top-N pass per growing axis (``repo``): the ``FACET_TOP`` values by count, the selected ones, and in
  ``more`` how many values have episodes in all.

The passes read ``facet_cube`` (``sum(n)``) when every active key is one of its columns, else ``facet_rows``
(``count(*)``); a growing axis always reads ``facet_rows``. ``g`` is DuckDB's ``GROUPING()`` of the pass'
columns: ``pass_axes`` says which axis each ``(pass, g)`` counts (``None``: the pass' total).
"""

from __future__ import annotations

import re

from .taxonomy import AXES, AXIS_BY_NAME, FACET_AXES, VALIDATION_AXES, Axis

FACET_TOP = 50  # values of a growing axis returned per refresh (the rest on demand: Corpus.facet_values)
# Filter keys that are not axes; ``default_valid`` is the implicit scope.
FLAGS = ("text", "default_valid", "licensed_only")
CUBE_AXES: tuple[Axis, ...] = tuple(a for a in FACET_AXES if not a.grows)
GROWING_AXES: tuple[Axis, ...] = tuple(a for a in FACET_AXES if a.grows)
CUBE_KEYS = frozenset({a.name for a in CUBE_AXES} | {"default_valid", "licensed_only"})
ALL_KEYS = frozenset({a.name for a in AXES} | set(FLAGS))
# The columns of a page of the table, stored in ``facet_rows`` as ``show_<column>`` so a page reads one table
# (DuckDB fetches them for the page's rows only: late materialisation of the top-N).
PAGE_COLUMNS = ("episode_key", "session_key", "ts", "platform", "agent", "symptoms", "causes", "severity", "status",
                "resolver", "name", "validation", "invalid_category")
SORT_RANKS = ("key", "time", "platform", "agent", "symptoms", "causes", "severity", "resolution", "name")


def q(name: str) -> str:
    """A column name, quoted (``month`` is a keyword)."""
    return f'"{name}"'


def mask_type(ax: Axis) -> str:
    n = len(ax.codes or ())
    return "UTINYINT" if n <= 8 else "USMALLINT" if n <= 16 else "UINTEGER"


# ----- import: the dictionary and the rows (builder._derive) ------------------------------------------
def dict_values_sql(ax: Axis) -> str:
    """The distinct values of one facet axis on ``episodes``."""
    if ax.multi:
        return f"SELECT DISTINCT unnest({ax.column}) AS value FROM episodes"
    return f"SELECT DISTINCT {ax.column} AS value FROM episodes WHERE {ax.column} IS NOT NULL"


def facet_dict_sql() -> str:
    """``facet_dict``: per axis the values present, coded 0.. in taxonomy order, then by value."""
    parts = [f"SELECT '{ax.name}' AS axis, value FROM ({dict_values_sql(ax)})" for ax in FACET_AXES]
    closed = ", ".join(f"'{a.name}'" for a in FACET_AXES if a.codes)
    return (f"CREATE TABLE facet_dict AS SELECT v.axis, (CASE WHEN v.axis IN ({closed}) THEN t.ord ELSE "
            "row_number() OVER (PARTITION BY v.axis ORDER BY t.ord NULLS LAST, v.value) - 1 END)::INTEGER AS code, "
            "v.value FROM ("
            + " UNION ALL ".join(parts) + ") v LEFT JOIN taxonomy t ON t.axis = v.axis AND t.code = v.value "
            "ORDER BY v.axis, code")


def enum_name(ax: Axis) -> str:
    return f"facet_enum_{ax.name}"


OPEN_AXES: tuple[Axis, ...] = tuple(a for a in FACET_AXES if not a.codes)


def enum_types_sql() -> list[str]:
    """Temporary ENUM types, one per open axis in ``facet_dict`` order, so ``enum_code`` encodes a value."""
    return [f"CREATE TYPE {enum_name(ax)} AS ENUM (SELECT value FROM facet_dict WHERE axis = '{ax.name}' "
            "ORDER BY code)" for ax in OPEN_AXES]


def facet_rows_sql() -> str:
    """``facet_rows`` from ``episodes`` (after ``enum_types_sql``), sorted by validation then episode."""
    cols = ["e.episode_no"]
    for ax in FACET_AXES:
        if ax.multi:
            cols.append(f"coalesce(list_aggregate(list_transform(e.{ax.column}, lambda x: (1::UINTEGER << "
                        f"({closed_code(ax, 'x')}))), 'bit_or'), 0)::{mask_type(ax)} AS {q(ax.name)}")
        elif ax.codes:
            cols.append(f"({closed_code(ax, 'e.' + ax.column)})::UTINYINT AS {q(ax.name)}")
        else:
            cols.append(f"enum_code(e.{ax.column}::{enum_name(ax)}) AS {q(ax.name)}")
    cols += ["e.ts", "coalesce(e.licensed, false) AS licensed"] + [f"e.ord_{c}" for c in SORT_RANKS]
    cols += [f"e.{c} AS show_{c}" for c in PAGE_COLUMNS]
    return (f"CREATE TABLE facet_rows AS SELECT {', '.join(cols)} FROM episodes e "
            f"ORDER BY {q('validation')}, e.episode_no")


def facet_cube_sql() -> str:
    cols = ", ".join(q(a.name) for a in CUBE_AXES)
    return (f"CREATE TABLE facet_cube AS SELECT {cols}, licensed, count(*)::INTEGER AS n FROM facet_rows "
            f"GROUP BY ALL ORDER BY {q('validation')}")


def drop_enum_types_sql() -> list[str]:
    return [f"DROP TYPE {enum_name(ax)}" for ax in OPEN_AXES]


# ----- reading: conditions and passes ------------------------------------------------------------------
def _closed_mask(ax: Axis) -> str:
    """The selected codes of a closed-vocabulary axis as a constant bit mask (bit = taxonomy order)."""
    terms = [f"CASE WHEN list_contains($f['{ax.name}']::VARCHAR[], '{code}') THEN {1 << i} ELSE 0 END"
             for i, code in enumerate(ax.codes or ())]
    return f"/*mask:{ax.name}*/(" + " + ".join(terms) + ")::UBIGINT/*end*/"


def closed_code(ax: Axis, expr: str) -> str:
    """The taxonomy-order code of ``expr`` (NULL outside the vocabulary)."""
    whens = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(ax.codes or ()))
    return f"CASE {expr} {whens} END"


def _open_codes(ax: Axis) -> str:
    return (f"/*codes:{ax.name}*/SELECT d.code FROM facet_dict d WHERE d.axis = '{ax.name}' "
            f"AND list_contains($f['{ax.name}']::VARCHAR[], d.value)/*end*/")


def _text_condition() -> str:
    return ("r.episode_no IN (SELECT e.episode_no FROM episodes e WHERE CASE WHEN $f['regex'] THEN "
            "regexp_matches(e.search_text, CASE WHEN $f['regex'] THEN $f['text'] ELSE '' END, 'i') "
            "ELSE contains(e.search_text, $f['text']) END)")  # DuckDB folds the constant: no regex unless regex


def condition(key: str) -> str:
    """The condition of one active filter key on ``facet_rows`` / ``facet_cube`` aliased ``r``."""
    if key == "text":
        return _text_condition()
    if key == "default_valid":
        scope = "/*scope:*/" + closed_code(AXIS_BY_NAME["validation"], "getvariable('default_validation')") + "/*end*/"
        return f"r.{q('validation')} = {scope}"
    if key == "licensed_only":
        return "r.licensed"
    ax = next(a for a in AXES if a.name == key)
    if ax.storage == "since":
        return f"r.ts >= CAST($f['since'] AS TIMESTAMP)"
    if ax.storage == "until":
        return f"r.ts < CAST($f['until'] AS TIMESTAMP) + INTERVAL 1 DAY"
    if not ax.facet:  # episode keys
        return (f"r.episode_no IN (SELECT e.episode_no FROM episodes e "
                f"WHERE list_contains($f['{key}']::VARCHAR[], e.{ax.column}))")
    if ax.multi:
        return f"(r.{q(key)} & {_closed_mask(ax)}) <> 0"
    if ax.codes:
        return f"(({_closed_mask(ax)} >> r.{q(key)}) & 1) = 1"
    return f"r.{q(key)} IN ({_open_codes(ax)})"


def where(keys) -> str:
    conds = [condition(k) for k in sorted(keys, key=_key_order)]
    return " AND ".join(conds) if conds else "true"


def _key_order(k: str) -> int:
    order = [a.name for a in AXES] + list(FLAGS)
    # the scope first: on facet_rows (sorted by validation) it prunes row groups
    return -1 if k == "default_valid" else order.index(k)


def _source(active: frozenset[str]) -> tuple[str, str]:
    """(table, count expression) for the passes over non-growing axes."""
    return ("facet_cube", "coalesce(sum(r.n), 0)") if active <= CUBE_KEYS else ("facet_rows", "count(*)")


def _pass(name: str, axes: list[Axis], keys, table: str, count: str) -> str:
    """One pass as a single hash aggregate: each row unnests into one key per counted axis, ``slot << 32 | code``
    (slot 0 = the pass' total), so one pipeline counts every axis (GROUPING SETS plans one aggregate per set).
    ``g`` is what ``GROUPING()`` of the axes would be, for ``pass_axes``."""
    k = len(axes)
    full = (1 << k) - 1
    items = ["0::BIGINT"] + [f"r.{q(a.name)}::BIGINT + {(i + 1) << 32}" for i, a in enumerate(axes)]
    gs = " ".join(f"WHEN {i + 1} THEN {full ^ (1 << (k - 1 - i))}" for i in range(k))
    weight = "r.n" if table == "facet_cube" else "1"
    return (f"SELECT '{name}' AS pass, (CASE x.k >> 32 WHEN 0 THEN {full} {gs} END)::INTEGER AS g, "
            "(CASE WHEN x.k >> 32 > 0 THEN x.k & 4294967295 END)::BIGINT AS code, sum(x.w)::BIGINT AS n, "
            f"NULL::BIGINT AS more FROM (SELECT unnest([{', '.join(items)}]) AS k, {weight} AS w "
            f"FROM {table} r WHERE {where(keys)}) x WHERE x.k IS NOT NULL GROUP BY x.k")


def _top_pass(ax: Axis, keys, active) -> str:
    sel = f" OR s.code IN ({_open_codes(ax)})" if ax.name in active else ""
    col = f"r.{q(ax.name)}"
    return (f"SELECT '{ax.name}' AS pass, s.g, s.code, s.n, CASE WHEN s.g = 0 THEN count(*) OVER (PARTITION BY s.g) "
            f"END AS more FROM (SELECT GROUPING({col})::INTEGER AS g, {col}::BIGINT AS code, count(*)::BIGINT AS n "
            f"FROM facet_rows r WHERE {where(keys)} GROUP BY GROUPING SETS ((), ({col}))) s "
            f"QUALIFY s.g = 1 OR row_number() OVER (PARTITION BY s.g ORDER BY s.n DESC, s.code) <= {FACET_TOP}{sel}")


def facet_plan(active: frozenset[str] | None) -> list[tuple[str, list[Axis]]]:
    """The passes for the active keys (None = every key): [(pass name, axes it counts)]."""
    active = ALL_KEYS if active is None else active
    selected = [a for a in FACET_AXES if a.name in active]
    scoped = "default_valid" in active
    main = [a for a in CUBE_AXES if a.name not in active and not (scoped and a.name in VALIDATION_AXES)]
    plan = [("main", main)] + [(a.name, [a]) for a in selected]
    if scoped:
        plan.append(("scope", [a for a in FACET_AXES if a.name in VALIDATION_AXES]))
    plan += [(a.name, [a]) for a in GROWING_AXES if a.name not in active]
    return plan


def pass_keys(name: str, active: frozenset[str]) -> frozenset[str]:
    """The filter keys a pass applies: all, but its own axis (the scope pass: the default scope)."""
    if name == "main":
        return active
    if name == "scope":
        return active - {"default_valid"}
    return active - {name}


def facet_passes(active: frozenset[str] | None) -> str:
    active = ALL_KEYS if active is None else active
    table, count = _source(active)
    parts = []
    for name, axes in facet_plan(active):
        keys = pass_keys(name, active)
        if len(axes) == 1 and axes[0].grows:
            parts.append(_top_pass(axes[0], keys, active))
        else:
            t, n = (table, count) if keys <= CUBE_KEYS else ("facet_rows", "count(*)")
            parts.append(_pass(name, axes, keys, t, n))
    return "\nUNION ALL ".join(f"({p})" for p in parts)


def pass_axes(name: str, axes: list[Axis], g: int) -> Axis | None:
    """Which axis a row of pass ``name`` with ``GROUPING() = g`` counts (None: the pass' total)."""
    k = len(axes)
    if g == (1 << k) - 1:
        return None
    for i, ax in enumerate(axes):
        if g == ((1 << k) - 1) ^ (1 << (k - 1 - i)):
            return ax
    return None


def facet_count(active: frozenset[str] | None) -> str:
    """The selected episodes: one row (n)."""
    active = ALL_KEYS if active is None else active
    table, count = _source(active)
    return f"SELECT {count}::BIGINT AS n FROM {table} r WHERE {where(active)}"


def facet_page(active: frozenset[str] | None) -> str:
    """One page of the table (``PAGE_COLUMNS``, ``$sort``, ``$desc``, ``$seed``, ``$lim``, ``$off``), in order."""
    active = ALL_KEYS if active is None else active
    ranks = " ".join(f"WHEN '{c}' THEN r.ord_{c}" for c in SORT_RANKS)
    show = ", ".join(f"r.show_{c}" for c in PAGE_COLUMNS)
    return (f"SELECT r.episode_no, {show} FROM (SELECT r.*, /*rank:*/(CASE $sort {ranks} "
            "ELSE (hash(r.episode_no, $seed) % 2147483647)::BIGINT END)/*end*/ * "
            "/*dir:*/(CASE WHEN $desc THEN -1 ELSE 1 END)/*end*/ AS o "
            f"FROM facet_rows r WHERE {where(active)}) r ORDER BY r.o, r.ord_key LIMIT /*int:lim*/$lim/*end*/ "
            "OFFSET /*int:off*/$off/*end*/")


def facet_all_values(active: frozenset[str] | None) -> str:
    """(axis, code, n) of every value of the growing axes, each without its own selection."""
    active = ALL_KEYS if active is None else active
    parts = [f"SELECT '{ax.name}' AS axis, r.{q(ax.name)}::BIGINT AS code, count(*)::BIGINT AS n FROM facet_rows r "
             f"WHERE {where(active - {ax.name})} GROUP BY ALL" for ax in GROWING_AXES]
    return "\nUNION ALL ".join(parts)


# ----- binding: the filter's values as constants --------------------------------------------------------
_MARK = re.compile(r"/\*(mask|codes|scope|rank|dir|int):(\w*)\*/.*?/\*end\*/", re.S)


def bind(sql: str, params: dict, words: dict[str, dict[int, str]], default_validation: str) -> str:
    """``sql`` (generated above) with the marked parts that depend only on ``params`` written as integer
    constants: closed axes' masks, open axes' codes (from ``words``, ``facet_dict``), the default scope and
    the page's rank, direction, limit and offset. DuckDB then plans the statement without binding the filter
    struct (a few ms per refresh). Only integers and generated column names are written; text the user typed
    (search text, dates, episode keys) stays a parameter. The unbound text is valid SQL with the same result."""
    f = params["f"]

    def constant(m: re.Match) -> str:
        kind, name = m.group(1), m.group(2)
        if kind == "mask":
            chosen = set(f.get(name) or ())
            return f"{sum(1 << i for i, c in enumerate(AXIS_BY_NAME[name].codes or ()) if c in chosen)}::UBIGINT"
        if kind == "codes":
            chosen = set(f.get(name) or ())
            codes = sorted(code for code, v in words.get(name, {}).items() if v in chosen)
            return ", ".join(str(int(c)) for c in codes) or "-1"  # inside IN (…); no code is negative
        if kind == "scope":
            codes = list(AXIS_BY_NAME["validation"].codes or ())
            return str(codes.index(default_validation)) if default_validation in codes else "NULL"
        if kind == "rank":
            sort = params["sort"]
            if sort in SORT_RANKS:
                return f"r.ord_{sort}"
            return f"(hash(r.episode_no, {int(params['seed'])}) % 2147483647)::BIGINT"
        if kind == "dir":
            return "-1" if params["desc"] else "1"
        return str(int(params[name]))

    return _MARK.sub(constant, sql)
