"""The reviewer workspace's store: create, edit, paths, re-import, orphans, merge; the corpus never written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from misalign_tui.data import dirs
from misalign_tui.data.building.importer import run_import
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.workspace import ReviewStore, WorkspaceError, notes_for
from misalign_tui.data.workspace import paths as ws_paths
from misalign_tui.data.workspace import workspace_path
from misalign_tui.data.workspace.coding import Coding, codings, create_round, save_coding
from misalign_tui.data.workspace.exchange import merge
from misalign_tui.data.workspace.schema import WS_SCHEMA_VERSION
from tests.test_tui_browse_support import build, write_study


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("ws_store"), 30)


@pytest.fixture
def corpus(corpus_path):
    c = Corpus.open(corpus_path)
    yield c
    c.close()


def keys_of(corpus) -> list[str]:
    return [r.key for r in corpus.page(Filters(), limit=100)]


def test_default_path_is_beside_the_corpus_and_reading_creates_nothing(corpus_path, monkeypatch):
    monkeypatch.delenv(ws_paths.ENV_WORKSPACE, raising=False)
    path = workspace_path(corpus_path)
    assert path == corpus_path.with_name("corpus.duckdb.review.duckdb")
    store = ReviewStore(path, "alice")
    assert store.snapshot().is_empty() and store.bookmarks() == {} and store.notes() == []
    assert not path.exists()


def test_workspace_override_env_and_read_only_folder(tmp_path, corpus_path, monkeypatch):
    monkeypatch.setenv(dirs.ENV_DATA, str(tmp_path / "data"))
    monkeypatch.delenv(ws_paths.ENV_WORKSPACE, raising=False)
    assert workspace_path(corpus_path, tmp_path / "w.duckdb") == tmp_path / "w.duckdb"
    assert workspace_path(corpus_path, tmp_path) == tmp_path / "corpus.duckdb.review.duckdb"  # a folder
    monkeypatch.setenv(ws_paths.ENV_WORKSPACE, str(tmp_path / "env.duckdb"))
    assert workspace_path(corpus_path) == tmp_path / "env.duckdb"
    monkeypatch.delenv(ws_paths.ENV_WORKSPACE)
    monkeypatch.setattr(ws_paths, "dir_writable", lambda folder: False)  # a read-only corpus folder
    p = workspace_path(corpus_path)
    assert p.parent == tmp_path / "data" and p.name.startswith("corpus-") and p.name.endswith(".review.duckdb")
    store = ReviewStore(p, "alice")
    store.toggle_bookmark("k/1/s/M001")
    assert p.exists() and store.bookmarks() == {"k/1/s/M001": ("alice",)}


def test_each_cached_import_corpus_has_its_own_workspace(tmp_path, monkeypatch):
    """Privacy (issue 15): notes on one cached corpus never show up in another; the sample's is stable."""
    monkeypatch.setenv("MISALIGN_TUI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(dirs.ENV_DATA, str(tmp_path / "data"))
    monkeypatch.delenv(ws_paths.ENV_WORKSPACE, raising=False)
    (tmp_path / "cache").mkdir()
    sample = workspace_path(tmp_path / "cache" / "corpus-v1-sample.duckdb")
    a = workspace_path(tmp_path / "cache" / "corpus-v1-src-0123456789ab.duckdb")
    b = workspace_path(tmp_path / "cache" / "corpus-v1-src-ba9876543210.duckdb")
    assert sample == tmp_path / "data" / "sample.review.duckdb"
    assert a == tmp_path / "data" / "src-0123456789ab.review.duckdb" and len({sample, a, b}) == 3
    assert ws_paths.CACHED not in {sample.name, a.name, b.name}


def test_reviewer_defaults_to_user(monkeypatch):
    monkeypatch.delenv(ws_paths.ENV_REVIEWER, raising=False)
    monkeypatch.setenv("USER", "carol")
    assert ReviewStore("x.duckdb").reviewer == "carol"
    monkeypatch.setenv(ws_paths.ENV_REVIEWER, "dave")
    assert ReviewStore("x.duckdb").reviewer == "dave"
    assert ReviewStore("x.duckdb", "erin").reviewer == "erin"


def test_bookmarks_tags_notes_views_create_and_edit(tmp_path, corpus):
    k1, k2 = keys_of(corpus)[:2]
    alice, bob = ReviewStore(tmp_path / "w.duckdb", "alice"), ReviewStore(tmp_path / "w.duckdb", "bob")
    assert alice.toggle_bookmark(k1) is True and bob.toggle_bookmark(k1) is True
    assert alice.bookmarks() == {k1: ("alice", "bob")}
    assert alice.toggle_bookmark(k1) is False
    assert alice.bookmarks() == {k1: ("bob",)}
    assert alice.add_tag(k1, "  Scope   creep ") == "Scope creep"
    assert bob.add_tag(k2, "scope CREEP") == "Scope creep"  # the existing spelling wins
    assert alice.tag_names() == ["Scope creep"]
    assert alice.remove_tag(k2, "scope creep") is False  # bob's tag, not alice's
    assert bob.remove_tag(k2, "scope creep") is True
    for bad in ("", "   ", "-x", "a\x1bb", "x" * 65):
        with pytest.raises(WorkspaceError):
            alice.add_tag(k1, bad)
    n = alice.save_note("first\nline two", k1)
    assert n.kind == "episode" and n.reviewer == "alice" and n.body == "first\nline two"
    n2 = alice.save_note("edited", k1)
    assert n2.note_id == n.note_id and n2.created_at == n.created_at and n2.updated_at >= n.updated_at
    bob.save_note("bob's view", k1)
    t = alice.save_note("turn note", k1, session_key=k1.rsplit("/", 1)[0], turn_no=3)
    assert t.kind == "turn" and t.target == k1.rsplit("/", 1)[0] and t.episode_key == k1
    assert alice.my_note(k1).body == "edited" and bob.my_note(k1).body == "bob's view"
    assert alice.save_note("   ", k1) is None  # empty deletes
    assert alice.my_note(k1) is None and bob.my_note(k1) is not None
    alice.save_view("S3 on CLI", {"selections": {"symptom": ["S3"]}, "sort": "time"})
    alice.save_view("S3 on CLI", {"selections": {"symptom": ["S3", "S5"]}})
    assert alice.views() == {"S3 on CLI": {"selections": {"symptom": ["S3", "S5"]}}}
    snap = alice.snapshot()
    assert snap.bookmarks == {k1: ("bob",)} and snap.tags == {"Scope creep": {k1}}
    assert [x.body for x in snap.notes[k1]] == ["bob's view"]
    assert [x.turn_no for x in snap.turn_notes[k1.rsplit("/", 1)[0]]] == [3]
    assert snap.keys_of("bookmarked") == snap.keys_of("noted") == snap.keys_of("tag:Scope creep") == {k1}
    assert notes_for([k1, k2], store=alice) == {k1: ["bob (" + snap.notes[k1][0].updated_at[:10] + "): bob's view",
                                                    f"alice ({t.updated_at[:10]}, turn 3): turn note"]}
    assert alice.delete_view("S3 on CLI") and alice.views() == {}


def test_schema_is_versioned_and_a_corpus_is_never_taken_for_a_workspace(tmp_path, corpus_path):
    store = ReviewStore(tmp_path / "w.duckdb", "alice")
    store.toggle_bookmark("a/1/s/M001")
    import duckdb

    con = duckdb.connect(str(store.path))
    assert con.execute("SELECT value FROM ws_meta WHERE key = 'schema_version'").fetchone()[0] == str(WS_SCHEMA_VERSION)
    con.execute("UPDATE ws_meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(WorkspaceError, match="newer"):
        store.bookmarks()
    before = sha256(corpus_path)
    with pytest.raises(WorkspaceError):
        ReviewStore.for_corpus(corpus_path, corpus_path)
    with pytest.raises(WorkspaceError, match="corpus"):
        ReviewStore(corpus_path, "alice").toggle_bookmark("x")
    assert sha256(corpus_path) == before


def test_writing_the_workspace_never_changes_a_byte_of_the_corpus(tmp_path):
    corpus_path = build(tmp_path / "c", 24)
    before = sha256(corpus_path)
    files_before = {p.name for p in corpus_path.parent.iterdir()}
    corpus = Corpus.open(corpus_path)
    store = ReviewStore.for_corpus(corpus_path, reviewer="alice")
    keys = keys_of(corpus)
    for k in keys[:5]:
        store.toggle_bookmark(k)
        store.add_tag(k, "checked")
        store.save_note(f"note on {k}", k)
    store.save_view("v", {"selections": {}})
    rnd = create_round(store, corpus, Filters(), "r1", 4, seed=3)
    for k in rnd.keys:
        save_coding(store, "r1", k, Coding(("S1",), (("C7", None),), "DS1", None, "RS2", None))
    store.orphans(corpus)
    merge(store, ReviewStore(store.path, "bob"), tmp_path / "merged.duckdb")
    corpus.close()
    assert sha256(corpus_path) == before
    assert {p.name for p in corpus_path.parent.iterdir()} - files_before == {"corpus.duckdb.review.duckdb"}


def test_workspace_survives_a_reimport_and_reports_orphans(tmp_path):
    corpus_path = build(tmp_path / "c", 30)
    c = Corpus.open(corpus_path)
    before = set(keys_of(c))
    c.close()
    store = ReviewStore.for_corpus(corpus_path, reviewer="alice")
    for k in sorted(before):
        store.toggle_bookmark(k)
    kept = sorted(before)[0]
    store.add_tag(kept, "x")
    store.save_note("n", kept)
    store.save_note("turn", kept, session_key=kept.rsplit("/", 1)[0], turn_no=10_000)  # no transcript: kept
    gone_session = "specstory/2000009/session_001"  # episodes 27-29 (session 9) are not re-imported
    store.save_note("turn of a session that goes", session_key=gone_session, turn_no=2)
    run_import(write_study(tmp_path / "src2", 27), corpus_path, force=True)  # the last session is gone
    c = Corpus.open(corpus_path)
    after = set(keys_of(c))
    gone = before - after
    assert len(gone) == 3 and kept in after
    snap = store.snapshot()
    assert set(snap.bookmarks) == before and kept in snap.notes and snap.key_tags[kept] == {"x": ("alice",)}
    rep = store.orphans(c)
    assert sorted(k for k, _ in rep.bookmarks) == sorted(gone) and rep.tags == []
    assert [(n.target, n.turn_no) for n in rep.notes] == [(gone_session, 2)]
    assert {k.rsplit("/", 1)[0] for k in gone} == {gone_session}
    assert rep.total == 4 and len(rep.lines()) == 4
    store.add_tag(sorted(gone)[0], "stale")
    assert store.orphans(c).tags == [(sorted(gone)[0], "stale", "alice")]
    c.close()


def test_merge_two_reviewers(tmp_path):
    a, b = ReviewStore(tmp_path / "a.duckdb", "alice"), ReviewStore(tmp_path / "b.duckdb", "bob")
    for s in (a, b):
        s.toggle_bookmark("e/1/s/M001")
        s.add_tag("e/1/s/M001", "scope")
        s.save_note(f"{s.reviewer} thinks so", "e/1/s/M001")
    b.add_tag("e/1/s/M002", "later")
    a.save_view("mine", {"sort": "key"})
    b.save_view("mine", {"sort": "time"})
    with a.writing() as con:  # the same round in both files (e.g. a copied workspace)
        con.execute("INSERT INTO rounds VALUES ('r', 1, 2, '', 'alice', '2025-01-01T00:00:00Z')")
        con.execute("INSERT INTO round_items VALUES ('r', 0, 'e/1/s/M001'), ('r', 1, 'e/1/s/M002')")
    with b.writing() as con:
        con.execute("INSERT INTO rounds VALUES ('r', 1, 2, '', 'alice', '2025-01-01T00:00:00Z')")
        con.execute("INSERT INTO round_items VALUES ('r', 0, 'e/1/s/M001'), ('r', 1, 'e/1/s/M002')")
        con.execute("INSERT INTO rounds VALUES ('other', 5, 1, '', 'bob', '2025-01-02T00:00:00Z')")
        con.execute("INSERT INTO round_items VALUES ('other', 0, 'e/1/s/M003')")
    save_coding(a, "r", "e/1/s/M001", Coding(("S1",), (("C7", None),), "DS1", None, "RS2", None))
    save_coding(b, "r", "e/1/s/M001", Coding(("S2",), (("C1", "direct"),), "DS2", "DL1", "RS2", None))
    out = tmp_path / "merged.duckdb"
    rep = merge(a, b, out)
    m = ReviewStore(out, "alice")
    snap = m.snapshot()
    assert snap.bookmarks == {"e/1/s/M001": ("alice", "bob")}
    assert snap.key_tags == {"e/1/s/M001": {"scope": ("alice", "bob")}, "e/1/s/M002": {"later": ("bob",)}}
    assert sorted(n.body for n in snap.notes["e/1/s/M001"]) == ["alice thinks so", "bob thinks so"]
    assert set(snap.views) == {"mine", "mine (bob)"} and any("view 'mine'" in d for d in rep.decisions)
    by = codings(m, "r")
    assert set(by) == {"alice", "bob"} and by["bob"]["e/1/s/M001"].symptoms == ("S2",)
    from misalign_tui.data.workspace.coding import rounds

    assert [r.name for r in rounds(m)] == ["r", "other"]
    assert rep.counts["bookmarks"] == 2 and rep.counts["notes"] == 2 and rep.counts["codings"] == 2
    with pytest.raises(WorkspaceError, match="exists"):
        merge(a, b, out)
    # the same note edited in both copies: the newer edit is kept, and reported
    c = tmp_path / "c.duckdb"
    merge(m, ReviewStore(tmp_path / "b.duckdb", "bob"), c)
    import shutil

    shutil.copy(out, tmp_path / "copy.duckdb")
    cp = ReviewStore(tmp_path / "copy.duckdb", "alice")
    cp.save_note("alice changed her mind", "e/1/s/M001")
    rep2 = merge(m, cp, tmp_path / "d.duckdb")
    d = ReviewStore(tmp_path / "d.duckdb", "alice")
    assert d.my_note("e/1/s/M001").body == "alice changed her mind"
    assert any("edited in both" in x for x in rep2.decisions)
