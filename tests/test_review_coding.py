"""Blind re-coding in the explorer (Pilot): start a round from the palette command, code with single keys,
leave, resume; then the agreement screen (reviewer vs model, two reviewers) and its jump list."""

from __future__ import annotations

from pathlib import Path

import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.workspace.agreement import compare
from misalign_tui.data.workspace.coding import Coding, codings, get_round, model_labels, save_coding
from misalign_tui.tui.app import MisalignApp
from misalign_tui.tui.review.agreement_screen import AgreementScreen
from misalign_tui.tui.review.coding_screen import CodingScreen
from misalign_tui.tui.review.modals import RoundScreen
from tests.test_tui_browse_support import browse_screen, build, screen_text, settle, wait_for


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("review_coding"), 45)


async def until(pilot, cond) -> None:
    await wait_for(pilot, cond)


async def coding_ready(pilot, index: int) -> CodingScreen:
    app = pilot.app
    def ready() -> bool:
        s = app.screen
        return (isinstance(s, CodingScreen) and s.round is not None and s.index == index
                and (not s.editing or s.shown_key == s.current_key))

    await until(pilot, ready)
    return app.screen


async def test_code_a_round_resume_and_agreement(corpus_path, tmp_path):
    ws = tmp_path / "w.duckdb"
    app = MisalignApp(Corpus.open(corpus_path), local_clipboard=False, workspace=ws, reviewer="alice")
    store = app.workspace
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        scr.apply_filters(Filters().toggled("platform", "CLI"))
        await settle(pilot)
        population = scr.count
        scr.ws_new_round()
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        size = app.screen.query_one("#round-size")
        size.value = "3"
        await pilot.press(*"round 1 pilot", "enter")  # typing replaces the suggested name
        screen = await coding_ready(pilot, 0)
        rnd = get_round(store, screen.round.name)
        assert rnd.name == "round 1 pilot", rnd.name
        assert rnd.size == 3 and rnd.seed == 1 and "platform = CLI" in rnd.scope
        assert set(rnd.keys) <= set(k for k in [r.key for r in app.corpus.page(Filters().toggled("platform", "CLI"),
                                                                               limit=population)])
        text = screen_text(app)
        assert "BLIND RE-CODING" in text and "episode 1 of 3" in text and "model labels hidden" in text
        assert "The agent" in text  # the description is shown …
        assert "Symptom reasoning" not in text  # … the annotator's reasoning is not
        # episode 1: S1 S3, C7, DS1, RS2
        await pilot.press("1", "3", "c", "7", "d", "2")
        assert screen.active == "locus"  # a single choice moves on
        await pilot.press("r", "2")
        assert screen.coding == Coding(("S1", "S3"), (("C7", None),), "DS1", None, "RS2", None)
        assert screen.coding.complete
        await pilot.press("enter")
        screen = await coding_ready(pilot, 1)
        # episode 2: S2, C4 (direct) + C1 (speculative), DS2, DL1, RS1, RV2
        await pilot.press("2", "c", "4", "1", "t", "1", "3", "d", "3", "1", "r", "1", "v", "2")  # picks move on
        assert screen.coding == Coding(("S2",), (("C4", "direct"), ("C1", "speculative")), "DS2", "DL1", "RS1", "RV2")
        await pilot.press("9")  # no option 9 on this row: a toast, no change
        await pilot.press("n")
        screen = await coding_ready(pilot, 2)
        await pilot.press("5", "escape")  # incomplete, saved anyway; back to the browse screen
        await until(pilot, lambda: app.screen is scr)
        await settle(pilot)
        mine = codings(store, rnd.name)["alice"]
        assert mine[rnd.keys[0]].complete and mine[rnd.keys[1]].complete
        assert mine[rnd.keys[2]] == Coding(("S5",)) and not mine[rnd.keys[2]].complete
        titles = [c[0] for c in scr.palette_commands()]
        assert "Code round: round 1 pilot" in titles and "Agreement of round: round 1 pilot" in titles
        # resume: opens at the first episode not completed, with what was saved
        scr.ws_open_coding(rnd.name)
        screen = await coding_ready(pilot, 2)
        assert screen.coding == Coding(("S5",))
        await pilot.press("c", "2", "t", "2", "d", "1", "r", "2", "enter")
        screen = await coding_ready(pilot, 3)
        assert not screen.editing and "is complete for alice" in screen_text(app)
        await pilot.press("p")  # back to the last episode: its coding is there
        screen = await coding_ready(pilot, 2)
        assert screen.coding.cause_codes == ("C2",)
        await pilot.press("n")
        await coding_ready(pilot, 3)
        # agreement with the model
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.result is not None)
        agr = app.screen
        want = compare(codings(store, rnd.name, complete_only=True)["alice"], model_labels(app.corpus, rnd.keys),
                       "alice", "model")
        assert agr.result.n == 3 and [a.axis for a in agr.result.axes] == [a.axis for a in want.axes]
        assert [(a.agreement, a.kappa, a.alpha) for a in agr.result.axes] == \
               [(a.agreement, a.kappa, a.alpha) for a in want.axes]
        text = screen_text(app)
        assert "alice vs model" in text and "Cohen's κ" in text and "Krippendorff's α" in text
        # highlight the symptom set row, then open a disagreement from the jump list
        sym = want.axis("symptom")
        assert agr.axis == "symptom" and len(agr.shown) == len(sym.disagreements)
        if agr.shown:
            await pilot.press("enter")  # into the list
            await pilot.press("enter")  # open the first disagreement
            from misalign_tui.tui.session import SessionScreen

            await until(pilot, lambda: isinstance(app.screen, SessionScreen))
            assert app.screen.episode_key == agr.shown[0][0]
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is agr)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CodingScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is scr)
        await settle(pilot)
    app.corpus.close()


