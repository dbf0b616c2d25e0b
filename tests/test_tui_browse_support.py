"""Corpora for the explorer's tests (no tests here): study-shaped files with names and evidence.

``write_study`` writes annotated / session-mapping / Atlas files that the real importer reads, so the
explorer is tested on what ``misalign-tui import`` produces. ``hostile=True`` puts terminal escape
sequences and Rich markup into names, descriptions and quotes.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from misalign_tui.data.taxonomy import CAUSES, SYMPTOMS, TIERS

AGENTS = (("IDE", "Unknown"), ("CLI", "Claude Code"), ("IDE", "Cursor IDE"), ("CLI", "Codex"),
          ("CLI", "OpenCode"), ("IDE", "Copilot IDE"), ("CLI", "Gemini CLI"), ("CLI", "Cursor CLI"),
          ("CLI", "Unknown"), ("CLI", "Copilot CLI"))
LICENSES = ("MIT", "Apache-2.0", "NO_LICENSE", "GPL-3.0", "NOASSERTION", "BSD-3-Clause", "MPL-2.0",
            "ISC", "Unlicense", "LGPL-3.0", "AGPL-3.0")
HOSTILE_NAMES = (
    "osc52 \x1b]52;c;ZXZpbA==\x07 grab",
    "clear \x1b[2J screen",
    "markup [bold red]x[/] literal",
)
WORDS = ("refactor", "test", "config", "build", "deploy", "schema", "parser", "login", "cache", "docs",
         "migration", "lint", "import", "route", "widget", "query")


def _labels(rng: random.Random) -> dict:
    rec = {s: False for s in SYMPTOMS}
    for s in rng.sample(list(SYMPTOMS)[:7], rng.choice((1, 1, 2, 3))):
        rec[s] = True
    if rng.random() < 0.02:
        rec["S8"] = True
        rec["symptom_other_descriptor"] = "emerging thing"
    for c in CAUSES:
        rec[c] = None
    if rng.random() < 0.25:
        rec["C7"] = "not_applicable"
    else:
        for c in rng.sample(list(CAUSES)[:6], rng.choice((1, 1, 2))):
            rec[c] = rng.choice(list(TIERS))
    sev = rng.choices(("DS0", "DS1", "DS2", "DS3", "DS4"), (1, 80, 10, 2, 3))[0]
    rec["damage_severity"] = sev
    rec["damage_locus"] = rng.choice(("DL1", "DL2", "DL3", "DL4")) if sev in ("DS2", "DS3") else None
    rec["resolution_status"] = "RS1" if rng.random() < 0.1 else "RS2"
    rec["resolver"] = rng.choice(("RV1", "RV2", "RV2", "RV3")) if rec["resolution_status"] == "RS1" else None
    rec["alignment_goal"] = rng.choice(("instruction", "intention", "both"))
    rec["confidence"] = rng.choices(("high", "medium", "low"), (8, 2, 1))[0]
    return rec


def write_study(folder: Path, n_episodes: int, *, hostile: bool = False, seed: int = 1) -> list[str]:
    """Write annotated_misalignments.json, session_mapping.json and atlas.json; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    annotated, atlas, sessions = [], [], {}
    for i in range(n_episodes):
        s = i // 3
        repo, cid = 2_000_000 + s % 53, s // 53 + 1
        platform, agent = AGENTS[s % len(AGENTS)]
        month = 1 + (s * 7) % 15
        year = 2025 + (month - 1) // 12
        ts = f"{year}-{(month - 1) % 12 + 1:02d}-{1 + s % 28:02d} {s % 24:02d}:{s % 60:02d}:00"
        sess = {"source": "specstory" if s % 4 else "swe", "repository_id": repo, "session_count_id": cid,
                "session_id": f"session_{cid:03d}", "session_sha": f"{s:040x}", "session_timestamp": ts,
                "session_type": platform, "agent": agent, "user_turns": 5 + s % 9, "agent_turns": 5 + s % 9,
                "num_commits": 3, "license_type": LICENSES[repo % len(LICENSES)]}
        sessions[(sess["source"], repo, cid)] = sess
        mid = f"M{i % 3 + 1:03d}"
        annotated.append({**sess, "misalignment_id": mid, **_labels(rng)})
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}"
        if hostile and i < len(HOSTILE_NAMES):
            name = HOSTILE_NAMES[i]
        desc = f"The agent {rng.choice(WORDS)}ed the {rng.choice(WORDS)} although asked not to. Episode {i}."
        if hostile and i == 0:
            desc += " \x1b[31mred\x1b[0m [link=x]y[/link]"
        atlas.append({
            "source": sess["source"], "repository_id": repo, "session_id": sess["session_id"], "id": mid,
            "name": name, "description": desc,
            "symptom_reasoning": f"Symptom reasoning {i}.", "cause_reasoning": f"Cause reasoning {i}.",
            "evidence": [
                {"turn": "TURN 3 | USER", "quote": f"no, please do not touch the {rng.choice(WORDS)} {i}"
                 + (" \x1b]52;c;cXVvdGU=\x07" if hostile and i == 0 else ""),
                 "context": "The developer pushes back."},
                {"turn": "TURN 2 | AGENT", "quote": f"I changed the {rng.choice(WORDS)}", "context": "Agent action."},
            ],
        })
    paths = [folder / "annotated_misalignments.json", folder / "session_mapping.json", folder / "atlas.json"]
    paths[0].write_text(json.dumps(annotated), encoding="utf-8")
    paths[1].write_text(json.dumps(list(sessions.values())), encoding="utf-8")
    paths[2].write_text(json.dumps(atlas), encoding="utf-8")
    return [str(p) for p in paths]


def build(folder: Path, n_episodes: int, **kw) -> Path:
    from misalign_tui.data.building.importer import run_import

    out = folder / "corpus.duckdb"
    run_import(write_study(folder / "src", n_episodes, **kw), out, force=True)
    return out


# ----- driving the app ----------------------------------------------------------------------------
def screen_text(app) -> str:
    """What the terminal shows now (the active screen, composited), one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def browse_screen(app):
    from misalign_tui.tui.browse import BrowseScreen

    for screen in app.screen_stack:
        if isinstance(screen, BrowseScreen):
            return screen
    raise AssertionError("no browse screen")


DEADLINE = 60.0  # seconds; only catches a hang — a busy 2-core machine can be very slow


async def wait_for(pilot, cond, what: str = "condition", timeout: float = DEADLINE) -> None:
    """Poll ``cond()`` between event-loop turns until it holds (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    await pilot.pause()  # let pending messages (a pushed screen's mount, say) run first
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached")
        await pilot.pause(0.01)
    await pilot.pause()


async def settle(pilot, timeout: float = DEADLINE) -> None:
    """Wait until every worker is done and the browse screen has nothing pending."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause()
        scr = browse_screen(app)
        if not scr.pending and all(w.is_finished for w in app.workers):
            await pilot.pause()
            if not scr.pending and all(w.is_finished for w in app.workers):
                return
    raise AssertionError(f"app did not settle: pending={browse_screen(app).pending}")


def facet_counts(facets) -> dict[str, dict[str, int]]:
    return {axis: {v.value: v.count for v in values} for axis, values in facets.items()}
