"""Placing a session's candidate episodes in its transcript and writing their evidence.

Each VALID episode gets an agent turn (the misaligned action, quoted as AGENT evidence) followed by
a USER pushback turn (quoted as USER evidence); sometimes a repeated instruction, the agent's fix
after pushback, a self-correction or the developer giving up. INVALID candidates quote an agent
turn (and sometimes the request before it) with no pushback. Pinned texts are returned so the
transcript renderer places them verbatim; quotes are therefore substrings of the merged turns,
except ~3% that are deliberately paraphrased, as in real annotations.
"""

from __future__ import annotations

from .render import episode_ctx
from .scenarios import GIVE_UP, INTERRUPTS, REPEATS, SCENARIOS, SELF_FIX

FOLLOWS = ("Put it back and {restate}.", "Please {restate}.", "Undo that and {restate}.", "I need you to {restate}.")
PARAPHRASE = (("don't", "do not"), ("I've", "I have"), ("didn't", "did not"), ("It's", "It is"),
              ("You're", "You are"), ("That's", "That is"), ("isn't", "is not"), ("the tests", "the test suite"),
              (" the ", " this "))
INVALID_SYMPTOMS = ("S1", "S2", "S2", "S3", "S4", "S4", "S5", "S5", "S7", "S7")


class Cand:
    """One extracted candidate episode (VALID or INVALID)."""

    __slots__ = ("valid", "lab", "category", "goal", "confidence", "mid", "story", "ctx", "evidence",
                 "anchor", "push_t")

    def __init__(self, valid, lab=None, category=None, goal=None, confidence=None):
        self.valid, self.lab, self.category = valid, lab, category
        self.goal = lab["goal"] if lab else goal
        self.confidence = lab["confidence"] if lab else confidence
        self.story = lab["story"] if lab else None
        self.evidence: list[dict] = []
        self.mid = ""
        self.anchor = self.push_t = 0


def paraphrase(quote: str, text: str) -> str:
    """A slightly reworded quote that is NOT a verbatim substring of ``text``."""
    q = quote.replace("`", "")
    if q == quote or q in text:
        for a, b in PARAPHRASE:
            if a in quote:
                q = quote.replace(a, b, 1)
                break
        else:
            q = quote[:1].swapcase() + quote[1:].rstrip(".!?")
    return q if q and q not in text else quote


def _item(turn: int | None, role: str, quote: str, context: str) -> dict:
    ref = f"TURN {turn} | {role}" if turn else "unknown turn"
    return {"turn": ref, "quote": quote, "context": context}


