"""Full-text search over every turn and episode text: a SQLite FTS5 sidecar beside the corpus.

Why SQLite FTS5: measured on this machine, DuckDB's ``fts`` extension only loads offline with
duckdb 1.5.5 (we use 2.0 for its 3–4x faster scans) and its index build did not scale (114 s for
2M turns, no result at 20M); FTS5 ships with Python, indexes 500k turns in ~15 s and answers ranked
(BM25) queries in a few ms. The sidecar ``CORPUS.duckdb.fts`` is written at import with the corpus'
``build_id`` (``building.search_index``); a missing or stale sidecar is never used: the callers (the CLI, the
explorer) have ``building.search_index.ensure_index`` rebuild it into the cache folder (the corpus folder may
be read-only). Exact substring / regex search scans DuckDB's ``turns`` instead.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from ..filters import Filters
from ..taxonomy import SESSION_AXES

HL_START, HL_END = "\ue000", "\ue001"  # snippet highlight markers (private-use characters)
MODES = ("ranked", "substring", "regex")
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
EPISODE_ROLE = "EPISODE"  # rows of the index that are episode texts (name, description, quotes)


@dataclass(frozen=True)
class Hit:
    session_no: int
    session_key: str
    turn_no: int | None  # None for an episode-text hit
    role: str  # USER / AGENT / EPISODE
    snippet: str  # keyword in context, matches between HL_START and HL_END
    score: float
    episode_key: str | None = None


def sidecar_path(corpus_path: Path) -> Path:
    """Where the import writes a corpus' index: ``CORPUS.duckdb.fts`` beside it."""
    return corpus_path.with_name(corpus_path.name + ".fts")


def fts_query(text: str) -> str:
    """User text -> a safe FTS5 query: every word or "quoted phrase" must occur (AND); OR/NOT kept."""
    parts = []
    for m in _TOKEN.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if word in ("OR", "NOT", "AND"):
            parts.append(word)
            continue
        term = phrase if phrase is not None else word
        term = term.replace('"', "")
        if not re.search(r"\w", term):
            continue
        star = term.endswith("*") and phrase is None
        term = term.rstrip("*")
        parts.append(f'"{term}"' + ("*" if star else ""))
    while parts and parts[-1] in ("OR", "NOT", "AND"):
        parts.pop()
    if parts and parts[0] == "NOT":  # FTS5's NOT excludes from what comes before it: alone it would be dropped
        raise CorpusError(f"search {text!r}: NOT needs words before it (like: config NOT test), "
                          "because it removes matches from what comes before it")
    while parts and parts[0] in ("OR", "NOT", "AND"):
        parts.pop(0)
    if not parts:
        raise CorpusError(f"search {text!r}: no words to search for")
    return " ".join(parts)


class Searcher:
    """Searches one corpus with the index at ``index`` (default: its sidecar, which must be current; a caller
    that may meet a missing or stale one gets a rebuilt index from ``building.search_index.ensure_index``).
    Thread-safe (one SQLite connection per thread)."""

    def __init__(self, corpus, index: Path | None = None):
        self.corpus = corpus
        self.index = Path(index) if index is not None else sidecar_path(corpus.path)
        self._local = threading.local()

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            if not index_is_current(self.index, self.corpus.meta.get("build_id", "")):
                raise CorpusError("no current full-text index for this corpus (misalign-tui search rebuilds it)",
                                  path=str(self.index))
            con = sqlite3.connect(_ro_uri(self.index), uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def _scope(self, f: Filters) -> set[int] | None:
        """Session numbers allowed by the filters (None = all)."""
        episode_level = any(a not in SESSION_AXES for a, _ in f.selections) or bool(f.text)
        if not f.selections and not f.licensed_only and not f.text:
            return None
        name = "search_scope_episodes" if episode_level else "search_scope_sessions"
        return {r[0] for r in self.corpus.run(name, {"f": f.params()})}

    def search(self, text: str, f: Filters | None = None, *, human_only: bool = False, mode: str = "ranked",
               limit: int = 200) -> list[Hit]:
        f = f or Filters()
        if mode not in MODES:
            raise CorpusError(f"unknown search mode {mode!r}; valid: {', '.join(MODES)}")
        if not text.strip():
            return []
        if mode != "ranked":
            return self._scan(text, f, mode, human_only, limit)
        scope = self._scope(f.with_text(""))
        q = fts_query(text)
        role = "AND role = 'USER'" if human_only else ""
        sql = (f"SELECT session_no, turn_no, role, snippet(docs, 0, '{HL_START}', '{HL_END}', '…', 14), "
               f"bm25(docs) FROM docs WHERE docs MATCH ? {role} ORDER BY rank")
        hits: list[tuple] = []
        try:
            cur = self._con().execute(sql, (q,))
            while len(hits) < limit:
                batch = cur.fetchmany(500)
                if not batch:
                    break
                hits += [h for h in batch if scope is None or h[0] in scope]
        except sqlite3.OperationalError as e:
            raise CorpusError(f"search {text!r}: {e}") from None
        return self._finish(hits[:limit])

    def _scan(self, text, f, mode, human_only, limit) -> list[Hit]:
        g = f.with_text("")
        if mode == "regex":
            self.corpus.check_regex(text)  # DuckDB (RE2) runs it: a one-line error before any scan
        episode_level = any(a not in SESSION_AXES for a, _ in g.selections)
        rows = self.corpus.run("search_scan", {"f": g.params(), "q": text if mode == "regex" else text.lower(),
                                               "regex": mode == "regex", "human": human_only, "lim": limit,
                                               "episode_level": episode_level})
        hits = []
        if mode == "regex":  # highlighted by the engine that matched (RE2): no backtracking on hostile patterns
            from .regex_spans import regex_spans

            firsts = [s[0] if s else (0, 0) for s in regex_spans(self.corpus.cursor(), [r[3] for r in rows], text, 1)]
        else:
            pat = re.compile(re.escape(text), re.I)  # a literal: linear time
            firsts = [m.span() if (m := pat.search(body)) else (0, 0) for *_, body in rows]
        for (sno, tno, role, body), (a, b) in zip(rows, firsts):
            lo = max(0, a - 60)
            snippet = ("…" if lo else "") + body[lo:a] + HL_START + body[a:b] + HL_END + body[b:b + 80]
            hits.append((sno, tno, role, snippet.replace("\n", " "), 0.0))
        return self._finish(hits)

    def _finish(self, raw: list[tuple]) -> list[Hit]:
        if not raw:
            return []
        sessions = dict(self.corpus.run("session_keys", {"nos": sorted({r[0] for r in raw})}))
        eps = {}
        ep_rows = [r for r in raw if r[2] == EPISODE_ROLE]
        if ep_rows:
            eps = dict(self.corpus.run("episode_keys", {"nos": sorted({r[1] for r in ep_rows})}))
        out = []
        for sno, tno, role, snip, score in raw:
            if role == EPISODE_ROLE:
                out.append(Hit(sno, sessions.get(sno, "?"), None, role, snip, score, eps.get(tno)))
            else:
                out.append(Hit(sno, sessions.get(sno, "?"), tno, role, snip, score))
        return out




def _ro_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path`` (percent-encoded: ``?``, ``#``, ``%`` and quotes in names are safe)."""
    return Path(path).absolute().as_uri() + "?mode=ro"


def index_is_current(path: Path, build_id: str) -> bool:
    """The index at ``path`` exists and was built for the corpus build ``build_id``."""
    if not path.is_file():  # missing, or a FIFO / device (opening one would block or read garbage)
        return False
    try:
        con = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == build_id

