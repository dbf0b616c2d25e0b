"""The per-axis SQL, generated from the taxonomy (``taxonomy.AXES``): a query names a fragment as ``{{name}}``
and ``expand`` writes it out. A fragment alone on its line is indented like that line.

Fragments (the query that uses each):

- ``failmask_episodes`` (macro_flagged.sql): one ``| (CASE WHEN … THEN 0 ELSE <bit> END) -- when: <key>``
  term per axis and per filter flag (text, default_valid, licensed_only), on the alias ``e``;
- ``failmask_sessions`` (macro_flagged_sessions.sql): the same for the session-level axes and licensed_only,
  on the alias ``s``;
- ``facet_totals`` (facet_totals.sql): per facet, the episodes that pass every other axis;
- ``facet_scope_bit`` (facets.sql): the default-scope bit that the validation axes drop, for ``v.axis``;
- ``episode_facet_columns`` / ``episode_value_facets`` / ``episode_list_facets`` / ``symptom_mask``
  (chart_episodes.sql): the columns of the episode-level facets, the single-valued ones by axis name, the
  list-valued ones unnested, and the symptoms as a bit mask (bit = taxonomy order);
- ``label_axes`` (stats_labels.sql): the axes of the paper's distribution tables, quoted.

A redesign of the facet queries adds its fragments here; nothing else has to know the axes.
"""

from __future__ import annotations

import re
from typing import Callable

from .taxonomy import (AXES, BIT_DEFAULT_VALID, BIT_LICENSED, BIT_TEXT, EPISODE_FACETS, FACET_AXES, LABEL_GROUPS,
                       SYMPTOMS, VALIDATION_AXES, Axis, wide_column)

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _quoted(names) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _fails(test: str, bit: int, key: str) -> str:
    return f"| (CASE WHEN {test} THEN 0 ELSE {1 << bit} END) -- when: {key}"


def axis_condition(ax: Axis, alias: str) -> str:
    """The failmask term of one axis: 0 when the row passes ``f[axis]`` (or it is empty), else its bit."""
    f, col = f"f['{ax.name}']", f"{alias}.{ax.column}"
    test = {
        "one": f"len({f}) = 0 OR list_contains({f}::VARCHAR[], {col})",
        "many": f"len({f}) = 0 OR list_has_any({col}, {f}::VARCHAR[])",
        "since": f"{f} = '' OR {col} >= CAST({f} AS TIMESTAMP)",
        "until": f"{f} = '' OR {col} < CAST({f} AS TIMESTAMP) + INTERVAL 1 DAY",
    }[ax.storage]
    return _fails(test, ax.bit, ax.name)


def _licensed(alias: str) -> str:
    return _fails(f"NOT f['licensed_only'] OR {alias}.licensed", BIT_LICENSED, "licensed_only")


def failmask_episodes() -> list[str]:
    text = (f"| (CASE WHEN f['text'] = '' THEN 0 WHEN f['regex'] AND regexp_matches(e.search_text, CASE WHEN "
            f"f['regex'] THEN f['text'] ELSE '' END, 'i') THEN 0 WHEN NOT f['regex'] AND contains(e.search_text, "
            f"f['text']) THEN 0 ELSE {1 << BIT_TEXT} END) -- when: text")
    return [axis_condition(ax, "e") for ax in AXES] + [
        text,
        _fails("NOT f['default_valid'] OR e.validation = getvariable('default_validation')", BIT_DEFAULT_VALID,
               "default_valid"),
        _licensed("e"),
    ]


def failmask_sessions() -> list[str]:
    return [axis_condition(ax, "s") for ax in AXES if ax.level == "session"] + [_licensed("s")]


def scope_mask(ax: Axis) -> str:
    """The failmask bits a facet's own count ignores: its bit, and the default scope for the validation axes."""
    return f"({1 << ax.bit} | {1 << BIT_DEFAULT_VALID})" if ax.name in VALIDATION_AXES else str(1 << ax.bit)


def facet_totals() -> list[str]:
    lines = [f"count(*) FILTER (WHERE failmask & ~{scope_mask(ax)} = 0) AS {ax.name}" for ax in FACET_AXES]
    return [line + "," for line in lines[:-1]] + lines[-1:]


def facet_scope_bit() -> str:
    return f"CASE WHEN v.axis IN ({_quoted(VALIDATION_AXES)}) THEN {1 << BIT_DEFAULT_VALID} ELSE 0 END"


def episode_facet_columns() -> str:
    return ", ".join(ax.column if ax.column == ax.name or ax.storage == "many" else f"{ax.column} AS {ax.name}"
                     for ax in EPISODE_FACETS)


def episode_value_facets() -> str:
    return ", ".join(ax.name for ax in EPISODE_FACETS if ax.storage == "one")


def episode_list_facets() -> str:
    parts = [f"SELECT '{ax.name}' AS axis, unnest({ax.column}) AS value, platform FROM e"
             for ax in EPISODE_FACETS if ax.storage == "many"]
    return "\nUNION ALL ".join(parts)


def symptom_mask() -> str:
    return " | ".join(f"(coalesce({wide_column(code)}, false)::INTEGER << {i})" for i, code in enumerate(SYMPTOMS))


def label_axes() -> str:
    return _quoted(LABEL_GROUPS)


FRAGMENTS: dict[str, Callable[[], str | list[str]]] = {
    "failmask_episodes": failmask_episodes, "failmask_sessions": failmask_sessions, "facet_totals": facet_totals,
    "facet_scope_bit": facet_scope_bit, "episode_facet_columns": episode_facet_columns,
    "episode_value_facets": episode_value_facets, "episode_list_facets": episode_list_facets,
    "symptom_mask": symptom_mask, "label_axes": label_axes,
}


def expand(sql: str) -> str:
    """``sql`` with every ``{{fragment}}`` written out (KeyError for an unknown name)."""
    out = []
    for line in sql.splitlines():
        m = _PLACEHOLDER.fullmatch(line.strip())
        if m:
            indent = line[: len(line) - len(line.lstrip())]
            body = FRAGMENTS[m.group(1)]()
            parts = body if isinstance(body, list) else body.splitlines()
            out += [indent + p for p in parts]
        else:
            out.append(_PLACEHOLDER.sub(lambda m: _inline(m.group(1)), line))
    return "\n".join(out) + ("\n" if sql.endswith("\n") else "")


def _inline(name: str) -> str:
    body = FRAGMENTS[name]()
    return " ".join(body) if isinstance(body, list) else " ".join(body.splitlines())
