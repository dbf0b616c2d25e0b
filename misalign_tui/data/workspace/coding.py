"""Blind re-coding: a seeded random sample of a selection as a named round, coded episode by episode.

A round is a name, a seed and the sampled episode keys (in sample order); every reviewer's codings of its
episodes are kept per (round, episode, reviewer) and saved after every episode, so a round resumes where
the reviewer stopped. ``model_labels`` reads the corpus' labels of the same episodes for the agreement
(``agreement.compare``). A coding is *complete* with ≥1 symptom, ≥1 cause (each with a tier, except C7),
a severity and a resolution status; locus and resolver may stay empty (not applicable).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from ..filters import Filters
from ..taxonomy import AXIS_BY_NAME, C7_MARKER, CAUSES, LOCI, RESOLVERS, SEVERITIES, STATUSES, SYMPTOMS, TIERS
from .selection import selection_keys
from .store import ReviewStore, WorkspaceError, now

MAX_CAUSES = 2
SINGLE_AXES: dict[str, dict[str, str]] = {"severity": SEVERITIES, "locus": LOCI, "status": STATUSES,
                                          "resolver": RESOLVERS}
@dataclass(frozen=True)
class Coding:
    """One reviewer's labels of one episode (or the model's)."""

    symptoms: tuple[str, ...] = ()
    causes: tuple[tuple[str, str | None], ...] = ()  # (code, tier); C7 alone and without tier
    severity: str | None = None
    locus: str | None = None
    status: str | None = None
    resolver: str | None = None

    @property
    def cause_codes(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.causes)

    @property
    def complete(self) -> bool:
        return bool(self.symptoms and self.causes and self.severity and self.status
                    and all(t for c, t in self.causes if c != "C7"))

    def missing(self) -> list[str]:
        out = [w for w, ok in (("symptom", self.symptoms), ("cause", self.causes), ("severity", self.severity),
                               ("status", self.status)) if not ok]
        out += [f"tier of {c}" for c, t in self.causes if c != "C7" and not t]
        return out

    # ----- edits (new Coding) -------------------------------------------------------------------
    def toggle_symptom(self, code: str) -> "Coding":
        if code not in SYMPTOMS:
            raise WorkspaceError(f"unknown symptom {code}")
        s = set(self.symptoms) ^ {code}
        return replace(self, symptoms=tuple(c for c in SYMPTOMS if c in s))

    def toggle_cause(self, code: str) -> "Coding":
        """Add or remove a cause: C7 replaces the others; a third cause replaces the oldest one."""
        if code not in CAUSES:
            raise WorkspaceError(f"unknown cause {code}")
        if code in self.cause_codes:
            return replace(self, causes=tuple(x for x in self.causes if x[0] != code))
        if code == "C7":
            return replace(self, causes=(("C7", None),))
        kept = [x for x in self.causes if x[0] != "C7"][-(MAX_CAUSES - 1):]
        return replace(self, causes=tuple(kept) + ((code, None),))

    def with_tier(self, index: int, tier: str | None) -> "Coding":
        if tier is not None and tier not in TIERS:
            raise WorkspaceError(f"unknown tier {tier}")
        causes = list(self.causes)
        if not 0 <= index < len(causes) or causes[index][0] == "C7":
            return self
        causes[index] = (causes[index][0], tier)
        return replace(self, causes=tuple(causes))

    def with_value(self, axis: str, code: str | None) -> "Coding":
        if code is not None and code not in SINGLE_AXES[axis]:
            raise WorkspaceError(f"unknown {axis} {code}")
        return replace(self, **{axis: code})

    def value(self, axis: str) -> str:
        """The axis' value in words for tables: ``S2 S5``, ``C1:direct C4:contextual``, ``DS1``, ``—``."""
        if axis == "symptom":
            return " ".join(self.symptoms) or "—"
        if axis == "cause":
            return " ".join(c + (f":{t}" if t else "") for c, t in self.causes) or "—"
        return getattr(self, axis) or "—"


@dataclass(frozen=True)
class Round:
    name: str
    seed: int
    size: int
    scope: str
    created_by: str
    created_at: str
    keys: tuple[str, ...]


def sample_keys(population: list[str], size: int, seed: int) -> list[str]:
    """``size`` keys drawn without replacement from ``population`` (order-independent, seeded)."""
    return random.Random(seed).sample(sorted(set(population)), max(0, min(size, len(set(population)))))


def codable_keys(corpus, f: Filters) -> list[str]:
    """The episodes of ``f`` a blind coder has text to read for (a description or an evidence quote)."""
    return [r[0] for r in corpus.run("ws_codable_keys", {"f": f.params()})]


