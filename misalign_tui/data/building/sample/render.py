"""Transcript text: per-repository project vocabulary, the filler turns and their messages.

Turns are rendered as lists of messages; consecutive messages of one role merge into one turn when
the study's numbering is applied (turns.merge_turns), so USER turns are the odd turn numbers and
AGENT turns the even ones. Pinned texts (episode evidence) are placed by plan.py.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

from . import vocab
from .labels import pick

STACK_KEYS, STACK_CUM = tuple(k for k, _ in vocab.STACK_WEIGHTS), tuple(accumulate(w for _, w in vocab.STACK_WEIGHTS))
AGENT_TOOLS = {  # (read, edit, search, shell)
    "Claude Code": ("Read", "Edit", "Grep", "Bash"),
    "Codex": ("read_file", "apply_patch", "grep_search", "exec_command"),
    "Cursor IDE": ("read_file", "edit_file", "codebase_search", "run_terminal_cmd"),
    "Copilot IDE": ("read_file", "replace_string_in_file", "grep_search", "run_in_terminal"),
    "Gemini CLI": ("read_file", "replace", "search_file_content", "run_shell_command"),
}
NTOOLS = (0, 1, 1, 1, 2, 2, 3, 4)
USER_KINDS = (("followup", 0.30), ("ack", 0.26), ("question", 0.13), ("request", 0.13), ("paste", 0.11),
              ("innocent", 0.07))
USER_POOLS = {"followup": vocab.FOLLOWUPS, "ack": vocab.ACKS, "question": vocab.QUESTIONS, "request": vocab.REQUESTS,
              "paste": vocab.PASTES, "innocent": vocab.INNOCENT}
UK_ITEMS, UK_CUM = tuple(k for k, _ in USER_KINDS), tuple(accumulate(w for _, w in USER_KINDS))


def _case(verb: str, noun: str, case: str) -> str:
    return verb + noun if case == "camel" else f"{verb}_{noun.lower()}"


def make_project(repo) -> dict:
    """The fictional project of a repository: names, files, commands, outputs (deterministic)."""
    rng = random.Random(repo.seed)
    st = vocab.STACKS[pick(rng, STACK_KEYS, STACK_CUM)]
    name = rng.choice(vocab.NAME_HEADS) + rng.choice(vocab.NAME_TAILS)
    mods = rng.sample(vocab.MODULES, 5)
    funcs = list(dict.fromkeys(_case(rng.choice(vocab.VERBS), rng.choice(vocab.NOUNS), st["case"]) for _ in range(9)))
    files = list(dict.fromkeys(rng.choice(st["files"]).format(mod=rng.choice(mods), stem=vocab.stem_of(f), pkg=name)
                               for f in funcs))
    test_files = [st["test_file"].format(mod=m, stem=m) for m in mods[:3]]
    errors = [t.format(func=rng.choice(funcs), mod=rng.choice(mods), pkg=name, noun=rng.choice(vocab.NOUNS))
              for t in st["errors"] for _ in range(2)]
    oks = [o.format(pkg=name, mod=rng.choice(mods)) for o in st["ok"]]
    codes = [c.format(func=f, mod=mods[0]) for c in st["code"] for f in rng.sample(funcs, 2)]
    rnd = rng.random
    long_log = "\n".join(f"  ✓ {_ch(rnd, mods)} > {_ch(rnd, funcs)} handles case {i} ({1 + int(rnd() * 90)} ms)"
                         for i in range(1, 41)) + "\n\n" + oks[0]
    tools = tuple(rng.choice(p) for p in (vocab.TOOLS_READ, vocab.TOOLS_EDIT, vocab.TOOLS_SEARCH, vocab.TOOLS_SHELL))
    ctx = {"project": name, "test_cmd": rng.choice(st["test"]), "build_cmd": rng.choice(st["build"]),
           "run_cmd": rng.choice(st["run"]).format(pkg=name), "clean_cmd": st["clean"], "migrate_cmd": st["migrate"],
           "file": files[0], "file2": files[-1], "func": funcs[0], "mod": mods[0], "feature": vocab.FEATURES[0],
           "test_file": test_files[0], "error": errors[0], "config": st["configs"][0], "dep": st["deps"][0]}
    return {"name": name, "lang": st["lang"], "mods": mods, "funcs": funcs, "files": files,
            "test_files": test_files, "errors": errors, "oks": oks, "codes": codes, "long_log": long_log,
            "tools": tools, "features": rng.sample(vocab.FEATURES, 5), "configs": st["configs"], "deps": st["deps"],
            "base": ctx, "ctx": dict(ctx)}


def episode_ctx(proj: dict, rng) -> dict:
    """Placeholders of one episode (kept fixed so act, pushback and description agree)."""
    ctx = dict(proj["base"])
    files = proj["files"]
    ctx["file"] = rng.choice(files)
    others = [f for f in files if f != ctx["file"]] or files
    ctx["file2"] = rng.choice(others)
    ctx["func"] = rng.choice(proj["funcs"])
    ctx["mod"] = rng.choice(proj["mods"])
    ctx["feature"] = rng.choice(proj["features"])
    ctx["config"] = rng.choice(proj["configs"])
    ctx["dep"] = rng.choice(proj["deps"])
    ctx["test_file"] = rng.choice(proj["test_files"])
    return ctx


def title_of(proj: dict, rng) -> tuple[str, str]:
    """(session title, the opening request that goes with it)."""
    ctx = episode_ctx(proj, rng)
    ctx["error"] = rng.choice(proj["errors"])
    title, request = rng.choice(vocab.TITLES)
    t = title.format_map(ctx)
    return t[0].upper() + t[1:], request.format_map(ctx)


def _refresh(ctx, proj, rnd):
    files, funcs, mods = proj["files"], proj["funcs"], proj["mods"]
    ctx["file"] = files[int(rnd() * len(files))]
    ctx["func"] = funcs[int(rnd() * len(funcs))]
    ctx["mod"] = mods[int(rnd() * len(mods))]


def _ch(rnd, seq):
    """rng.choice without its overhead (the hot path draws millions of these)."""
    return seq[int(rnd() * len(seq))]


def user_filler(proj: dict, rng, used: set) -> list[str]:
    """A non-pushback developer turn. ``used`` keeps the session's (template, detail) pairs, so
    longer turns are not near-copies of earlier ones (that would read as a repeated instruction)."""
    rnd = rng.random
    ctx = proj["ctx"]
    for _ in range(4):
        kind = UK_ITEMS[bisect_right(UK_CUM, rnd() * UK_CUM[-1])]
        if kind == "ack":
            return [_ch(rnd, vocab.ACKS)]
        pool = USER_POOLS[kind]
        i = int(rnd() * len(pool))
        d = int(rnd() * len(vocab.DETAILS)) if kind in ("request", "followup", "question") and rnd() < 0.6 else -1
        key = (kind, i)
        if kind == "paste":  # the same error pasted twice reads as a repeat, whatever the wording
            d = int(rnd() * len(proj["errors"]))
            key = (kind, d)
        if key not in used:
            used.add(key)
            break
    else:
        return [_ch(rnd, vocab.ACKS)]
    _refresh(ctx, proj, rnd)
    if kind == "request" or kind == "followup":
        ctx["feature"] = _ch(rnd, proj["features"])
        ctx["test_file"] = _ch(rnd, proj["test_files"])
    elif kind == "paste":
        ctx["error"] = proj["errors"][d]
    text = pool[i].format_map(ctx)
    if d >= 0 and kind != "paste":
        text += " " + vocab.DETAILS[d].format_map(ctx)
    if kind == "paste" and not text.startswith("```") and rnd() < 0.3:
        # the error pasted as its own message: merges into the same turn
        return [text.split("\n", 1)[0], "```\n" + ctx["error"] + "\n```"]
    return [text]


def agent_blocks(proj: dict, rng, tools: tuple) -> tuple[list[str], int]:
    """The blocks of a filler agent turn, and where its closing text (explanation...) starts."""
    rnd = rng.random
    ctx = proj["ctx"]
    _refresh(ctx, proj, rnd)
    files = proj["files"]
    blocks = [_ch(rnd, vocab.OPENERS).format_map(ctx)]
    for _ in range(NTOOLS[int(rnd() * len(NTOOLS))]):
        r = rnd()
        f = files[int(rnd() * len(files))]
        if r < 0.3:
            blocks.append(f"Tool use: **{tools[0]}** `{f}`")
        elif r < 0.42:
            blocks.append(f"Tool use: **{tools[2]}** `{_ch(rnd, proj['funcs'])}`")
        elif r < 0.62:
            b = f"Tool use: **{tools[1]}** `{f}`"
            if rnd() < 0.4:
                b += f"\n\n```{proj['lang']}\n{_ch(rnd, proj['codes'])}\n```"
            blocks.append(b)
        else:
            q = rnd()
            cmd = ctx["test_cmd"] if q < 0.6 else ctx["build_cmd"] if q < 0.85 else ctx["run_cmd"]
            q = rnd()
            if q < 0.25:
                out = _ch(rnd, proj["errors"]) + ("\n\nExit code 1" if rnd() < 0.4 else "")
            else:
                out = proj["long_log"] if q < 0.29 else _ch(rnd, proj["oks"])
            blocks.append(f"Tool use: **{tools[3]}** `{cmd}`\n\n```\n{out}\n```")
    head = len(blocks)
    if rnd() < 0.7 or head == 1:
        blocks.append(_ch(rnd, vocab.EXPLAINS).format_map(ctx))
    if rnd() < 0.15:
        blocks.append(f"```{proj['lang']}\n{_ch(rnd, proj['codes'])}\n```")
    if rnd() < 0.35:
        blocks.append(_ch(rnd, vocab.CLOSERS).format_map(ctx))
    return blocks, head


def render(sess, proj: dict, upins: dict, apins: dict, rng) -> list[dict]:
    """All messages of a session: pinned turns as planned, filler elsewhere."""
    agent_role = "assistant" if sess.repo.source == "swe" or rng.random() < 0.5 else "agent"
    tools = AGENT_TOOLS.get(sess.agent, proj["tools"])
    dashes = sess.repo.source == "specstory" and rng.random() < 0.3
    eot = sess.repo.source == "swe" and rng.random() < 0.4
    msgs: list[dict] = []
    used: set = set()
    add = msgs.append
    rnd = rng.random
    for j in range(1, sess.ut + 1):
        t = 2 * j - 1
        parts = upins.get(t) or user_filler(proj, rng, used)
        for p in parts:
            if dashes and rnd() < 0.15:
                p = "---\n\n" + p if rnd() < 0.5 else p + "\n\n---"
            add({"role": "user", "content": p})
        if j > sess.at:
            break
        blocks, head = agent_blocks(proj, rng, tools)
        pinned = apins.get(t + 1)
        if pinned:  # position 0: opens the turn; others: after the tool calls, in order
            blocks[head:head] = [b for pos, b in pinned if pos]
            blocks[:0] = [b for pos, b in pinned if not pos]
        n = len(blocks)
        cuts = [n]
        if n >= 3 and rnd() < 0.35:
            cuts = [1 + int(rnd() * (n - 1)), n]
        start = 0
        for c in cuts:
            p = "\n\n".join(blocks[start:c])
            start = c
            if dashes and rnd() < 0.15:
                p = "---\n\n" + p if rnd() < 0.5 else p + "\n\n---"
            if eot and rnd() < 0.1:
                p += "<|endoftext|>"
            add({"role": agent_role, "content": p})
    return msgs
