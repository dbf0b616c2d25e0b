"""The literal-gated matcher (pushback/literals.py) finds what plain regular expressions find.

Speed itself is measured by benchmarks/detect_speed.py, never asserted here; these tests pin the behaviour
the speed-up must not change: per pattern, the same leftmost match as ``re.search``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from misalign_tui.data.building.pushback.features import cue_hits, cues, human_text, matcher, reading
from misalign_tui.data.building.pushback.literals import WB, Matcher, fold, required, split_top

REAL = Path(__file__).parent / "fixtures" / "real" / "transcripts"


@cache
def _plain() -> list[re.Pattern]:
    return [re.compile(r"\A\W{0,3}(?:" + c.pattern + ")" if c.where == "start" else c.pattern, re.I) for c in cues()]


def _spans(text: str) -> list:
    return [m.span() if m else None for m in (p.search(text) for p in _plain())]


@pytest.fixture(scope="module")
def dev_turns() -> list[str]:
    from misalign_tui.data.building.transcript_sessions import session_rows
    from misalign_tui.data.building.transcripts.formats import parse_file

    texts = []
    for f in sorted(REAL.rglob("*")):
        if f.suffix in (".md", ".jsonl"):
            for t in parse_file(f):
                for turn in session_rows(t, None)[1] if t.messages else []:
                    text = human_text(turn) if turn.role == "USER" else None
                    if text:
                        texts.append(reading(text))
    return texts


@pytest.mark.parametrize("stride", [6, pytest.param(1, marks=pytest.mark.slow)])
def test_gated_matcher_equals_plain_search_on_dev_set_turns(dev_turns, stride):
    """Every 6th human turn of the dev set by default, every one with -m slow (the plain search is the slow part)."""
    assert len(dev_turns) > 1000
    m = matcher()
    bad = [(t[:60], c.feature) for t in dev_turns[::stride] for c, got, want in zip(cues(), m.search(t), _spans(t))
           if got != want]
    assert not bad


WORDS = ["no", "not", "still", "doesn't", "work", "why", "did", "you", "that's", "wrong", "error", "again", "I",
         "said", "DO", "NOT", "USE", "don't", "change", "revert", "it", "the", "is", "broken", "还是", "不行", "まだ",
         "não", "funciona", "Straße", "İ", "?", "!", ",", "\n", "fixed", "same", "STOP"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from([" ", "", "  "]))
def test_gated_matcher_equals_plain_search_on_generated_text(words, sep):
    text = sep.join(words)
    assert matcher().search(text) == _spans(text)


def test_required_literals_are_needed_by_every_match():
    lits = required(r"\byou (deleted|removed) (it|that)\b", re.I)
    assert lits
    for text in ("you deleted it", "YOU REMOVED THAT"):
        assert any(s.replace(WB, "") in text.casefold() for s, _ in lits)
    assert not any(s.replace(WB, "") in "you changed it" for s, _ in lits)
    assert required(r"\w+", re.I) is None  # nothing literal: the pattern always runs
    assert split_top(r"a|(b|c)|[|]|d\|e") == ["a", "(b|c)", "[|]", r"d\|e"]


def test_case_sensitive_parts_and_length_changing_folds():
    m = Matcher([(r"(?-i:\bDO NOT\b)", re.I, "", ""), (r"\bstrasse\b|\bstill\b", re.I, "", "")])
    assert m.search("do not") == [None, None]
    assert m.search("I said DO NOT") == [(7, 13), None]
    assert fold("Straße still") is None  # folding changes the length: every alternative runs on the text
    assert m.search("Straße still") == [None, (7, 12)]


def test_explanations_quote_the_turn_itself():
    hits = cue_hits("Still FAILING, same error. Please look")
    assert hits["still"][1] == "Still FAILING, same error"  # the original case, continued to the clause end
