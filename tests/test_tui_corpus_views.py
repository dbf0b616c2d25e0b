"""Which corpus and workspace a view names (issue 15): cache corpora with stable names and a workspace each,
stale cache entries removed and reported, view strings that still work elsewhere, filter values a corpus lacks
(a warning, never an error), and the stats label of the validation scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from misalign_tui.cli import main
from misalign_tui.data import dirs
from misalign_tui.data.building import import_cache
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.workspace import paths as ws_paths
from misalign_tui.data.workspace.paths import workspace_path
from misalign_tui.tui.app import MisalignApp

from .test_tui_browse_support import browse_screen, settle, write_study


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(dirs.ENV_CACHE, str(tmp_path / "cache"))
    monkeypatch.setenv(dirs.ENV_DATA, str(tmp_path / "data"))
    monkeypatch.delenv(ws_paths.ENV_WORKSPACE, raising=False)
    return tmp_path / "cache"


def test_cache_corpora_have_stable_names_and_stale_ones_are_removed(cache, tmp_path):
    src = tmp_path / "study"
    write_study(src, 9)
    cache.mkdir()
    legacy = cache / "corpus-v1-0123456789abcdef0123.duckdb"  # an earlier release's per-install name
    legacy.write_bytes(b"x" * 1000)
    Path(str(legacy) + ".fts").write_bytes(b"y" * 10)
    old_schema = cache / "corpus-v0-sample.duckdb"
    old_schema.write_bytes(b"z")
    removed: list = []
    first = import_cache.resolve(str(src), removed=removed)
    assert first.name == f"corpus-v{import_cache.SCHEMA_VERSION}-{import_cache.source_key([src])}.duckdb"
    assert sorted(n for n, _ in removed) == sorted([legacy.name, legacy.name + ".fts", old_schema.name])
    assert not legacy.exists() and not old_schema.exists()
    assert import_cache.cache_sources(first) == [str(src.resolve())]
    stamp = Path(str(first) + ".fingerprint")
    data = json.loads(stamp.read_text())
    data["fingerprint"] = "from another install"  # the code changed: re-imported under the same name
    stamp.write_text(json.dumps(data))
    again = import_cache.resolve(str(src))
    assert again == first and json.loads(stamp.read_text())["fingerprint"] != "from another install"
    assert import_cache.source_key([import_cache.sample_sources()]) == "sample"


def test_each_cache_corpus_keeps_its_own_notes(cache, tmp_path):
    from misalign_tui.data.workspace.store import ReviewStore

    a_src, b_src = tmp_path / "a", tmp_path / "b"
    write_study(a_src, 6)
    write_study(b_src, 6, seed=2)
    a, b = import_cache.resolve(str(a_src)), import_cache.resolve(str(b_src))
    assert workspace_path(a) != workspace_path(b)
    ReviewStore.for_corpus(a, None, "alice").toggle_bookmark("swe/2000000/session_001/M001")
    assert ReviewStore.for_corpus(b, None, "alice").bookmarks() == {}


async def test_copied_view_names_the_folder_not_the_cache_file(cache, tmp_path):
    src = tmp_path / "study"
    write_study(src, 6)
    path = import_cache.resolve(str(src))
    app = MisalignApp(Corpus.open(path), local_clipboard=False, filters=Filters.parse(["platform=CLI"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == f"misalign-tui {src.resolve()} --filter platform=CLI"
    app.corpus.close()


def test_a_value_the_corpus_lacks_warns_and_matches_nothing(text_corpus, capsys):
    code = main(["stats", str(text_corpus), "--filter", "agent=Claude Code,HAL 9000", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and "warning: --filter agent=HAL 9000: not in this corpus, matches nothing here" in err
    c = Corpus.open(text_corpus)
    try:  # the missing value matches nothing; the others still match
        assert json.loads(out)["episodes"]["total"] == c.count(Filters.parse(["agent=Claude Code"]))
    finally:
        c.close()
    assert main(["stats", str(text_corpus), "--filter", "symptom=S9"]) == 2  # a typo on a taxonomy axis: error
    assert "valid: S1" in capsys.readouterr().err


async def test_the_explorer_shows_the_filter_warning(text_corpus):
    warnings: list[str] = []
    c = Corpus.open(text_corpus)
    f = c.parse_filters(["repo=nowhere"], warnings=warnings)
    app = MisalignApp(c, local_clipboard=False, filters=f, warnings=warnings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert browse_screen(app).count == 0
        assert any("repo=nowhere" in n.message for n in app._notifications)
    c.close()


def test_stats_labels_the_episodes_row_by_its_scope(text_corpus, capsys):
    assert main(["stats", str(text_corpus), "--filter", "validation=INVALID"]) == 0
    out = capsys.readouterr().out
    assert "invalid episodes" in out and "valid episodes" not in out.replace("invalid episodes", "")
    assert main(["stats", str(text_corpus)]) == 0
    assert "valid episodes" in capsys.readouterr().out
