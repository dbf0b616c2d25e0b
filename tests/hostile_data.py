"""Hostile identifiers for the round-two hostile-input tests (no tests here).

``build(folder)`` writes study files and transcripts in which every *identifier* carries terminal escape
sequences, C1 controls, BEL, bidi overrides and Rich markup — source, repository, session id, misalignment
id, agent, licence, invalid_category, the transcript's file name, Claude Code ``sessionId`` and ``cwd`` —
plus the usual hostile texts, imports them, and fills a reviewer workspace whose reviewer names, tags, notes,
saved view and coding round name are hostile too. ``assert_inert`` is the check every output must pass.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from misalign_tui.data.taxonomy import CAUSES, SYMPTOMS

from .conftest import DEVSET, TRANSCRIPTS

# An OSC 52 clipboard write, a window-title change, clear screen, a C1 CSI, BEL, a DCS, NEL, bidi override,
# an isolate and Rich markup — the payloads of the adversarial pass.
EVIL = ("\x1b]52;c;ZXZpbA==\x07\x1b]0;TITLE\x07\x1b[2J\x9b31m\x07\x1bP+q\x1b\\\x85\u202e\u2066"
        "[bold red]MARK[/]")
ID = EVIL.replace("[/]", "")  # for identifiers and file names: no "/" (keys and paths are split on it)
FILE_ID = ID.replace("\\", "")  # for files DuckDB opens: it reads a backslash in a path as a folder separator
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")
SOURCE = "spec" + ID
REPO = "repo" + ID
AGENT = "Agent" + ID
LICENSE = "MIT" + ID
CATEGORY = "cat" + ID
REVIEWER, OTHER = "rev" + ID, "bob" + ID
TAG, NOTE, VIEW, ROUND = "tag" + ID, "note " + EVIL, "view" + ID, "round" + ID
N_SESSIONS = 6
LONG = "9" * 3000  # a very long identifier: session 1's misalignment id, session 5's agent, a note
LONG_FILE = "x" * 170  # a file name near the 255-byte limit of most file systems


def assert_inert(text: str, what: str) -> None:
    """No raw control character (ESC, BEL, C0/C1, bidi override) in ``text``."""
    bad = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})
    lines = [line for line in text.splitlines() if UNSAFE.search(line)]
    assert not bad, f"{what}: raw control characters reach the terminal: {bad}\n" + "\n".join(map(repr, lines[:8]))


def _labels(i: int) -> dict:
    rec = {s: s == list(SYMPTOMS)[i % 7] for s in SYMPTOMS}
    rec.update({c: None for c in CAUSES})
    rec[list(CAUSES)[i % 6]] = "direct"
    rec.update(damage_severity="DS1", damage_locus=None, resolution_status="RS2", resolver=None,
               alignment_goal="instruction", confidence="high")
    return rec


def write_study(src: Path) -> None:
    core = src / "data" / "core"
    core.mkdir(parents=True)
    sessions, annotated, validated, atlas = [], [], [], []
    for i in range(1, N_SESSIONS + 1):
        s = {"source": SOURCE, "repository_id": REPO + str(i % 2), "session_id": f"session_{i:03d}",
             "session_count_id": i, "session_timestamp": f"2025-0{1 + i % 6}-1{i} 10:00:00",
             "session_type": "CLI" if i % 2 else "IDE", "agent": (AGENT if i % 3 else "Cursor IDE") + (LONG if i == 5 else ""),
             "license_type": LICENSE if i % 2 else "NO_LICENSE", "user_turns": 3, "agent_turns": 3,
             "num_commits": 1}
        sessions.append(s)
        mid = f"M{i:03d}" + ID + (LONG if i == 1 else "")
        annotated.append({**s, "misalignment_id": mid, **_labels(i)})
        validated.append({**s, "misalignment_id": mid, "label": "VALID", "count_id": i, "invalid_category": None})
        validated.append({**s, "misalignment_id": f"X{i:03d}" + ID, "label": "INVALID", "count_id": 100 + i,
                          "invalid_category": CATEGORY, "alignment_goal": "instruction", "confidence": "low"})
        for m in (mid, f"X{i:03d}" + ID) if i % 2 else (mid,):  # some INVALID rows without a name
            atlas.append({"source": SOURCE, "repository_id": s["repository_id"], "session_id": s["session_id"],
                          "id": m, "name": "name " + EVIL, "description": "desc " + EVIL,
                          "symptom_reasoning": "why " + EVIL,
                          "evidence": [{"turn": "TURN 1 | USER", "quote": "config " + EVIL, "context": "ctx " + EVIL},
                                       {"turn": "TURN 2 | AGENT", "quote": "did " + EVIL, "context": ""}]})
        parsed = src / "workspace" / s["repository_id"] / "session_parsed" / f"session_{i:03d}.json"
        parsed.parent.mkdir(parents=True, exist_ok=True)
        parsed.write_text(json.dumps({"title": "T " + EVIL, "timestamp": s["session_timestamp"], "messages": [
            {"role": "user", "content": "config " + EVIL + " please fix the login"},
            {"role": "assistant", "content": "I changed the config " + EVIL},
            {"role": "user", "content": "no, stop. that's not what I asked " + EVIL},
            {"role": "assistant", "content": "Sorry " + EVIL}]}))
    (core / "session_mapping.json").write_text(json.dumps(sessions))
    (core / "annotated_misalignments.json").write_text(json.dumps(annotated))
    (core / "validated_misalignments.json").write_text(json.dumps(validated))
    (src / "atlas.json").write_text(json.dumps(atlas))


def write_transcripts(folder: Path) -> None:
    """A Claude Code log with a hostile sessionId and cwd; a SpecStory file with a hostile file name."""
    folder.mkdir(parents=True)
    cc = sorted((DEVSET / "claude-code").glob("*.jsonl"))[0]
    lines = []
    for line in cc.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        if "sessionId" in obj:
            obj["sessionId"] = "sid" + ID
        if "cwd" in obj:
            obj["cwd"] = "/home/u/proj" + ID
        lines.append(json.dumps(obj))
    (folder / "cc.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    said = ["Please add a login form " + EVIL, "Done! I added the form and all tests pass.",
            "no, that's not what I asked. revert it " + EVIL, "Reverted.",
            "stop. why did you delete the tests? I said don't touch them", "Sorry, restored."]
    log = [{"type": "user" if n % 2 == 0 else "assistant", "sessionId": "pushback" + ID, "cwd": "/w/app" + ID,
            "uuid": f"u{n}", "parentUuid": f"u{n - 1}" if n else None, "timestamp": f"2025-05-01T10:0{n}:00Z",
            "message": {"role": "user", "content": text} if n % 2 == 0 else
            {"role": "assistant", "content": [{"type": "text", "text": text}]}} for n, text in enumerate(said)]
    (folder / "pushback.jsonl").write_text("".join(json.dumps(x) + "\n" for x in log), encoding="utf-8")
    md = sorted((TRANSCRIPTS / "specstory-1-early").glob("*.md"))[0]  # (no id inside: named after the file)
    name = "spec" + ID + LONG_FILE + ".md"
    (folder / name).write_bytes(md.read_bytes())


def fill_workspace(corpus_path: Path, ws: Path) -> None:
    from misalign_tui.data.filters import Filters
    from misalign_tui.data.reading.corpus import Corpus
    from misalign_tui.data.workspace import ReviewStore
    from misalign_tui.data.workspace.coding import Coding, create_round, save_coding

    corpus = Corpus.open(corpus_path)
    try:
        keys = [r.key for r in corpus.page(Filters(), limit=50)]
        for who in (REVIEWER, OTHER):
            store = ReviewStore(ws, who)
            for k in keys[:3]:
                store.toggle_bookmark(k)
                store.add_tag(k, "tag[bold]plain")
                store.save_note(NOTE + " by " + who + (" " + LONG if k == keys[0] else ""), k)
            store.save_note("turn " + NOTE, session_key=keys[0].rsplit("/", 1)[0], turn_no=1)
        store = ReviewStore(ws, REVIEWER)
        store.save_view(VIEW, {"filters": [], "text": "", "regex": False})
        rnd = create_round(store, corpus, Filters(), ROUND, 3, 1)
        for who in (REVIEWER, OTHER):
            for k in rnd.keys:
                save_coding(ReviewStore(ws, who), rnd.name, k,
                            Coding(symptoms=("S1",), causes=(("C1", "direct"),), severity="DS1", status="RS2"))
    finally:
        corpus.close()
    import duckdb

    con = duckdb.connect(str(ws))  # a merged workspace from elsewhere may hold what the editor refuses
    try:
        con.execute("INSERT INTO tags SELECT episode_key, ?, reviewer, created_at FROM tags", [TAG])
    finally:
        con.close()


def build(folder: Path) -> Path:
    """folder/src (study + transcripts), folder/hostile.duckdb (+ .fts) and folder/ws.duckdb; returns the corpus."""
    from misalign_tui.data.building.importer import run_import

    src = folder / "src"
    write_study(src)
    write_transcripts(src / "transcripts")
    out = folder / "hostile.duckdb"
    run_import([str(src)], out, force=True)
    fill_workspace(out, folder / "ws.duckdb")
    return out
