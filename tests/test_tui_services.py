"""The explorer's one way of working off the UI thread: ``ServiceScreen.run_job`` queues work on a named
database lane and posts its result — or a one-line ``JobFailed`` for any exception — as a message."""

from __future__ import annotations

import pytest
from textual.message import Message

from misalign_tui.data.errors import CorpusError
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.lanes import LANES, DbLanes
from misalign_tui.tui.services import JobFailed, ServiceScreen


class Got(Message):
    def __init__(self, value) -> None:
        super().__init__()
        self.value = value


class JobScreen(ServiceScreen):
    def __init__(self, services) -> None:
        super().__init__(services)
        self.got: list = []

    def on_got(self, msg: Got) -> None:
        self.got.append(msg.value)

    def on_job_failed(self, msg: JobFailed) -> None:
        self.got.append(msg)


class Host(MisalignApp):
    def get_default_screen(self):
        return JobScreen(self.services)


async def test_results_and_failures_arrive_as_messages(sample_corpus):
    corpus = Corpus.open(sample_corpus)
    app = Host(corpus, local_clipboard=False)
    try:
        async with app.run_test() as pilot:
            screen = app.screen

            def boom():
                raise ValueError("line one\nline two")

            def bad_input():
                raise CorpusError("no such episode")

            order = []
            screen.run_job("counts", lambda: order.append(1) or corpus.count(corpus.parse_filters([])), job="count",
                           done=Got)
            screen.run_job("counts", lambda: order.append(2), job="second", done=lambda _: None)
            screen.run_job("detail", boom, job="boom", gen=7, done=Got)
            screen.run_job("detail", bad_input, job="input", done=Got)
            await app.workers.wait_for_complete()
            await pilot.pause()
            values = [g for g in screen.got if not isinstance(g, JobFailed)]
            failures = {f.job: f for f in screen.got if isinstance(f, JobFailed)}
            assert values == [corpus.count(corpus.parse_filters([]))] and order == [1, 2]
            assert failures["boom"].gen == 7 and failures["boom"].error == "ValueError: line one line two"
            assert failures["input"].error == "no such episode" and not failures["input"].cancelled
    finally:
        corpus.close()


def test_only_the_named_lanes_exist(sample):
    lanes = DbLanes(sample)
    try:
        assert lanes.call("counts", lambda: 3) == 3
        with pytest.raises(ValueError, match="unknown database lane"):
            lanes.submit("elsewhere", lambda: 1)
        used = {"counts", "facets", "pages", "detail", "export", "workspace", "review", "session", "search", "charts"}
        assert used <= set(LANES)
    finally:
        lanes.shutdown()
