"""The Session screen's actions that only move, expand, copy or leave: a mixin of ``SessionScreen``.

Uses the screen's ``view``, ``blocks``, ``session``, ``detail``, ``services`` and ``show_episode``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

from textual.app import SuspendNotSupported

from misalign_tui.data.text import one_line, visible

from .model import PUSHBACK, citation
from .pager import pager_command, pager_text
from .signals import signal_kinds


class SessionActions:
    """Navigation, expand/collapse, copy, pager and back (keys in ``SessionScreen.BINDINGS``)."""

    # ----- navigation actions -----------------------------------------------------------
    def _step(self, targets: list[int], forward: bool, what: str, scope: str = "episode") -> None:
        if not self.view.ready:
            return
        if not targets:
            self.notify(f"This {scope} has no {what}.", markup=False)
            return
        cur = self.view.current
        cur = -1 if cur is None else cur
        nxt = [i for i in targets if i > cur] if forward else [i for i in targets if i < cur]
        if not nxt:
            self.notify(f"No {'later' if forward else 'earlier'} {what}.", markup=False)
            return
        self.view.jump_to(nxt[0] if forward else nxt[-1])

    def action_next_pushback(self) -> None:
        self._step(self.marked(PUSHBACK), True, "pushback turn")

    def action_prev_pushback(self) -> None:
        self._step(self.marked(PUSHBACK), False, "pushback turn")

    def action_next_hit(self) -> None:
        self._step(self.hit_blocks(), True, "search hit", "session")

    def action_prev_hit(self) -> None:
        self._step(self.hit_blocks(), False, "search hit", "session")

    def action_next_signal(self, kind: str) -> None:
        """``p`` (kind "pushback"): next detected pushback; ``f`` (kind "failure"): next tool failure or loop."""
        what = "detected pushback" if kind == "pushback" else "detected tool failure or loop"
        self._step(self.signal_blocks(signal_kinds(kind)), True, what, "session")

    def action_prev_signal(self, kind: str) -> None:
        what = "detected pushback" if kind == "pushback" else "detected tool failure or loop"
        self._step(self.signal_blocks(signal_kinds(kind)), False, what, "session")

    def action_next_evidence(self) -> None:
        self._step(self.marked(), True, "evidence turn")

    def action_prev_evidence(self) -> None:
        self._step(self.marked(), False, "evidence turn")

    def _switch_episode(self, step: int) -> None:
        if not self.session:
            return
        keys = self.episode_keys()
        if len(keys) < 2:
            self.notify("This session has no other episode.", markup=False)
            return
        i = keys.index(self.episode_key) if self.episode_key in keys else -1
        j = i + step
        if not 0 <= j < len(keys):
            self.notify(f"This is the {'last' if step > 0 else 'first'} episode of the session.", markup=False)
            return
        self.show_episode(keys[j])

    def action_next_episode(self) -> None:
        self._switch_episode(1)

    def action_prev_episode(self) -> None:
        self._switch_episode(-1)

    def action_top(self) -> None:
        self.view.unpin()
        self.view.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.view.unpin()
        self.view.scroll_end(animate=False)

    def action_scroll_down(self) -> None:
        self.view.unpin()
        self.view.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.view.unpin()
        self.view.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.view.unpin()
        self.view.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.view.unpin()
        self.view.scroll_page_up(animate=False)

    def action_toggle_expand(self) -> None:
        view = self.view
        if not view.ready:
            return
        cur = view.current
        candidates = ([cur] if cur is not None else []) + [i for i in view.visible_blocks() if i != cur]
        for i in candidates:
            if view.toggle_expanded(i):
                return
        self.notify("No long turn in view to expand or collapse.", markup=False)

    def action_expand_all(self) -> None:
        view = self.view
        if not view.ready:
            return
        collapsed = any(b.long and not b.expanded for b in self.blocks)
        n = view.set_all_expanded(collapsed)
        if n == 0:
            self.notify("No long turns in this transcript.", markup=False)
        else:
            self.notify(f"{'Expanded' if collapsed else 'Collapsed'} {n} long turn{'s' if n != 1 else ''}.",
                        markup=False)

    # ----- copy, pager, back ------------------------------------------------------------
    def action_copy_key(self) -> None:
        if self.detail:
            self.services.copy(self.detail.key, "episode key")
        elif self.session:
            self.services.copy(self.session["session_key"], "session key")

    def action_copy_citation(self) -> None:
        if self.detail:
            self.services.copy(citation(self.detail), "citation")
        elif self.session:
            self.notify("This session has no episode to cite.", markup=False)

    def pager_text(self) -> tuple[str, int | None]:
        """The transcript as the pager shows it (with the screen's marks and notes) and the current turn's line."""
        text, where = pager_text(self.blocks, self.session or {}, self.detail.key if self.detail else None)
        cur = self.view.current
        return text, where.get(cur) if cur is not None else None

    def action_pager(self) -> None:
        """``o``: ``$PAGER`` on the transcript, opened at the current turn, with the pushback / evidence marks."""
        if not self.session_key or not self.loaded:
            return
        text, line = self.pager_text()
        fd, path = tempfile.mkstemp(prefix="misalign-session-", suffix=".txt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            with self.app.suspend():
                subprocess.run(pager_command(path, line), check=False)
        except SuspendNotSupported:
            self.notify("Cannot open a pager here (the terminal cannot be suspended).", severity="warning",
                        markup=False)
        except (FileNotFoundError, PermissionError) as e:
            self.notify(f"Cannot run the pager: {one_line(visible(str(e)))} (set $PAGER)", severity="error",
                        markup=False)
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass

    def action_back(self) -> None:
        if self.app.screen is self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