def create_round(store: ReviewStore, corpus, f: Filters, name: str, size: int, seed: int) -> Round:
    """Sample ``size`` episodes of the selection ``f`` (seed ``seed``) as the round ``name``: only episodes with
    text to read (``codable_keys``) are drawn."""
    name = " ".join(name.split())
    if not name:
        raise WorkspaceError("a coding round needs a name")
    if size < 1:
        raise WorkspaceError("a coding round needs at least one episode")
    if get_round(store, name) is not None:
        raise WorkspaceError(f"a coding round named {name!r} exists; resume it or choose another name")
    keys = sample_keys(codable_keys(corpus, f), size, seed)
    if not keys:
        raise WorkspaceError("the selection has no episode with text to code (a description or an evidence quote)"
                             if selection_keys(corpus, f) else "the selection has no episode to sample")
    rnd = Round(name, seed, len(keys), f.describe(), store.reviewer, now(), tuple(keys))
    with store.writing() as con:
        con.execute("INSERT INTO rounds VALUES (?, ?, ?, ?, ?, ?)",
                    [name, seed, rnd.size, rnd.scope, rnd.created_by, rnd.created_at])
        con.executemany("INSERT INTO round_items VALUES (?, ?, ?)", [[name, i, k] for i, k in enumerate(keys)])
    return rnd


def rounds(store: ReviewStore) -> list[Round]:
    items: dict[str, list[str]] = {}
    for rnd, key in store.rows("SELECT round, episode_key FROM round_items ORDER BY round, pos"):
        items.setdefault(rnd, []).append(key)
    return [Round(*r, tuple(items.get(r[0], ()))) for r in
            store.rows("SELECT name, seed, size, scope, created_by, created_at FROM rounds ORDER BY created_at, name")]


def get_round(store: ReviewStore, name: str) -> Round | None:
    return next((r for r in rounds(store) if r.name == name), None)


def _to_row(c: Coding) -> list:
    return [list(c.symptoms), [x for x, _ in c.causes], [t for _, t in c.causes], c.severity, c.locus, c.status,
            c.resolver, c.complete]


def _from_row(symptoms, causes, tiers, severity, locus, status, resolver) -> Coding:
    return Coding(tuple(symptoms or ()), tuple(zip(causes or (), tiers or ())), severity, locus, status, resolver)


def save_coding(store: ReviewStore, round_name: str, key: str, coding: Coding) -> None:
    """Store this reviewer's coding of ``key`` in the round (replacing an earlier one)."""
    with store.writing() as con:
        con.execute("INSERT INTO codings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    "symptoms = excluded.symptoms, causes = excluded.causes, tiers = excluded.tiers, "
                    "severity = excluded.severity, locus = excluded.locus, status = excluded.status, "
                    "resolver = excluded.resolver, complete = excluded.complete, coded_at = excluded.coded_at",
                    [round_name, key, store.reviewer, *_to_row(coding), now()])


def codings(store: ReviewStore, round_name: str, *, complete_only: bool = False) -> dict[str, dict[str, Coding]]:
    """reviewer -> episode key -> coding, for one round."""
    out: dict[str, dict[str, Coding]] = {}
    for key, reviewer, *rest, complete in store.rows(
            "SELECT episode_key, reviewer, symptoms, causes, tiers, severity, locus, status, resolver, complete "
            "FROM codings WHERE round = ? ORDER BY reviewer, episode_key", [round_name]):
        if complete or not complete_only:
            out.setdefault(reviewer, {})[key] = _from_row(*rest)
    return out


def resume_position(rnd: Round, mine: dict[str, Coding]) -> int:
    """Index of the first episode of the round this reviewer has not completed (len: all done)."""
    return next((i for i, k in enumerate(rnd.keys) if k not in mine or not mine[k].complete), len(rnd.keys))


def model_labels(corpus, keys) -> dict[str, Coding]:
    """The corpus' labels of ``keys`` as codings (every validation label; missing keys are left out)."""
    keys = list(keys)
    if not keys:
        return {}
    f = Filters().with_values("episode", keys).with_values("validation", list(AXIS_BY_NAME["validation"].codes))
    out = {}
    for key, symptoms, *rest in corpus.run("ws_model_labels", {"f": f.params()}):
        tiers, (severity, locus, status, resolver) = rest[:7], rest[7:]
        causes = tuple((f"C{i + 1}", None if (i == 6 or t == C7_MARKER) else t) for i, t in enumerate(tiers)
                       if t is not None)
        out[key] = Coding(tuple(s for s in SYMPTOMS if s in (symptoms or ())), causes, severity, locus, status,
                          resolver)
    return out


def round_progress(store: ReviewStore) -> list[tuple[Round, dict[str, int]]]:
    """Every round with its completed codings per reviewer."""
    done: dict[tuple[str, str], int] = {}
    for rnd, reviewer, n in store.rows("SELECT round, reviewer, count(*) FILTER (WHERE complete) FROM codings "
                                       "GROUP BY ALL"):
        done[(rnd, reviewer)] = n
    return [(r, {rev: n for (name, rev), n in done.items() if name == r.name}) for r in rounds(store)]
