"""The browse screen driven with Pilot on real corpora: facets, counts, table, search, copy, keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.facets import FacetList
from misalign_tui.tui.table import EpisodeTable
from tests.test_tui_browse_support import browse_screen, facet_counts, screen_text, settle

ROOT = Path(__file__).resolve().parents[1]
SELECTED = Filters().toggled("symptom", "S2").toggled("symptom", "S3").toggled("platform", "IDE")


def make_app(path: Path, **kw) -> MisalignApp:
    return MisalignApp(Corpus.open(path), local_clipboard=False, **kw)


async def select_by_keys(pilot) -> None:
    """Focus the facet panel and pick symptom S2, S3 and platform IDE with keys only."""
    app = pilot.app
    await pilot.press("shift+tab")
    fl = app.screen.query_one(FacetList)
    assert fl.has_focus
    assert fl.current.axis == "symptom" and fl.current.value == "S1"
    await pilot.press("j", "space")
    await settle(pilot)
    await pilot.press("j", "space")
    await settle(pilot)
    for _ in range(20):
        if fl.current.axis == "platform":
            break
        await pilot.press("right_square_bracket")
    assert fl.current.axis == "platform" and fl.current.value == "IDE"
    await pilot.press("space")
    await settle(pilot)


async def test_facet_keys_match_the_data_layer(real_corpus):
    app = make_app(real_corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        assert scr.count == app.corpus.count(Filters()) == 75
        assert facet_counts(scr.facets) == facet_counts(app.corpus.facets(Filters()))
        await select_by_keys(pilot)
        assert scr.filters == SELECTED
        n = app.corpus.count(SELECTED)
        assert 0 < n < 75
        assert scr.count == n and scr.table.total == n
        assert facet_counts(scr.facet_list.facets) == facet_counts(app.corpus.facets(SELECTED))
        assert f"{n} of 75 episodes · row 1 of {n} · symptom ∈ {{S2, S3}} · platform = IDE" in screen_text(app)
        assert "■ IDE IDE session" in screen_text(app)
        await pilot.press("g")  # first facet value: the symptom rows scroll into view
        text = screen_text(app)
        assert "■ S2 Misread" in text and "□ S1 Wrong" in text  # glyphs, not colour alone
        # each facet is counted without its own selection: S1's count is the S1 ∧ IDE selection
        s1 = app.corpus.count(Filters().toggled("symptom", "S1").toggled("platform", "IDE"))
        assert {v.value: v.count for v in scr.facets["symptom"]}["S1"] == s1
        while scr.facet_list.current.axis != "platform":
            await pilot.press("right_square_bracket")
        await pilot.press("j", "space")  # platform CLI as well: OR within the facet
        await settle(pilot)
        assert scr.filters.get("platform") == ("IDE", "CLI")
        assert scr.count == app.corpus.count(SELECTED.toggled("platform", "CLI"))
    app.corpus.close()


async def test_facet_keys_match_the_cli(real_corpus):
    app = make_app(real_corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select_by_keys(pilot)
        scr = browse_screen(app)
        shown_count, shown = scr.count, facet_counts(scr.facet_list.facets)
    app.corpus.close()
    out = subprocess.run([sys.executable, "-m", "misalign_tui", "stats", str(real_corpus), "--filter", "symptom=S2,S3",
                          "--filter", "platform=IDE", "--json"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["episodes"]["total"] == shown_count
    cli = {}
    for axis, values in data["facets"].items():
        if isinstance(values, dict):
            cli[axis] = {k: (v["count"] if isinstance(v, dict) else v) for k, v in values.items()}
        else:
            cli[axis] = {v["value"]: v["count"] for v in values}
    for axis, counts in shown.items():
        assert {k: v for k, v in cli.get(axis, {}).items() if v} == {k: v for k, v in counts.items() if v}, axis


async def test_y_copies_the_key_and_Y_a_citation(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("j", "j")
        await settle(pilot)
        row = scr.table.current
        assert scr.table.cursor == 2 and row is not None
        await pilot.press("y")
        assert app.clipboard == row.key
        await pilot.press("Y")
        await settle(pilot)
        cite = app.clipboard
        assert cite.startswith(f"**{row.key}** — ")
        assert "- Symptom: S" in cite and "developer pushback, turn 3" in cite
        await pilot.press("ctrl+y")
        assert app.clipboard == f"misalign-tui {text_corpus}"
        scr.apply_filters(Filters().toggled("symptom", "S3").with_licensed(True))
        await settle(pilot)
        await pilot.press("ctrl+y")
        assert app.clipboard == f"misalign-tui {text_corpus} --filter symptom=S3 --licensed-only"
    app.corpus.close()


async def test_search_narrows_rows_and_bad_regex_is_a_message(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("slash", *"please", "enter")
        await settle(pilot)
        assert scr.filters.text == "please" and scr.count == 60  # every pushback quote says it
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"login", "enter")
        await settle(pilot)
        want = app.corpus.count(Filters().with_text("login"))
        assert 0 < want < 60 and scr.count == want == scr.table.total
        assert "text ~ 'login'" in screen_text(app)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"re:(log|sch)", "enter")
        await settle(pilot)
        assert scr.filters.regex and scr.count == app.corpus.count(Filters().with_text("(log|sch)", regex=True))
        before = scr.filters
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"re:(unclosed", "enter")
        await settle(pilot)
        assert scr.filters == before  # not applied
        assert any("invalid regex" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.press("x")
        await settle(pilot)
        assert scr.filters == Filters() and scr.count == 60
    app.corpus.close()


async def test_g_G_paging_on_16000_rows(big_corpus):
    app = make_app(big_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        table = scr.table
        assert table.total == 16000
        await pilot.press("G")
        await settle(pilot)
        last = app.corpus.page(Filters(), offset=15999, limit=1)[0]
        assert table.cursor == 15999 and table.current.key == last.key
        assert last.key in screen_text(app)
        assert table.loaded_rows() <= EpisodeTable.MAX_PAGES * EpisodeTable.PAGE
        await pilot.press("k", "k")
        assert table.cursor == 15997
        await pilot.press("g")
        await settle(pilot)
        assert table.cursor == 0 and table.current.key == app.corpus.page(Filters(), limit=1)[0].key
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.cursor == table.body_height
        await pilot.press("j")
        assert table.cursor == table.body_height + 1
        await pilot.press("pageup")
        assert table.cursor == 1
    app.corpus.close()


async def test_sort_by_key_and_by_header_click(big_corpus):
    app = make_app(big_corpus)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("s")  # key -> time
        await settle(pilot)
        assert (scr.sort, scr.desc) == ("time", False)
        assert scr.table.current.key == app.corpus.page(Filters(), sort="time", limit=1)[0].key
        await pilot.press("S")
        await settle(pilot)
        assert scr.desc and scr.table.current.key == app.corpus.page(Filters(), sort="time", desc=True,
                                                                      limit=1)[0].key
        assert "sorted by time ▼" in screen_text(app)
        x = scr.table._header().index("Sev")
        await pilot.click(EpisodeTable, offset=(x + 1, 0))
        await settle(pilot)
        assert (scr.sort, scr.desc) == ("severity", False)
        assert scr.table.current.key == app.corpus.page(Filters(), sort="severity", limit=1)[0].key
        await pilot.click(EpisodeTable, offset=(x + 1, 0))
        await settle(pilot)
        assert (scr.sort, scr.desc) == ("severity", True)
        assert "Sev ▼" in screen_text(app)
        await pilot.press("R")
        await settle(pilot)
        assert "random order, seed 42" in screen_text(app)
        assert scr.table.current.key == app.corpus.page(Filters(), sort="random", seed=42, limit=1)[0].key
    app.corpus.close()


async def test_licensed_only_and_facet_panel_toggle(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        # at 80 columns the facet panel stays, narrower, with its OR / AND rule in short
        assert scr.query_one("#facet-panel").display
        assert "OR within · AND across facets" in screen_text(app)
        await pilot.press("L")
        await settle(pilot)
        assert scr.count == app.corpus.count(Filters().with_licensed(True)) < 60
        assert "licensed only" in screen_text(app)
        await pilot.press("f")  # hidden: the status line names the rule instead
        assert not scr.query_one("#facet-panel").display and scr.table.has_focus
        assert "OR within · AND across facets" in scr.query_one("#status").render().plain
        await pilot.press("f")
        assert scr.query_one("#facet-panel").display and scr.facet_list.has_focus
    app.corpus.close()


async def test_hostile_text_renders_literally(text_corpus):
    app = make_app(text_corpus)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        await pilot.press("ctrl+g", *"swe/2000000/session_001/M001", "enter")  # go to, by key
        await settle(pilot)
        assert scr.table.current.key == "swe/2000000/session_001/M001"
        text = screen_text(app)
        assert "osc52 ␛]52;c;ZXZpbA==␇ grab" in text  # table and detail card
        assert "clear ␛[2J screen" in text
        assert "markup [bold red]x[/] literal" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "cXVvdGU=␇" in text  # the evidence comes first in the detail card
        await pilot.press("tab", "G")  # focus the detail card, scroll to its end (description, reasoning)
        await pilot.pause()
        assert scr.focused is scr.query_one("#detail")
        text = screen_text(app)
        assert "␛[31mred␛[0m [link=x]y[/link]" in text and "\x1b" not in text  # the description
        await pilot.press("Y")
        await settle(pilot)
        assert "\x1b" not in app.clipboard and "␛]52;c;cXVvdGU=␇" in app.clipboard
    app.corpus.close()
