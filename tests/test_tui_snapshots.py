"""Snapshots of the browse screen (pytest-textual-snapshot). Deterministic: fixed sizes, a corpus built
from a fixed seed, every worker finished before the screenshot, no clock anywhere on screen.

Update with ``--snapshot-update`` only after looking at the SVGs in tests/__snapshots__/.
"""

from __future__ import annotations

import pytest

from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from tests.test_tui_browse_support import settle


@pytest.fixture
def app(text_corpus):
    corpus = Corpus.open(text_corpus)
    yield lambda **kw: MisalignApp(corpus, local_clipboard=False, **kw)
    corpus.close()


async def _settled(pilot):
    await settle(pilot)


def test_browse(snap_compare, app):
    assert snap_compare(app(), terminal_size=(160, 45), run_before=_settled)


def test_browse_wide_detail_right(snap_compare, app):
    assert snap_compare(app(), terminal_size=(240, 50), run_before=_settled)


def test_facet_selected(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("shift+tab", "j", "j", "space")  # symptom S3
        await settle(pilot)
        for _ in range(11):  # to platform
            await pilot.press("right_square_bracket")
        await pilot.press("j", "space")  # platform CLI
        await settle(pilot)
        await pilot.press("tab")  # back to the table
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(160, 45), run_before=run_before)


def test_help(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(120, 50), run_before=run_before)


def test_light_theme(snap_compare, app):
    assert snap_compare(app(theme="light"), terminal_size=(160, 45), run_before=_settled)


def test_80x24(snap_compare, app):
    assert snap_compare(app(), terminal_size=(80, 24), run_before=_settled)


def test_80x24_facets_open(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f", "j", "space")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(80, 24), run_before=run_before)
