"""Read-only access to a corpus: facet counts, pages, episodes, transcripts. Thread-safe.

Each thread gets its own DuckDB cursor (with the filter macros installed); ``interrupt()`` cancels
whatever the cursors are running. Nothing here imports textual or rich.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime
from pathlib import Path

import duckdb

from ..errors import CorpusError
from ..filters import Filters
from ..queries import query
from ..schema import REQUIRED_TABLES, SCHEMA_VERSION, SORT_COLUMNS
from ..taxonomy import AXES, C7_MARKER, CAUSES, FACET_AXES, wide_column
from ..facet_sql import bind
from . import facet_counts
from .dbfile import connect_readonly
from .facet_counts import Facets, FacetValue
from .parquet import connect_parquet, is_parquet_dir

MACROS = ("macro_flagged", "macro_flagged_sessions")
# Queries over the counting tables: their SQL is generated for the active filter keys (facet_sql).
ACTIVE_QUERIES = frozenset({"facets", "count", "page", "facet_values"})
CACHE_SIZE = 64  # facet results kept per corpus (see Corpus._cached)
_WHEN = re.compile(r"--\s*when:\s*(\w+)\s*$")
_PARAM = re.compile(r"\$(\w+)")


@lru_cache(maxsize=256)
def _param_names(sql: str) -> frozenset[str]:
    """The named parameters a statement uses (comment lines aside): DuckDB refuses unused ones."""
    return frozenset(_PARAM.findall("\n".join(ln for ln in sql.splitlines() if not ln.lstrip().startswith("--"))))


def active_keys(f_params: dict) -> frozenset[str]:
    """The filter keys of a ``Filters.params()`` struct that can fail a row."""
    return frozenset(k for k, v in f_params.items() if v not in ([], "", False, None) and k != "regex")


def macro_sql(name: str, active: frozenset[str] | None) -> str:
    """``queries/<name>.sql`` with the condition lines of inactive filter keys removed (None = all)."""
    lines = []
    for line in query(name).splitlines():
        m = _WHEN.search(line)
        if m and active is not None and m.group(1) not in active:
            continue
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class EpisodeRow:
    episode_no: int
    key: str
    session_key: str
    ts: datetime | None
    platform: str | None
    agent: str | None
    symptoms: tuple[str, ...]
    causes: tuple[str, ...]
    severity: str | None
    status: str | None
    resolver: str | None
    name: str | None
    validation: str
    invalid_category: str | None


@dataclass(frozen=True)
class Evidence:
    seq: int
    turn_ref: str | None
    turn_no: int | None
    role: str | None
    quote: str
    context: str


@dataclass
class EpisodeDetail:
    row: dict  # every column of the episode
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.row["episode_key"]

    def cause_tiers(self) -> list[tuple[str, str | None]]:
        """[(C4, "direct"), (C7, None)] — causes with their evidence tier."""
        return [(c, None if v == C7_MARKER else v) for c in CAUSES
                if (v := self.row.get(wide_column(c))) is not None]

    def pushback(self) -> list[Evidence]:
        return [e for e in self.evidence if e.role == "USER"]


@dataclass(frozen=True)
class Turn:
    turn_no: int
    role: str
    ts: datetime | None
    text: str


def check_corpus_file(path: Path) -> None:
    """A one-line CorpusError unless ``path`` is a readable DuckDB file."""
    if not path.exists():
        raise CorpusError("no such file", path=str(path))
    if path.is_dir():
        raise CorpusError("is a directory, not a corpus file", path=str(path))
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except PermissionError:
        raise CorpusError("permission denied", path=str(path)) from None
    if len(head) == 0:
        raise CorpusError("empty file, not a corpus", path=str(path))
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise CorpusError("not a DuckDB corpus (import study files with `misalign-tui import`)", path=str(path))


def _codes(values) -> tuple[str, ...]:
    """A list column's codes, NULL elements left out (a corpus written by another tool may hold them)."""
    return tuple(v for v in (values or ()) if v is not None)


