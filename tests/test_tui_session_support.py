"""Shared by the Session screen tests (no tests here): the session fixture corpus, host apps, helpers."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
from textual.screen import Screen

from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.session import SessionScreen

_BUILD = Path(__file__).parent / "fixtures" / "session_corpus" / "build.py"
_spec = importlib.util.spec_from_file_location("session_corpus_build", _BUILD)
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

M1 = f"{build.BIG}/M001"
M2 = f"{build.BIG}/M002"
NOTX = f"{build.NOTX}/M001"
ESC = f"{build.ESC}/M001"


@pytest.fixture
def corpus(session_corpus_path):
    c = Corpus.open(session_corpus_path)
    yield c
    c.close()


class BlankApp(MisalignApp):
    """The explorer with a blank screen instead of the browse screen, for a test to push its screen on."""

    def __init__(self, corpus: Corpus):
        super().__init__(corpus, local_clipboard=False)

    def get_default_screen(self) -> Screen:
        return Screen()


class SessionApp(BlankApp):
    """The explorer with the Session screen of ``key`` pushed on a blank screen."""

    def __init__(self, corpus: Corpus, key: str):
        super().__init__(corpus)
        self.key = key

    def on_mount(self) -> None:
        self.push_screen(SessionScreen(self.services, self.key))


async def opened(pilot) -> SessionScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    deadline = time.monotonic() + 60  # only catches a hang
    while not screen.loaded:
        assert time.monotonic() < deadline, "the session screen did not load"
        await pilot.pause(0.01)
    await pilot.pause()
    return screen


def top_text(screen: SessionScreen) -> str:
    view = screen.view
    return view.line_text(round(view.scroll_y))


def block_of(screen: SessionScreen, turn_no: int) -> int:
    return next(i for i, b in enumerate(screen.blocks) if b.turn_no == turn_no)
