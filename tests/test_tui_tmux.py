"""Smoke test in a real terminal: the explorer in tmux, keys sent one at a time, the screen captured.

Skipped only when tmux is missing. Runs ``python -m misalign_tui CORPUS`` (the CLI).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import Corpus

ROOT = Path(__file__).resolve().parents[1]
STATUS = re.compile(r"([\d,]+) of ([\d,]+) episodes")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout


def wait_for(session: str, pattern: re.Pattern, timeout: float = 20.0, not_equal: str | None = None):
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        m = pattern.search(screen)
        if m and (not_equal is None or m.group(0) != not_equal):
            return m, screen
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {pattern.pattern!r}; screen:\n{screen}")


def send(session: str, *keys: str) -> None:
    for key in keys:  # one key per send-keys: Textual defers focus changes
        tmux("send-keys", "-t", session, key)
        time.sleep(0.1)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_facet_toggle_changes_the_status_count(text_corpus):
    cmd = [sys.executable, "-m", "misalign_tui", str(text_corpus)]
    session = f"misalign-tui-test-{uuid.uuid4().hex[:8]}"
    # (the tmux server may inherit COLUMNS/LINES from the test process: they would pin the app to 80x24)
    root = shlex.quote(str(ROOT))
    env = f"unset COLUMNS LINES; cd {root} && PYTHONPATH={root} TERM=xterm-256color "
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", env + shlex.join(cmd))
    tmux("set-option", "-t", session, "remain-on-exit", "off")
    try:
        m, _ = wait_for(session, STATUS)
        assert m.group(0) == "60 of 60 episodes"
        send(session, "BTab")  # focus the facet panel
        send(session, "j")  # symptom S2
        send(session, "Space")
        m2, screen = wait_for(session, STATUS, not_equal=m.group(0))
        corpus = Corpus.open(text_corpus)
        try:
            want = corpus.count(Filters().toggled("symptom", "S2"))
        finally:
            corpus.close()
        assert m2.group(0) == f"{want} of 60 episodes" and want < 60
        assert "symptom = S2" in screen and "■ S2" in screen
        send(session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and session in tmux("list-sessions", "-F", "#{session_name}"):
            time.sleep(0.1)
        assert session not in tmux("list-sessions", "-F", "#{session_name}")  # q quit the app
    finally:
        tmux("kill-session", "-t", session)
