"""Browse-screen actions that leave the list: copy, go to, open a session, export, palette commands.

The screens these actions open (session, search, charts, comparison) are imported when first opened: the first
paint of the browse screen does not wait for plotext, the search engine or the transcript view."""

from __future__ import annotations

import shlex

from misalign_tui.data.schema import SORT_COLUMNS
from misalign_tui.data.taxonomy import AXIS_BY_NAME, FACET_AXES
from misalign_tui.data.text import one_line, visible

from .browse_workers import EXPORT_FORMATS
from .columns import COLUMNS
from .messages import GotoResolved
from .modals import export_prompt, goto_prompt

Command = tuple[str, str, object, bool]  # (title, help, callback, discoverable)


class BrowseActions:
    """Mixin of ``BrowseScreen`` (uses its filters, table, workers and ``apply_filters``)."""

    # ----- session screen -------------------------------------------------------------------
    def open_session(self, key: str) -> None:
        """Push the session screen for an episode (or session) key; Esc there comes back here."""
        from .session import SessionScreen

        self.app.push_screen(SessionScreen(self.services, key))

    # ----- copy -----------------------------------------------------------------------------
    def action_copy_key(self) -> None:
        row = self.table.current
        if row is None:
            self.notify("No episode highlighted", severity="warning")
            return
        self.app.copy(row.key, "episode key")

    def action_copy_citation(self) -> None:
        row = self.table.current
        if row is None:
            self.notify("No episode highlighted", severity="warning")
            return
        self.load_detail(row.key, "cite")

    def view_command(self) -> str:
        """``misalign-tui CORPUS --filter …``. For a cache corpus, what names it across installs: nothing for the
        bundled sample (the default), the imported folder for ``misalign-tui FOLDER``."""
        from misalign_tui.data.building.import_cache import SAMPLE_KEY, cache_corpus_key, cache_sources

        path = self.corpus.path
        key = cache_corpus_key(path)
        target = [str(path)]
        if key == SAMPLE_KEY:
            target = []
        elif key is not None:
            target = cache_sources(path) or target
        return " ".join(x for x in ("misalign-tui", *map(shlex.quote, target), self.filters.to_cli()) if x)

    def action_copy_view(self) -> None:
        self.app.copy(self.view_command(), "view")

    # ----- go to ----------------------------------------------------------------------------
    def action_goto(self) -> None:
        def done(value: str | None) -> None:
            if value:
                sort = "random" if self.random else self.sort
                self.resolve_goto(value, self.view, self.filters, sort, self.desc and not self.random, self.seed)

        self.app.push_screen(goto_prompt(), done)

    def goto_done(self, msg: GotoResolved) -> None:
        if msg.kind is None:
            self.notify(f"No episode or session has the key {msg.query!r}", title="Go to",
                        severity="warning", markup=False)
        elif msg.kind == "session":
            if msg.key is None:
                self.notify(f"Session {msg.query!r} has no episode to open", title="Go to", markup=False)
            else:
                self.open_session(msg.key)
        elif msg.position is not None and msg.view == self.view:
            self.table.move_cursor(msg.position, center=True)
            self.table.focus()
        else:
            self.notify(f"{msg.key} is outside the current filters; opening it", title="Go to", markup=False)
            self.open_session(msg.key)

    # ----- export ---------------------------------------------------------------------------
    def ask_export(self, label: str) -> None:
        ext = EXPORT_FORMATS[label][1]

        def done(path: str | None) -> None:
            if path:
                self.export(self.filters, label, path)

        self.app.push_screen(export_prompt(label, f"misalign-export.{ext}"), done)

    # ----- command palette ------------------------------------------------------------------
    def palette_commands(self) -> list[Command]:
        f = self.filters
        out: list[Command] = [
            ("Go to episode or session…", "jump to a canonical key (ctrl+g)", self.action_goto, True),
            ("Search names, descriptions and quotes…", "/", self.action_search, True),
            ("Copy episode key", "the highlighted episode's canonical key (y)", self.action_copy_key, True),
            ("Copy citation (Markdown)", "key, glossed labels, first pushback quote (Y)",
             self.action_copy_citation, True),
            ("Copy view as a command line", self.view_command(), self.action_copy_view, True),
            (f"Licensed only: turn {'off' if f.licensed_only else 'on'}", "episodes of licensed repositories (L)",
             self.action_toggle_licensed, True),
        ]
        if self.random:
            out.append(("Sort by key (leave random order)", f"now: {self.order_words}",
                        lambda: self.set_order("key"), True))
        else:
            out.append((f"Random order (seed {self.seed})", "a seeded random sample order (R)",
                        self.action_random_order, True))
        out.append((f"Random order with a new seed ({self.seed + 1})", "reshuffle", self._reseed, False))
        for col in SORT_COLUMNS:
            out.append((f"Sort by {col}", "ascending; s cycles, S reverses", lambda c=col: self.set_order(c), False))
        if not f.is_empty():
            out.append(("Clear all filters", f.describe(), self.action_clear, True))
        for axis, values in f.selections:
            out.append((f"Clear filter: {axis}", ", ".join(values),
                        lambda a=axis: self.apply_filters(self.filters.cleared(a)), True))
        for label in EXPORT_FORMATS:
            out.append((f"Export selection as {label}", f"{self.count or 0:,} episodes to a file",
                        lambda lb=label: self.ask_export(lb), True))
        out.append(("Show/hide the facet panel", "f", self.action_toggle_facets, False))
        out += self.column_commands()
        out.append(("Full-text search over every turn", "ranked, substring or regex; scoped by the facets (ctrl+f)",
                    self.action_full_text, True))
        out.append(("Charts of the current selection", "monthly counts, shares, cross-tables (c)",
                    self.action_charts, True))
        out.append(("Sessions: every session with its signals", "also sessions without an episode (v)",
                    self.action_sessions, True))
        out.append(("Compare this selection with the rest of its scope", "A/B label distributions",
                    self.compare_with_rest, True))
        out.append(("Pin this selection as A", f.describe() or "all episodes (A)", self.action_pin_a, True))
        if self.pinned_a is not None:
            out.append(("Compare A with this selection", f"A: {self.pinned_a.describe()} (B)",
                        self.action_compare, True))
        for ax in FACET_AXES:
            for v in self.facets.get(ax.name, ()):
                on = v.value in f.get(ax.name)
                name = one_line(visible(v.value), 60)
                if v.gloss != v.value:
                    name += f" {one_line(visible(v.gloss), 60)}"
                title = f"{'Remove' if on else 'Filter'} {ax.name} = {name}"
                out.append((title, f"{AXIS_BY_NAME[ax.name].title}: {v.count:,} episodes",
                            lambda a=ax.name, val=v.value: self.apply_filters(self.filters.toggled(a, val)), False))
        return out + self.ws_palette_commands()

    def column_commands(self) -> list[Command]:
        """Pick the table's columns: hide or show each (Episode and Name always show), widen or narrow Name."""
        t = self.table
        out: list[Command] = []
        for c in COLUMNS:
            if c.sort in ("key", "name"):
                continue
            hidden = c.sort in t.hidden
            out.append((f"{'Show' if hidden else 'Hide'} column: {c.title}", "the table's columns",
                        lambda s=c.sort: t.set_columns(hidden=t.hidden ^ {s}), True))
        out.append(("Widen the Name column", "> (other columns give way)", t.action_widen_name, False))
        out.append(("Narrow the Name column", "<", t.action_narrow_name, False))
        out.append((f"Full episode keys: turn {'off' if t.full_key else 'on'}", "K; y copies the full key always",
                    t.action_toggle_full_key, False))
        return out

    def _reseed(self) -> None:
        self.seed += 1
        self.set_order(random=True)

    pinned_a = None  # Filters pinned as side A of a comparison

    def action_full_text(self) -> None:
        from .search_screen import SearchScreen

        self.app.push_screen(SearchScreen(self.services, self.filters))

    def action_sessions(self) -> None:
        from .sessions_screen import SessionsScreen

        self.app.push_screen(SessionsScreen(self.services, self.filters))

    def action_charts(self) -> None:
        from .charts import ChartsScreen

        self.app.push_screen(ChartsScreen(self.services, self.filters))

    def action_pin_a(self) -> None:
        self.pinned_a = self.filters
        self.notify(f"Pinned as A: {self.filters.describe()}. Change the filters and press B to compare.",
                    title="A/B comparison")

    def action_compare(self) -> None:
        if self.pinned_a is None:
            self.compare_with_rest()
        else:
            from .charts import CompareScreen

            self.app.push_screen(CompareScreen(self.services, self.pinned_a, self.filters))

    def compare_with_rest(self) -> None:
        """This selection against everything else in its scope."""
        from .charts import CompareScreen

        self.app.push_screen(CompareScreen(self.services, self.filters))