async def test_agreement_between_two_reviewers(corpus_path, tmp_path):
    ws = tmp_path / "w.duckdb"
    app = MisalignApp(Corpus.open(corpus_path), local_clipboard=False, workspace=ws, reviewer="alice")
    store = app.workspace
    from misalign_tui.data.workspace.coding import create_round
    from misalign_tui.data.workspace.store import ReviewStore

    rnd = create_round(store, app.corpus, Filters(), "pair", 4, seed=9)
    bob = ReviewStore(ws, "bob")
    same = Coding(("S1",), (("C1", "direct"),), "DS1", None, "RS2", None)
    for i, k in enumerate(rnd.keys):
        save_coding(store, "pair", k, same)
        save_coding(bob, "pair", k, same if i < 3 else Coding(("S2",), (("C1", "direct"),), "DS1", None, "RS2"))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        browse_screen(app).ws_open_agreement("pair")
        await until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.result is not None)
        agr = app.screen
        assert agr.pairs == [("alice", "model"), ("bob", "model"), ("alice", "bob")]
        await pilot.press("r", "r")
        assert (agr.result.rater_a, agr.result.rater_b) == ("alice", "bob")
        sym = agr.result.axis("symptom")
        assert sym.agreement == 0.75 and agr.result.axis("severity").agreement == 1.0
        assert agr.result.axis("severity").kappa is None  # one category only: undefined, shown as —
        assert agr.result.disagreeing_keys() == [sorted(rnd.keys)[sorted(rnd.keys).index(rnd.keys[3])]]
        await pilot.press("y")
        assert "# Agreement: alice vs bob" in app.clipboard
    app.corpus.close()


async def test_rounds_draw_codable_episodes_and_say_what_is_missing(corpus_path, tmp_path):
    """Issue 15: a round draws only episodes with text to read; an incomplete coding (a cause without its
    evidence tier) is named before moving on, not only after; the header never says "round round 1"."""
    from misalign_tui.data.workspace.coding import codable_keys

    ws = tmp_path / "w.duckdb"
    app = MisalignApp(Corpus.open(corpus_path), local_clipboard=False, workspace=ws, reviewer="alice")
    store = app.workspace
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        scr = browse_screen(app)
        scr.ws_new_round()
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert "only episodes with text to read" in screen_text(app)
        app.screen.query_one("#round-size").value = "2"
        await pilot.press("enter")  # the suggested name: "round 1"
        screen = await coding_ready(pilot, 0)
        rnd = get_round(store, "round 1")
        assert set(rnd.keys) <= set(codable_keys(app.corpus, scr.filters))
        assert "· round 1 ·" in screen_text(app) and "round round" not in screen_text(app)
        await pilot.press("1", "c", "6", "d", "2", "r", "2")  # C6 without its tier
        assert "Evidence tier of C6 (required)" in screen_text(app) and "choose a tier" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.index == 0  # not moved on …
        assert any("tier of C6" in n.message for n in app._notifications)  # … told why
        await pilot.press("enter")  # a second Enter saves it incomplete and goes on
        await coding_ready(pilot, 1)
    app.corpus.close()
