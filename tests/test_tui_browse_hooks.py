"""Browse-screen hooks into the other screens: full-text search, charts, A/B comparison."""

from __future__ import annotations

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.charts import ChartsScreen, CompareScreen
from misalign_tui.tui.search_screen import SearchScreen
from tests.test_tui_browse_support import browse_screen, settle


async def test_ctrl_f_c_and_ab_open_their_screens(sample_corpus):
    app = MisalignApp(Corpus.open(sample_corpus), local_clipboard=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        scr.apply_filters(Filters().toggled("platform", "CLI"))
        await settle(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await pilot.pause()
        scr.table.focus()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChartsScreen)
        await pilot.press("escape")
        await pilot.pause()
        a = scr.filters
        await pilot.press("A")
        scr.apply_filters(Filters().toggled("platform", "IDE"))
        await settle(pilot)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert scr.pinned_a == a
    app.corpus.close()