def plan(sess, proj: dict, rng) -> tuple[dict, dict]:
    """Pin the candidates of ``sess`` into turns; returns (user pins, agent pins) by turn number."""
    U, A = sess.ut, sess.at
    upins: dict[int, list[str]] = {}
    apins: dict[int, list[tuple[int, str]]] = {}
    valid = [c for c in sess.cands if c.valid]
    k = min(len(valid), max(0, U - 1))
    slots = sorted(rng.sample(range(2, U + 1), k)) if k else []
    slotset = set(slots)
    for c, j in zip(valid, slots):
        c.ctx = ctx = episode_ctx(proj, rng)
        sym, idx = c.story[0]
        sc = SCENARIOS[sym][idx]
        act_t, push_t = 2 * j - 2, 2 * j - 1
        c.anchor, c.push_t = act_t, push_t
        did = sc["did"].format_map(ctx)
        restate = sc["restate"].format_map(ctx)
        act = sc["act"].format_map(ctx)
        apins.setdefault(act_t, []).append((1, act))
        ev = [(act_t, "AGENT", act, f"The agent {did}.")]
        for s2, i2 in c.story[1:]:
            sc2 = SCENARIOS[s2][i2]
            act2 = sc2["act"].format_map(ctx)
            apins[act_t].append((2, act2))
            if rng.random() < 0.5:
                ev.append((act_t, "AGENT", act2, f"The agent also {sc2['did'].format_map(ctx)}."))
        lab = c.lab
        if lab["resolver"] == "RV1":
            apins[act_t].append((3, SELF_FIX[rng.randrange(len(SELF_FIX))]))
        r = rng.random()
        if r < 0.15:
            line = sc["subtle"].format_map(ctx)
            msgs = [line]
            note = "The developer points out the problem without an explicit objection."
        elif sess.platform == "CLI" and r < 0.40:
            if sym == "S6" and rng.random() < 0.5:
                line = INTERRUPTS[1]
                msgs = [line]
            else:
                line = sc["push"][rng.randrange(len(sc["push"]))].format_map(ctx)
                msgs = [INTERRUPTS[0], line]
            note = "The developer interrupts the agent and objects."
        else:
            line = sc["push"][rng.randrange(len(sc["push"]))].format_map(ctx)
            msgs = [line]
            if rng.random() < 0.4:
                follow = FOLLOWS[rng.randrange(len(FOLLOWS))].format(restate=restate)
                if rng.random() < 0.15:
                    msgs.append(follow)  # a second user message: merges into the same turn
                else:
                    msgs[0] = f"{line} {follow}"
            note = f"The developer pushes back right after the agent's turn {act_t}."
        if lab["resolver"] == "RV3":
            msgs[-1] += " " + GIVE_UP[rng.randrange(len(GIVE_UP))]
        upins[push_t] = msgs
        ev.append((push_t, "USER", line, note))
        if rng.random() < 0.2:
            free = [x for x in range(j + 1, min(U, j + 3) + 1) if x not in slotset and 2 * x - 1 not in upins]
            if free:
                t2 = 2 * free[0] - 1
                rep = REPEATS[rng.randrange(len(REPEATS))].format(restate=restate)
                upins[t2] = [rep]
                ev.append((t2, "USER", rep, "The developer has to repeat the instruction."))
        if lab["resolver"] == "RV2" and push_t + 1 <= 2 * A:
            fix = sc["fix"].format_map(ctx)
            apins.setdefault(push_t + 1, []).append((0, fix))
            if rng.random() < 0.6:
                ev.append((push_t + 1, "AGENT", fix, "The agent corrects the problem after the pushback."))
        if act_t - 1 >= 1 and act_t - 1 not in upins and rng.random() < 0.5:
            upins[act_t - 1] = [sc["ask"].format_map(ctx)]
        c.evidence = _finish(ev, upins, rng)
    for c in sess.cands:
        if c.valid:
            continue
        c.ctx = ctx = episode_ctx(proj, rng)
        sym = INVALID_SYMPTOMS[rng.randrange(len(INVALID_SYMPTOMS))]
        c.story = [(sym, rng.randrange(len(SCENARIOS[sym])))]
        sc = SCENARIOS[sym][c.story[0][1]]
        ev = []
        if A == 0:
            c.anchor = 1
            if 1 not in upins:
                upins[1] = [sc["ask"].format_map(ctx)]
            ev.append((1, "USER", upins[1][0], "The developer's request."))
        else:
            a = A if c.category == "session_terminated_before_completion" else rng.randint(1, A)
            c.anchor = 2 * a
            act = sc["act"].format_map(ctx)
            apins.setdefault(2 * a, []).append((1, act))
            if rng.random() < 0.4 and 2 * a - 1 not in upins:
                upins[2 * a - 1] = [sc["ask"].format_map(ctx)]
                ev.append((2 * a - 1, "USER", upins[2 * a - 1][0], "The developer's request."))
            ev.append((2 * a, "AGENT", act, f"The agent {sc['did'].format_map(ctx)}."))
        c.evidence = _finish(ev, upins, rng)
    order = sorted(sess.cands, key=lambda c: (c.anchor, not c.valid))
    for i, c in enumerate(order, 1):
        c.mid = f"M{i:03d}"
    sess.cands = order
    return upins, apins


def _finish(ev, upins, rng) -> list[dict]:
    out = []
    for t, role, quote, note in sorted(ev, key=lambda e: e[0]):
        if rng.random() < 0.03:
            text = "\n\n".join(upins[t]) if role == "USER" else quote
            quote = paraphrase(quote, text)
        out.append(_item(t, role, quote, note))
    if rng.random() < 0.015:
        t, role, quote, note = ev[0]
        out.append(_item(None, role, quote, note))
    return out
