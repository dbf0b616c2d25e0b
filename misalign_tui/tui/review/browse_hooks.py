"""The browse screen's reviewer workspace: a mixin of ``BrowseScreen``.

Keys ``m`` (bookmark), ``t`` (tag), ``a`` (note) act on the highlighted episode; ``u`` / ``U`` jump to the
next / previous bookmarked episode of the table. The facet panel gets a "Workspace" group (bookmarked, has
a note, one value per tag) with live counts; selecting values filters through the ``episode`` axis. The
detail card shows the episode's bookmarks, tags and notes. Workspace reads and writes are jobs on the
"workspace" database lane (one thread: writes keep their order); each write reloads the snapshot.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.corpus import EpisodeDetail, FacetValue
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.workspace import selection as wsel
from misalign_tui.data.workspace.coding import round_progress
from misalign_tui.data.workspace.store import Snapshot, session_of

from ..detail import DetailPane, render_detail
from ..facets import WS_AXIS
from ..rich_text import safe_text
from ..services import ServiceScreen
from .browse_palette import WorkspacePalette
from .messages import WorkspaceCounted, WorkspaceJump, WorkspaceLoaded, WorkspaceWritten
from .modals import NoteScreen, TagScreen, parse_tag_input

WS_BINDINGS = [
    Binding("m", "ws_bookmark", "Bookmark episode", show=False, id="browse.bookmark"),
    Binding("t", "ws_tag", "Tag episode", show=False, id="browse.tag"),
    Binding("a", "ws_note", "Note on episode", show=False, id="browse.note"),
    Binding("u", "ws_jump(1)", "Next bookmark", show=False, id="browse.next_bookmark"),
    Binding("U", "ws_jump(-1)", "Previous bookmark", show=False, id="browse.prev_bookmark"),
]


class WorkspaceBrowse(WorkspacePalette, ServiceScreen):
    """Base of ``BrowseScreen`` (uses its table, filters, facet list and ``apply_filters``).

    A Screen so that Textual merges its ``BINDINGS`` into the browse screen's; the help screen lists them
    in a section of their own."""

    BINDINGS = WS_BINDINGS

    def ws_init(self) -> None:
        self.ws_snap = Snapshot()
        self.ws_rounds: list = []
        self.ws_sel: tuple[str, ...] = ()  # selected workspace facet values
        self.ws_keys: tuple[str, ...] | None = None  # the episode keys they put into the filters
        self.ws_base: tuple[str, ...] = ()  # an episode selection that was there before (CLI --filter episode=)
        self._ws_positions_cache: tuple[int, list[int]] | None = None
        # workers are not exclusive (a cancelled worker breaks waiting for all of them): results of superseded
        # loads and counts are dropped by their sequence numbers instead
        self._ws_load_seq = self._ws_count_seq = 0

    @property
    def ws_store(self):
        return self.services.workspace

    # ----- snapshot -------------------------------------------------------------------------
    def ws_reload(self) -> None:
        store = self.ws_store
        if store is not None:
            self._ws_load_seq += 1
            seq = self._ws_load_seq
            self.run_job("workspace", lambda: (store.snapshot(), round_progress(store)),
                         done=lambda r: WorkspaceLoaded(r[0], r[1], seq=seq), job="workspace load",
                         failed=lambda f: WorkspaceLoaded(Snapshot(), [], f.error, seq))

    def on_screen_resume(self) -> None:
        """Back from another screen (session notes, coding): the workspace may have changed."""
        if self.is_mounted and self.ws_store is not None:
            self.ws_reload()

    def on_workspace_loaded(self, msg: WorkspaceLoaded) -> None:
        if msg.seq != self._ws_load_seq:
            return
        if msg.error:
            self.notify(msg.error, title="Reviewer workspace", severity="error", markup=False)
        self.ws_snap, self.ws_rounds = msg.snapshot, msg.rounds
        self._ws_positions_cache = None
        if self.detail is not None:
            self.show_detail(self.detail)
        self.ws_count(self.gen, self.filters)

    # ----- the facet group ------------------------------------------------------------------
    def ws_filters_changing(self, filters: Filters) -> None:
        """Called by ``apply_filters``: filters that drop the workspace's keys drop its selection."""
        if self.ws_sel and tuple(filters.get("episode")) != self.ws_keys:
            self.ws_sel, self.ws_keys, self.ws_base = (), None, ()

    def ws_shown_filters(self, filters: Filters) -> Filters:
        """The filters for the status line: the workspace selection in words instead of its key list."""
        if not self.ws_sel or tuple(filters.get("episode")) != self.ws_keys:
            return filters
        groups: dict[str, list[str]] = {}
        for v in self.ws_sel:
            groups.setdefault(wsel.group(v), []).append(wsel.label(v))
        return filters.with_values("episode", [" ∧ ".join(" ∨ ".join(g) for g in groups.values())])

    def ws_toggle(self, value: str) -> None:
        if not self.ws_sel:
            self.ws_base = self.filters.get("episode")
        sel = set(self.ws_sel) ^ {value}
        self.ws_sel = tuple(sorted(sel, key=lambda v: (wsel.group(v) != "bookmarked", wsel.group(v), v)))
        self.ws_apply()

    def ws_apply(self, filters: Filters | None = None) -> None:
        """Apply ``filters`` (default: the current ones) with the workspace selection's episode keys."""
        f = filters or self.filters
        keys = wsel.selected_keys(self.ws_snap, self.ws_sel)
        if keys is None:
            self.ws_keys = None
            f = f.with_values("episode", self.ws_base)
        else:
            if self.ws_base:
                keys &= set(self.ws_base)
            self.ws_keys = tuple(sorted(keys)) or (wsel.NO_KEY,)
            f = f.with_values("episode", self.ws_keys)
        self.apply_filters(f)

    def ws_count(self, gen: int, filters: Filters) -> None:
        if self.ws_store is None:
            return
        self._ws_count_seq += 1
        seq, snap, sel, base = self._ws_count_seq, self.ws_snap, self.ws_sel, self.ws_base
        if snap.is_empty() and not sel:
            self.post_message(WorkspaceCounted(gen, None, 0, seq))
            return
        base_f = filters.with_values("episode", base) if sel else filters
        corpus, universe = self.corpus, snap.all_keys()

        def job():
            if gen != self.gen or seq != self._ws_count_seq:
                return None
            inside = set(wsel.selection_keys(corpus, wsel.restrict(base_f, universe))) if universe else set()
            counts = wsel.counts(snap, sel, inside)
            shown = wsel.values(snap) + [v for v in sel if v not in counts]
            return [(v, counts.get(v, 0)) for v in shown], corpus.count(base_f)

        self.run_job("workspace", job, done=lambda r: r and WorkspaceCounted(gen, r[0], r[1], seq),
                     job="workspace counts", gen=gen)

    def on_workspace_counted(self, msg: WorkspaceCounted) -> None:
        if msg.gen != self.gen or msg.seq != self._ws_count_seq:
            return
        if msg.values is None:
            self.facet_list.set_workspace(None, (), 0)
            return
        values = [FacetValue(WS_AXIS, v, n, wsel.label(v)) for v, n in msg.values]
        self.facet_list.set_workspace(values, self.ws_sel, msg.total)

    # ----- detail card ----------------------------------------------------------------------
    def show_detail(self, d: EpisodeDetail) -> None:
        self.query_one(DetailPane).show(render_detail(d, self.ws_extras(d)))

    def ws_extras(self, d: EpisodeDetail) -> list:
        """The card's workspace section: bookmarks, tags, the episode's notes and its session's turn notes."""
        snap, key = self.ws_snap, d.key
        marks, tags = snap.bookmarks.get(key, ()), snap.key_tags.get(key, {})
        notes = snap.notes.get(key, []) + snap.turn_notes.get(d.row.get("session_key") or session_of(key), [])
        if not (marks or tags or notes):
            return []
        t = Text("\nWorkspace", "bold")
        if marks:
            t.append("\n★ bookmarked by ")
            t.append_text(safe_text(", ".join(marks)))
        if tags:
            t.append("\n# ")
            t.append_text(safe_text(", ".join(tags)))
        for n in notes:
            t.append("\n✎ ", "bold")
            t.append_text(safe_text(n.heading(), "bold"))
            t.append("\n")
            t.append_text(safe_text(n.body))
        return [t]

    # ----- keys -----------------------------------------------------------------------------
    def _ws_row(self):
        if self.ws_store is None:
            self.notify("No reviewer workspace for this corpus", severity="warning")
            return None
        row = self.table.current
        if row is None:
            self.notify("No episode highlighted", severity="warning")
        return row

    def action_ws_bookmark(self) -> None:
        row = self._ws_row()
        if row is None:
            return
        store, key = self.ws_store, row.key

        def job() -> str:
            return ("Bookmarked " if store.toggle_bookmark(key) else "Bookmark removed: ") + one_line(visible(key), 200)

        self.ws_write(job)

    def action_ws_tag(self) -> None:
        row = self._ws_row()
        if row is None:
            return
        store, key = self.ws_store, row.key
        tags = [v[len(wsel.TAG):] for v in wsel.values(self.ws_snap) if v.startswith(wsel.TAG)]

        def done(value: str | None) -> None:
            if not value:
                return
            add, remove = parse_tag_input(value)

            def job() -> str:
                added = [store.add_tag(key, t) for t in add]
                removed = [t for t in remove if store.remove_tag(key, t)]
                words = (["tagged " + one_line(visible(", ".join(added)), 200)] if added else []) + \
                        (["removed " + one_line(visible(", ".join(removed)), 200)] if removed else [])
                return "; ".join(words) or "no tag changed"

            self.ws_write(job)

        self.app.push_screen(TagScreen(key, tags, sorted(self.ws_snap.key_tags.get(key, {}))), done)

    def action_ws_note(self) -> None:
        row = self._ws_row()
        if row is None:
            return
        store, key = self.ws_store, row.key
        notes = self.ws_snap.notes.get(key, [])
        mine = sorted((n for n in notes if n.reviewer == store.reviewer), key=lambda n: n.updated_at)
        others = [(n.heading(), n.body) for n in notes if n.reviewer != store.reviewer]

        def done(text: str | None) -> None:
            if text is not None:
                self.ws_write(lambda: "Note saved" if store.save_note(text, key) else "Note deleted")

        self.app.push_screen(NoteScreen(f"Note on episode · {store.reviewer}", key,
                                        mine[-1].body if mine else "", others), done)

    def ws_write(self, job, open_round: str | None = None) -> None:
        """Run the write ``job`` (it returns the toast's text) on the workspace lane, then reload."""
        self.run_job("workspace", job, done=lambda text: WorkspaceWritten(text, open_round=open_round),
                     job="workspace write", failed=lambda f: WorkspaceWritten(f.error, "error"))

    def on_workspace_written(self, msg: WorkspaceWritten) -> None:
        if msg.text:
            self.notify(msg.text, title="Workspace", severity=msg.severity, markup=False)
        self.ws_reload()
        if msg.open_round and msg.severity != "error":
            self.ws_open_coding(msg.open_round)

    # ----- next / previous bookmark ---------------------------------------------------------
    def action_ws_jump(self, step: int) -> None:
        marks = set(self.ws_snap.bookmarks)
        if not marks:
            self.notify("No bookmarked episode yet (m bookmarks the highlighted one)")
            return
        cache = self._ws_positions_cache
        if cache is not None and cache[0] == self.view:
            self._ws_jump_to(cache[1], step)
            return
        sort = "random" if self.random else self.sort
        view, filters, desc, seed, corpus = self.view, self.filters, self.desc and not self.random, self.seed, self.corpus

        def job():
            keys = wsel.selection_keys(corpus, filters, sort=sort, desc=desc, seed=seed)
            return [i for i, k in enumerate(keys) if k in marks]

        self.run_job("workspace", job, done=lambda positions: WorkspaceJump(view, positions, step),
                     job="next bookmark", gen=self.gen)

    def on_workspace_jump(self, msg: WorkspaceJump) -> None:
        if msg.view != self.view:
            return
        self._ws_positions_cache = (msg.view, msg.positions)
        self._ws_jump_to(msg.positions, msg.step)

    def _ws_jump_to(self, positions: list[int], step: int) -> None:
        if not positions:
            self.notify("No bookmarked episode in this selection", severity="warning")
            return
        cur = self.table.cursor
        ahead = [p for p in positions if (p > cur if step > 0 else p < cur)]
        if ahead:
            target = ahead[0] if step > 0 else ahead[-1]
        else:
            target = positions[0] if step > 0 else positions[-1]
            self.notify("Wrapped around to the " + ("first" if step > 0 else "last") + " bookmark", timeout=2)
        self.table.move_cursor(target, center=True)
        self.table.focus()
