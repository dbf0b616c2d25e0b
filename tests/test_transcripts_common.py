"""Shared helpers of the transcript parsers: timestamps, agent labels, developer-input kinds."""

from datetime import datetime

import pytest

from misalign_tui.data.building.transcripts.common import agent_of, is_command, is_interrupt, iso_utc, parse_iso
from misalign_tui.data.text import one_line


@pytest.mark.parametrize("value,expected", [
    ("2025-10-21T03:22:08.954Z", datetime(2025, 10, 21, 3, 22, 8, 954000)),
    ("2025-10-21T05:22:08+02:00", datetime(2025, 10, 21, 3, 22, 8)),
    ("2025-10-21 03:22:08", datetime(2025, 10, 21, 3, 22, 8)),
    (1761016928000, datetime(2025, 10, 21, 3, 22, 8)),
    ("not a time", None),
    (None, None),
])
def test_iso_utc(value, expected):
    assert iso_utc(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("2025-07-10_21-47-24Z", datetime(2025, 7, 10, 21, 47, 24)),
    ("2025-06-20 12:47Z", datetime(2025, 6, 20, 12, 47)),
    ("2026-02-16 13:06:40Z", datetime(2026, 2, 16, 13, 6, 40)),
    ("2025-02-30 10:00", None),
])
def test_parse_iso(value, expected):
    assert parse_iso(value) == expected


@pytest.mark.parametrize("label,expected", [
    ("Claude Code", ("Claude Code", "CLI")), ("cursor", ("Cursor IDE", "IDE")), ("Cursor IDE", ("Cursor IDE", "IDE")),
    ("Codex CLI", ("Codex CLI", "CLI")), ("Gemini CLI", ("Gemini CLI", "CLI")), ("vscode", ("Copilot IDE", "IDE")),
    ("Some New CLI", ("Some New CLI", "CLI")), ("Mystery", ("Mystery", None)), (None, (None, None)),
])
def test_agent_labels(label, expected):
    assert agent_of(label) == expected


@pytest.mark.parametrize("text,expected", [
    ("[Request interrupted by user]", True), ("[Request interrupted by user for tool use]", True),
    ("  [Request interrupted by user]\n", True), ("[Request interrupted by user] and then more", False),
    ("please stop", False),
])
def test_is_interrupt(text, expected):
    assert is_interrupt(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("<command-name>/exit</command-name>", True), ("<local-command-stdout>Bye</local-command-stdout>", True),
    ("<local-command-caveat>Caveat: …</local-command-caveat>", True), ("/exit\n ⎿  (no content)", True),
    ("/clear", True), ("/review fix the login bug", True), ("<ide_opened_file>a.py</ide_opened_file>", True),
    ("/src/app.py is broken, fix it", False), ("/clear\nand then explain\nwhat you did in detail", False),
    ("why did you run /clear?", False), ("<div>hello</div> renders wrong", False),
])
def test_is_command(text, expected):
    assert is_command(text) is expected


def test_one_line():
    assert one_line("a\n  b\tc") == "a b c"
    assert one_line("x" * 300, 10) == "x" * 9 + "…"
    assert one_line(None) is None
