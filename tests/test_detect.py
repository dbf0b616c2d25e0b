"""The detector: pushback (model in data/pushback), tool failures and loops (rules.toml), pinned on the sample."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from misalign_tui.data.building.pushback.signals import detect, pushback_score
from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.reading.pushback_eval import evaluate
from misalign_tui.data.turns import merge_turns


@pytest.mark.parametrize("text,flagged", [
    ("no, that's not what I asked for", True), ("Stop. Revert that.", True), ("why did you delete the config?", True),
    ("I said DO NOT TOUCH THE CONFIG", True), ("[Request interrupted by user for tool use]", True),
    ("You said all tests pass, but 3 of them are failing.", True), ("Again, add no new dependencies.", True),
    ("No problem, thanks!", False), ("don't forget to add tests", False), ("Please add a README section", False),
    ("yes", False), ("Looks good, now the CSV export", False),
])
def test_pushback_cues(text, flagged):
    assert (pushback_score(text)[1] is not None) == flagged


def test_repeated_instruction_and_agent_signals():
    msgs = [("user", "please rename the column total to amount in the report"), ("assistant", "Done."),
            ("user", "please rename the column total to amount in the report now"),
            ("assistant", "Tool use: **Bash** `npm test`\n```\nError: exit code 1\n```")]
    for _ in range(3):
        msgs += [("user", "ok"), ("assistant", "I will now run the full test suite again to check everything.")]
    kinds = {(s.kind, s.turn_no) for s in detect(merge_turns(msgs))}
    assert ("pushback", 3) in kinds
    assert ("tool_failure", 4) in kinds
    assert any(k == "loop" for k, _ in kinds)


def test_structured_tool_failures_and_loops():
    turns = merge_turns([("user", "go"), ("assistant", "x")])
    events = [(2, "Bash ls", False), (2, "Bash ls", False), (2, "Bash ls", True)]
    kinds = {s.kind for s in detect(turns, events)}
    assert kinds == {"tool_failure", "loop"}


def test_detector_recall_and_precision_on_the_sample(sample_corpus):
    r = evaluate(Corpus.open(sample_corpus))
    assert r["evidence_turns"] > 50
    # the sample's evidence turns are a strict subset of its pushback-like turns, so precision here is low by
    # construction; these bounds (below the measured figures) stop silent regressions. Real figures: README.
    assert r["recall"] >= 0.70, r
    assert r["precision"] >= 0.40, r


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abzAZ09' -_.\n\tßİKéü中ä?!")), max_size=60))
def test_loop_words_are_the_lowercase_ascii_word_runs(text):
    from misalign_tui.data.building.pushback.signals import _words

    assert _words(text) == {w.encode() for w in re.findall(r"[a-z0-9']+", text.lower())}
