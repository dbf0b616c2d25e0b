"""The browse screen's workspace commands in the palette: saved views, workspace filters, coding rounds.

A saved view is the filters (without the key list a workspace selection puts into the episode axis), the
workspace selection itself (re-evaluated when the view is opened: new bookmarks count) and the sort.
"""

from __future__ import annotations

from misalign_tui.data.filters import Filters
from misalign_tui.data.schema import SORT_COLUMNS
from misalign_tui.data.taxonomy import AXIS_BY_NAME
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.workspace import selection as wsel
from misalign_tui.data.workspace.coding import codable_keys, create_round

from ..modals import PromptScreen
from .modals import RoundScreen


class WorkspacePalette:
    """Mixin of ``BrowseScreen`` through ``WorkspaceBrowse``."""

    def ws_palette_commands(self) -> list[tuple[str, str, object, bool]]:
        store = self.ws_store
        if store is None:
            return []
        snap = self.ws_snap
        out = [
            ("Bookmark / unbookmark the highlighted episode", f"reviewer {store.reviewer} (m)",
             self.action_ws_bookmark, True),
            ("Tag the highlighted episode…", "with autocompletion; -tag removes (t)", self.action_ws_tag, True),
            ("Note on the highlighted episode…", "add or edit your note (a)", self.action_ws_note, True),
            ("Next bookmarked episode", "u; U goes back", lambda: self.action_ws_jump(1), False),
            ("Save this view as…", "filters, workspace selection and sort, by name", self.ws_save_view_prompt,
             True),
        ]
        for name, spec in sorted(snap.views.items()):
            shown = one_line(visible(name), 80)
            out.append((f"Open saved view: {shown}", one_line(visible(self.ws_view_words(spec)), 200),
                        lambda n=name: self.ws_open_view(n), True))
            out.append((f"Delete saved view: {shown}", "from the workspace", lambda n=name: self.ws_delete_view(n),
                        False))
        for v in wsel.values(snap):
            on = v in self.ws_sel
            out.append((f"{'Remove' if on else 'Filter'} workspace: {one_line(visible(wsel.label(v)), 80)}",
                        f"workspace {store.path.name}",
                        lambda val=v: self.ws_toggle(val), False))
        out.append(("Start a blind re-coding round from this selection…",
                    "a seeded random sample, labels hidden; agreement with the model afterwards",
                    self.ws_new_round, True))
        for rnd, done in self.ws_rounds:
            mine = done.get(store.reviewer, 0)
            out.append((f"Code round: {one_line(visible(rnd.name), 80)}",
                        one_line(visible(f"{mine}/{rnd.size} coded by {store.reviewer}; resumes"), 200),
                        lambda n=rnd.name: self.ws_open_coding(n), True))
            coders = ", ".join(f"{r} {n}" for r, n in sorted(done.items())) or "nobody yet"
            out.append((f"Agreement of round: {one_line(visible(rnd.name), 80)}",
                        one_line(visible(f"coded: {coders}"), 200),
                        lambda n=rnd.name: self.ws_open_agreement(n), True))
        return out

    # ----- saved views ----------------------------------------------------------------------
    def ws_view_spec(self) -> dict:
        f = self.filters.with_values("episode", self.ws_base) if self.ws_sel else self.filters
        return {"selections": {k: list(v) for k, v in f.selections}, "text": f.text, "regex": f.regex,
                "licensed_only": f.licensed_only, "workspace": list(self.ws_sel), "sort": self.sort,
                "desc": self.desc, "random": self.random, "seed": self.seed}

    @staticmethod
    def ws_view_words(spec: dict) -> str:
        parts = [f"{k}={','.join(v)}" for k, v in spec.get("selections", {}).items() if k != "episode"]
        parts += [wsel.label(v) for v in spec.get("workspace", ())]
        if spec.get("text"):
            parts.append(("regex " if spec.get("regex") else "text ") + repr(spec["text"]))
        order = "random" if spec.get("random") else f"{spec.get('sort', 'key')}{' ▼' if spec.get('desc') else ''}"
        return (" · ".join(parts) or "no filters") + f" · {order}"

    def ws_save_view_prompt(self) -> None:
        store, spec = self.ws_store, self.ws_view_spec()

        def done(name: str | None) -> None:
            if name:
                self.ws_write(lambda: (store.save_view(name, spec), f"Saved view {name!r}")[1])

        self.app.push_screen(PromptScreen("Save this view as", placeholder="view name",
                                          hint=self.ws_view_words(spec) + " · Enter saves · Esc cancels"), done)

    def ws_open_view(self, name: str) -> None:
        spec = self.ws_snap.views.get(name)
        if spec is None:
            self.notify(f"No saved view {name!r}", severity="warning", markup=False)
            return
        f = Filters(scope=self.filters.scope)
        for axis, vals in spec.get("selections", {}).items():
            if axis in AXIS_BY_NAME and vals:
                f = f.with_values(AXIS_BY_NAME[axis].name, list(vals))
        f = f.with_text(spec.get("text", ""), bool(spec.get("regex"))).with_licensed(bool(spec.get("licensed_only")))
        self.sort = spec.get("sort") if spec.get("sort") in SORT_COLUMNS else "key"
        self.desc, self.random = bool(spec.get("desc")), bool(spec.get("random"))
        self.seed = int(spec.get("seed", self.seed))
        known = set(wsel.values(self.ws_snap))
        self.ws_sel = tuple(v for v in spec.get("workspace", ()) if v in known or v.startswith(wsel.TAG))
        self.ws_base = f.get("episode")
        self.ws_apply(f)
        self.notify(f"Opened view {name!r}", title="Saved views", markup=False, timeout=2)

    def ws_delete_view(self, name: str) -> None:
        store = self.ws_store
        self.ws_write(lambda: f"Deleted view {name!r}" if store.delete_view(name) else f"No view {name!r}")

    # ----- coding rounds --------------------------------------------------------------------
    def ws_new_round(self) -> None:
        store, corpus, f = self.ws_store, self.corpus, self.filters

        def done(result) -> None:
            if not result:
                return
            name, size, seed = result

            def job() -> str:
                rnd = create_round(store, corpus, f, name, size, seed)
                codable, selected = len(codable_keys(corpus, f)), corpus.count(f)
                left = f"; {selected - codable:,} without text to read left out" if codable < selected else ""
                return f"Round {rnd.name!r}: {rnd.size} of {codable:,} codable episodes sampled (seed {rnd.seed}){left}"

            self.ws_write(job, open_round=name)

        names = {r.name for r, _ in self.ws_rounds}
        n = len(names) + 1
        while f"round {n}" in names:
            n += 1
        self.app.push_screen(RoundScreen(f.describe(), self.count, f"round {n}"), done)

    def ws_open_coding(self, name: str) -> None:
        from .coding_screen import CodingScreen  # (review screens load when first opened)

        self.app.push_screen(CodingScreen(self.services, name), lambda _=None: self.ws_reload())

    def ws_open_agreement(self, name: str) -> None:
        from .agreement_screen import AgreementScreen

        self.app.push_screen(AgreementScreen(self.services, name))