class Corpus:
    """A read-only corpus. Open with ``Corpus.open(path)``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, meta: dict[str, str]):
        self._con = con
        self.path = path
        self.meta = meta
        self._local = threading.local()
        self._cursors: list = []
        self._lock = threading.Lock()
        self._known: dict[str, set[str]] | None = None
        self._words: dict[str, dict[int, str]] | None = None
        self._cache: OrderedDict = OrderedDict()

    @classmethod
    def open(cls, path: str | Path) -> "Corpus":
        path = Path(path)
        if is_parquet_dir(path):
            con = connect_parquet(path)  # a Parquet export: in-memory views over its files
        else:
            check_corpus_file(path)
            con = connect_readonly(path)
        try:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise CorpusError(f"not a misalign-tui corpus (missing tables: {', '.join(missing)})", path=str(path))
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            raw = meta.get("schema_version", "0")
            try:
                version = int(raw)
            except ValueError:
                raise CorpusError(f"corpus schema version {raw!r} is not a number; re-import the sources with "
                                  "`misalign-tui import … --force`", path=str(path)) from None
            if version > SCHEMA_VERSION:
                raise CorpusError(f"corpus schema version {version} is newer than this misalign-tui supports "
                                  f"({SCHEMA_VERSION}); upgrade to a misalign-tui that reads schema version "
                                  f"{version}", path=str(path))
            if version < SCHEMA_VERSION:
                raise CorpusError(f"corpus schema version {version} is older than {SCHEMA_VERSION}; re-import the "
                                  "sources with `misalign-tui import SOURCES --out CORPUS --force` "
                                  f"(`misalign-tui migrate {path}` lists them)", path=str(path))
        except CorpusError:
            con.close()
            raise
        except duckdb.Error as e:
            con.close()
            raise CorpusError(f"cannot read corpus: {str(e).splitlines()[0]}", path=str(path)) from None
        return cls(con, path, meta)

    def close(self) -> None:
        self.interrupt()
        with self._lock:
            for c in self._cursors:
                try:
                    c.close()
                except duckdb.Error:
                    pass
            self._cursors.clear()
        self._con.close()

    # ----- plumbing ---------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor, with the filter macros installed."""
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._con.cursor()
            cur.execute("SET VARIABLE default_validation = $v", {"v": self.default_validation})
            for m in MACROS:
                cur.execute(macro_sql(m, None))
            self._local.cur = cur
            self._local.active = None
            with self._lock:
                self._cursors.append(cur)
        return cur

    def execute(self, name: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
        """Run ``queries/<name>.sql`` on this thread's cursor and return it (for fetch and description).

        When the parameters carry a filter struct ``f``, the filter macros are first redefined with
        only the conditions of its active keys (a no-op when the active set is unchanged).
        """
        cur = self.cursor()
        params = params or {}
        try:
            if name in ACTIVE_QUERIES:
                sql = bind(query(name, active_keys(params["f"])), params, self.facet_dictionary(),
                           self.default_validation)
                needed = {k: v for k, v in params.items() if k in _param_names(sql)}
                return cur.execute(sql, needed) if needed else cur.execute(sql)
            if "f" in params:
                active = active_keys(params["f"])
                if active != self._local.active:
                    for m in MACROS:
                        cur.execute(macro_sql(m, active))
                    self._local.active = active
            return cur.execute(query(name), params)
        except duckdb.InterruptException:
            raise
        except duckdb.Error as e:
            raise CorpusError(f"query {name} failed: {str(e).splitlines()[0]}") from None

    def run(self, name: str, params: dict | None = None) -> list[tuple]:
        """Run ``queries/<name>.sql`` with named parameters; DuckDB errors become CorpusError."""
        try:
            return self.execute(name, params).fetchall()
        except duckdb.InterruptException:
            raise
        except duckdb.Error as e:
            raise CorpusError(f"query {name} failed: {str(e).splitlines()[0]}") from None

    def interrupt(self) -> None:
        """Cancel the queries running on every cursor (DuckDB ``interrupt()``)."""
        with self._lock:
            for c in self._cursors:
                try:
                    c.interrupt()
                except duckdb.Error:
                    pass

    # ----- vocabulary ---------------------------------------------------------------------
    def known_values(self) -> dict[str, set[str]]:
        """Values present per open axis (agent, source, …), for validating --filter."""
        if self._known is None:
            try:
                rows = self.cursor().execute("SELECT axis, value FROM facet_dict").fetchall()
                srows = self.cursor().execute(
                    "SELECT DISTINCT source, repo, agent, license, month, platform FROM sessions").fetchall()
            except duckdb.Error as e:
                raise CorpusError(f"cannot read corpus: {str(e).splitlines()[0]}", path=str(self.path)) from None
            known: dict[str, set[str]] = {a.name: set() for a in AXES if a.codes is None and a.facet}
            for axis, value in rows:
                known.setdefault(axis, set()).add(value)
            for s, r, a, lic, m, _p in srows:
                for axis, v in (("source", s), ("repo", r), ("agent", a), ("license", lic), ("month", m)):
                    if v is not None:
                        known[axis].add(v)
            self._known = known
        return self._known

    @property
    def default_validation(self) -> str:
        """VALID, or CANDIDATE in a corpus of unannotated transcripts (detected pushback only)."""
        return self.meta.get("default_validation", "VALID")

    def parse_filters(self, specs, **kw) -> Filters:
        f = Filters.parse(specs, known=self.known_values(), scope=self.default_validation, **kw)
        if f.regex and f.text:
            self.check_regex(f.text)
        return f

    def check_regex(self, pattern: str) -> None:
        """Raise a one-line CorpusError when DuckDB's regex engine (RE2) rejects ``pattern``."""
        try:
            self.cursor().execute("SELECT regexp_matches('', $p)", {"p": pattern})
        except duckdb.Error as e:
            why = str(e).splitlines()[0].split("Error: ", 1)[-1]
            raise CorpusError(f"invalid regular expression {pattern!r} ({why})") from None

    # ----- browsing -----------------------------------------------------------------------
    def count(self, f: Filters) -> int:
        return self.run("count", {"f": f.params()})[0][0]

    def scope_total(self, f: Filters) -> int:
        """M of "N of M": episodes in the validation scope of ``f`` with no other filter."""
        scope = Filters(tuple((k, v) for k, v in f.selections if k in ("validation", "invalid_category")),
                        scope=f.scope)
        return self.count(scope)

    def _cached(self, what: str, f: Filters, compute):
        """Results of a read-only corpus never change: keep the last few per filter state, so
        toggling a value back (or the browse and charts screens asking alike) costs nothing."""
        key = (what, repr(sorted(f.params().items())))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def facet_dictionary(self) -> dict[str, dict[int, str]]:
        """Per facet axis, its values by code (``facet_dict``; closed vocabularies in taxonomy order)."""
        if self._words is None:
            words: dict[str, dict[int, str]] = {ax.name: dict(enumerate(ax.codes or ())) for ax in FACET_AXES}
            for axis, code, value in self.cursor().execute("SELECT axis, code, value FROM facet_dict").fetchall():
                words.setdefault(axis, {})[code] = value
            self._words = words
        return self._words

    def _facet_result(self, f: Filters) -> facet_counts.FacetResult:
        return self._cached("facets", f, lambda: facet_counts.compute(self, f))

    def facets(self, f: Filters) -> Facets:
        """Every facet's values with live counts, ordered (by code for ordered axes, else by count). A
        growing axis (repo) lists its top values and the selected ones; ``.more[axis]`` counts the rest
        (``facet_values`` lists them all)."""
        return self._facet_result(f).facets

    def facet_values(self, f: Filters, axis: str) -> list[FacetValue]:
        """Every value of one facet axis with its count (the full list of a growing axis, on demand)."""
        return self._cached(f"values:{axis}", f, lambda: facet_counts.all_values(self, f, axis))

    def facet_totals(self, f: Filters) -> tuple[int, dict[str, int]]:
        """(selected episodes, {axis: episodes passing every other axis}) — facet % denominators."""
        r = self._facet_result(f)
        return r.selected, dict(r.totals)

    def page(self, f: Filters, *, sort: str = "key", desc: bool = False, offset: int = 0, limit: int = 200,
             seed: int = 0) -> list[EpisodeRow]:
        if sort not in SORT_COLUMNS and sort != "random":
            raise CorpusError(f"unknown sort column {sort!r}; valid: {', '.join(SORT_COLUMNS)}, random")
        rows = self.run("page", {"f": f.params(), "sort": sort, "desc": desc, "lim": limit, "off": offset,
                                 "seed": seed})
        return [EpisodeRow(r[0], r[1], r[2], r[3], r[4], r[5], _codes(r[6]), _codes(r[7]), r[8], r[9],
                           r[10], r[11], r[12], r[13]) for r in rows]

    def position(self, f: Filters, episode_no: int, *, sort: str = "key", desc: bool = False, seed: int = 0):
        rows = self.run("page_position", {"f": f.params(), "sort": sort, "desc": desc, "seed": seed,
                                          "episode_no": episode_no})
        return rows[0][0] if rows else None

    def episode(self, key: str) -> EpisodeDetail | None:
        res = self.execute("episode", {"key": key})
        row = res.fetchone()
        if row is None:
            return None
        cols = [d[0] for d in res.description]
        detail = EpisodeDetail(dict(zip(cols, row)))
        detail.evidence = [Evidence(*r) for r in self.run("evidence", {"episode_no": detail.row["episode_no"]})]
        return detail

    # ----- sessions -----------------------------------------------------------------------
    def session(self, session_key: str) -> dict | None:
        res = self.execute("session", {"key": session_key})
        row = res.fetchone()
        return dict(zip([d[0] for d in res.description], row)) if row else None

    def turns(self, session_no: int, start: int = 1, stop: int | None = None) -> list[Turn]:
        """Turns ``start..stop`` (inclusive, 1-based) of a session; all when stop is None."""
        rows = self.run("session_turns", {"session_no": session_no, "start": start, "stop": stop or 2**31 - 1})
        return [Turn(*r) for r in rows]

    def session_evidence(self, session_no: int) -> list[tuple]:
        """(episode_key, episode_no, turn_no, role, quote) for every evidence item of the session."""
        return self.run("session_evidence", {"session_no": session_no})

    def find(self, key: str) -> tuple[str, str] | None:
        """('episode', key) or ('session', key) for a canonical key (or a unique suffix of one)."""
        key = key.strip().strip("/")
        rows = self.run("find_key", {"key": key})
        return (rows[0][0], rows[0][1]) if rows else None
