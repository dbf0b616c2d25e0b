"""Repositories, sessions and how many episodes / candidates each session gets.

Session counts per (platform, agent) are the published mix scaled to the requested size; sessions
are grouped into repositories with increasing timestamps; which sessions carry VALID episodes is
decided by ranking a latent score (longer sessions, a per-repository effect and an AR(1) term across
adjacent sessions, which gives the published persistence), so the per-platform rates hold exactly.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from datetime import datetime, timedelta
from itertools import accumulate

from . import params

END = datetime(2026, 4, 30, 23, 59)
MONTH_STARTS = tuple(datetime(int(m[:4]), int(m[5:]), 1) for m, _ in params.MONTHS)
MONTH_INDEX = {m: i for i, (m, _) in enumerate(params.MONTHS)}
LICENSE_CODES = tuple(c for c, _ in params.LICENSES)
LICENSE_CUM = tuple(accumulate(w for _, w in params.LICENSES))


def mix(*parts) -> int:
    """A stable 64-bit seed from parts (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "big")


def alloc(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Largest-remainder split of ``total`` in proportion to ``weights`` (each >= minimum if possible)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [max(minimum, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    i = 0
    while sum(out) < total:
        out[order[i % len(order)]] += 1
        i += 1
    while sum(out) > total:
        j = max(range(len(out)), key=lambda k: (out[k] - raw[k], k))
        out[j] -= 1
    return out


class Repo:
    __slots__ = ("source", "rid", "license", "licensed", "commits", "sessions", "seed")


class Session:
    __slots__ = ("repo", "count_id", "sha", "ts", "ts_str", "month", "platform", "agent", "ut", "at",
                 "transcript", "latent", "n_valid", "n_invalid", "cands", "n_turns")

    @property
    def sid(self) -> str:
        return f"session_{self.count_id:03d}"


def _user_turns(rng, platform: str) -> int:
    med, sigma, tail = params.USER_TURNS[platform]
    if rng.random() < tail:
        lo, hi = params.TAIL_TURNS
        return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    return max(1, min(params.MAX_AGENT_TURNS, int(med * math.exp(sigma * rng.gauss(0.0, 1.0)) + 0.5)))


def _first_month(platform: str, agent: str) -> int:
    if agent in params.AGENT_FIRST_MONTH:
        return MONTH_INDEX[params.AGENT_FIRST_MONTH[agent]]
    return MONTH_INDEX[params.CLI_UNKNOWN_FIRST_MONTH] if platform == "CLI" else 0


def build(n: int, seed: int, rng) -> list[Repo]:
    """Repositories with their sessions (timestamps, turns, transcript flag); no episodes yet."""
    mix_rows = params.SESSION_MIX
    counts = alloc(n, [c for _, _, c in mix_rows], minimum=1 if n >= 200 else 0)
    if sum(counts) != n:  # the minimum overshot: take from the largest group
        counts[0] -= sum(counts) - n
    repos: list[Repo] = []
    used_ids: set[int] = set()
    mweights = [w * f for (_, w), f in zip(params.MONTHS, params.MONTH_FIT)]
    for (platform, agent, _), cnt in zip(mix_rows, counts):
        first = _first_month(platform, agent)
        mcum = tuple(accumulate(w if i >= first else 0 for i, w in enumerate(mweights)))
        left = cnt
        while left > 0:
            size = min(left, max(1, int(2.6 * math.exp(1.05 * rng.gauss(0.0, 1.0)) + 0.5)), 90)
            left -= size
            r = Repo()
            swe = platform == "CLI" and agent in params.SWE_AGENTS and rng.random() < params.SWE_SHARE
            r.source = "swe" if swe else "specstory"
            lo, hi = params.SWE_ID_RANGE if swe else params.SPECSTORY_ID_RANGE
            rid = rng.randint(lo, hi)
            while rid in used_ids:
                rid = rng.randint(lo, hi)
            used_ids.add(rid)
            r.rid = rid
            r.license = LICENSE_CODES[bisect.bisect_right(LICENSE_CUM, rng.random() * LICENSE_CUM[-1])]
            r.licensed = r.license not in ("NO_LICENSE", "NOASSERTION")
            r.commits = max(1, min(20000, int(40 * math.exp(1.5 * rng.gauss(0.0, 1.0)))))
            r.seed = mix(seed, "repo", r.source, rid)
            m = bisect.bisect_right(mcum, rng.random() * mcum[-1])
            nxt = MONTH_STARTS[m + 1] if m + 1 < len(MONTH_STARTS) else END
            t = MONTH_STARTS[m] + timedelta(minutes=int(rng.random() * (nxt - MONTH_STARTS[m]).total_seconds() / 60))
            times = [t]
            for _ in range(size - 1):
                t = t + timedelta(minutes=max(3, int(math.exp(5.3 + 1.7 * rng.gauss(0.0, 1.0)))))
                times.append(t)
            if times[-1] > END:
                shift = times[-1] - END
                times = [x - shift for x in times]
            r.sessions = []
            for k, t in enumerate(times, 1):
                s = Session()
                s.repo, s.count_id, s.ts, s.platform, s.agent = r, k, t, platform, agent
                s.ts_str = t.strftime("%Y-%m-%d %H:%M:%S")
                s.month = s.ts_str[:7]
                s.sha = hashlib.sha1(f"{seed}/{r.source}/{rid}/{k}".encode()).hexdigest()
                s.ut = _user_turns(rng, platform)
                s.at = s.ut - 1 if rng.random() < 0.02 else s.ut
                s.transcript = rng.random() < params.TRANSCRIPT_SHARE
                s.n_valid = s.n_invalid = 0
                s.cands = []
                r.sessions.append(s)
            repos.append(r)
    return repos


def ensure_long(repos: list[Repo], rng) -> None:
    """At least one marathon session (>= 1,000 agent turns), as in the real data."""
    sessions = [s for r in repos for s in r.sessions]
    if len(sessions) < 100 or max(s.at for s in sessions) >= 1000:
        return
    cli = [s for s in sessions if s.platform == "CLI"] or sessions
    s = cli[rng.randrange(len(cli))]
    s.ut = s.at = rng.randint(1000, params.MAX_AGENT_TURNS)
    s.transcript = True


def assign_episodes(repos: list[Repo], rng) -> None:
    """Set n_valid / n_invalid per session following the published rates and persistence."""
    for r in repos:
        eff = 0.55 * rng.gauss(0.0, 1.0)
        e = rng.gauss(0.0, 1.0)
        for s in r.sessions:
            e = 0.45 * e + 0.893 * rng.gauss(0.0, 1.0)
            s.latent = 0.8 * math.log(s.ut) + eff + e if s.ut >= 2 else -1e9
    for platform in ("IDE", "CLI"):
        ss = [s for r in repos for s in r.sessions if s.platform == platform]
        if not ss:
            continue
        eligible = sorted((s for s in ss if s.ut >= 2), key=lambda s: -s.latent)
        k = min(len(eligible), round(params.ANY_RATE[platform] * len(ss)))
        chosen = eligible[:k]
        for s in chosen:
            s.n_valid = 1
        total = round(params.EPISODES_PER_SESSION[platform] * len(ss))
        _spread(rng, chosen, total - k, "n_valid", lambda s: min(s.ut - 1, 25), 0.6)
        invalid = round(total * (1 / params.VALID_RATE[platform] - 1))
        with_valid = round(invalid * 0.55)
        _spread(rng, chosen, with_valid, "n_invalid", lambda s: 30, 0.5)
        others = [s for s in ss if s.n_valid == 0]
        _spread(rng, others or chosen, invalid - with_valid, "n_invalid", lambda s: 30, 0.5)


def _spread(rng, sessions, extra, attr, cap, power):
    """Add ``extra`` to ``attr`` over sessions, weighted by user_turns**power, up to cap(s)."""
    if extra <= 0 or not sessions:
        return
    room = sum(max(0, cap(s) - getattr(s, attr)) for s in sessions)
    extra = min(extra, room)
    cum = tuple(accumulate(s.ut ** power for s in sessions))
    misses = 0
    while extra > 0 and misses < 2000:
        s = sessions[bisect.bisect_right(cum, rng.random() * cum[-1])]
        if getattr(s, attr) < cap(s):
            setattr(s, attr, getattr(s, attr) + 1)
            extra -= 1
        else:
            misses += 1
    for s in sessions:  # rare: the weighted draw keeps hitting full sessions
        while extra > 0 and getattr(s, attr) < cap(s):
            setattr(s, attr, getattr(s, attr) + 1)
            extra -= 1
