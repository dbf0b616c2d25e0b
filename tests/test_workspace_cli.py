"""``misalign-tui notes …``: export (JSONL, CSV, Markdown), merge, orphans, rounds, agreement, where; and the
function the case-file export uses to include reviewer notes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from misalign_tui.cli import main
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.workspace import ReviewStore, notes_for
from misalign_tui.data.workspace.coding import Coding, create_round, save_coding
from tests.test_tui_browse_support import build


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws_cli")
    corpus_path = build(root, 24)
    c = Corpus.open(corpus_path)
    keys = [r.key for r in c.page(Filters(), limit=50)]
    alice = ReviewStore.for_corpus(corpus_path, reviewer="alice")
    alice.toggle_bookmark(keys[0])
    alice.add_tag(keys[0], "scope")
    alice.save_note("looks like C4\nsecond line", keys[0])
    alice.save_note("the turn", keys[1], session_key=keys[1].rsplit("/", 1)[0], turn_no=3)
    alice.add_tag("gone/1/session_001/M001", "orphan")
    rnd = create_round(alice, c, Filters(), "r1", 3, seed=2)
    for k in rnd.keys:
        save_coding(alice, "r1", k, Coding(("S1",), (("C7", None),), "DS1", None, "RS2", None))
    c.close()
    return corpus_path, keys, alice, rnd


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_jsonl_csv_md(setup, capsys, tmp_path):
    corpus_path, keys, alice, rnd = setup
    code, out, err = run(capsys, "notes", "export", str(corpus_path), "--format", "jsonl")
    assert code == 0, err
    recs = [json.loads(line) for line in out.splitlines()]
    types = [r["type"] for r in recs]
    assert types.count("bookmark") == 1 and types.count("tag") == 2 and types.count("note") == 2
    assert types.count("round") == 1 and types.count("coding") == 3
    note = next(r for r in recs if r["type"] == "note" and r["kind"] == "episode")
    assert note["key"] == keys[0] and note["body"] == "looks like C4\nsecond line" and note["reviewer"] == "alice"
    coding = next(r for r in recs if r["type"] == "coding")
    assert coding["causes"] == ["C7"] and coding["symptoms"] == ["S1"] and coding["complete"] is True
    code, out, _ = run(capsys, "notes", "export", str(corpus_path), "--format", "csv", "--only", "note,tag")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["type"] for r in rows} == {"note", "tag"} and len(rows) == 4
    turn_note = next(r for r in rows if r["type"] == "note" and r["turn_no"] == "3")
    assert turn_note["session_key"] == keys[1].rsplit("/", 1)[0]
    out_md = tmp_path / "ws.md"
    code, _, err = run(capsys, "notes", "export", str(corpus_path), "--format", "md", "--out", str(out_md))
    md = out_md.read_text()
    assert code == 0 and f"## `{keys[0]}` — " in md and "**Tags:** scope" in md and "> looks like C4" in md
    assert "# Coding rounds" in md and "## r1" in md
    code, _, err = run(capsys, "notes", "export", str(corpus_path), "--format", "md", "--only", "bogus")
    assert code == 2 and "unknown type" in err


def test_notes_for_case_files(setup):
    corpus_path, keys, alice, _ = setup
    got = notes_for(keys[:2], corpus_path=corpus_path)
    assert got[keys[0]][0].startswith("alice (") and got[keys[0]][0].endswith("): looks like C4 second line")
    assert got[keys[1]][0].endswith(", turn 3): the turn")
    assert notes_for(keys[:2], corpus_path=corpus_path.with_name("nothing.duckdb")) == {}


def test_orphans_rounds_agreement_where(setup, capsys, tmp_path):
    corpus_path, keys, alice, rnd = setup
    code, out, err = run(capsys, "notes", "orphans", str(corpus_path))
    assert code == 0 and out.strip() == "tag\tgone/1/session_001/M001\talice\torphan" and "1 orphaned" in err
    code, out, _ = run(capsys, "notes", "rounds", str(corpus_path))
    assert out.startswith("r1\t3 episodes, seed 2\talice 3/3")
    code, out, err = run(capsys, "notes", "agreement", str(corpus_path), "--round", "r1", "--reviewer", "alice")
    assert code == 0, err
    assert out.startswith("# Agreement: alice vs model") and "| severity | 3 |" in out and "Disagreements" in out
    code, _, err = run(capsys, "notes", "agreement", str(corpus_path), "--round", "nope")
    assert code == 2 and "no coding round" in err
    code, _, err = run(capsys, "notes", "agreement", str(corpus_path), "--round", "r1", "--a", "zed")
    assert code == 2 and "'zed' has not completed" in err
    code, out, _ = run(capsys, "notes", "where", str(corpus_path), "--reviewer", "bob")
    assert out.split("\t")[0] == str(alice.path) and "exists" in out and "reviewer bob" in out
    code, out, _ = run(capsys, "notes", "where", str(corpus_path), "--workspace", str(tmp_path / "w.duckdb"))
    assert out.startswith(str(tmp_path / "w.duckdb")) and "not written yet" in out


def test_merge_command(setup, capsys, tmp_path):
    _, keys, alice, _ = setup
    bob = ReviewStore(tmp_path / "bob.duckdb", "bob")
    bob.toggle_bookmark(keys[0])
    bob.save_note("bob disagrees", keys[0])
    out = tmp_path / "merged.duckdb"
    code, text, err = run(capsys, "notes", "merge", str(alice.path), str(bob.path), "--out", str(out))
    assert code == 0, err
    assert "2 bookmarks" in text and "3 notes" in text  # alice: an episode note and a turn note
    merged = ReviewStore(out, "x").snapshot()
    assert merged.bookmarks[keys[0]] == ("alice", "bob")
    assert sorted(n.reviewer for n in merged.notes[keys[0]]) == ["alice", "bob"]
    code, _, err = run(capsys, "notes", "merge", str(alice.path), str(bob.path), "--out", str(out))
    assert code == 2 and "--force" in err
    code, _, err = run(capsys, "notes", "merge", str(alice.path), str(tmp_path / "none.duckdb"), "--out",
                       str(tmp_path / "m2.duckdb"))
    assert code == 2 and "no such workspace" in err
    code, _, err = run(capsys, "notes")
    assert code == 2


def test_review_command_checks_its_arguments(setup, capsys):
    corpus_path = setup[0]
    code, _, err = run(capsys, "review", str(corpus_path), "--filter", "symptom=S99")
    assert code == 2 and "unknown value" in err
    code, _, err = run(capsys, "review", str(corpus_path), "--workspace", str(corpus_path))
    assert code == 2 and "cannot be the corpus file itself" in err


def test_exports_never_drive_the_terminal(tmp_path, capsys):
    corpus_path = build(tmp_path / "c", 6)
    store = ReviewStore.for_corpus(corpus_path, reviewer="mallory")
    key = "specstory/2000001/session_001/M001"
    store.save_note("osc52 \x1b]52;c;ZXZpbA==\x07 and bidi \u202e here \x9b", key)
    code, out, _ = run(capsys, "notes", "export", str(corpus_path), "--format", "jsonl")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
    assert json.loads(out.splitlines()[0])["body"] == "osc52 \x1b]52;c;ZXZpbA==\x07 and bidi \u202e here \x9b"
    for fmt in ("md", "csv"):
        code, out, _ = run(capsys, "notes", "export", str(corpus_path), "--format", fmt)
        assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\\x1b" in out
    target = tmp_path / "notes.csv"
    run(capsys, "notes", "export", str(corpus_path), "--format", "csv", "--out", str(target))
    assert "\x1b]52" in target.read_text()  # a CSV file keeps the data verbatim
