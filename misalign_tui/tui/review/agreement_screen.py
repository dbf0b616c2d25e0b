"""Agreement of a coding round: per-axis table (n, raw agreement, Cohen's κ, Krippendorff's α), the
highlighted axis' confusion table, and its disagreements as a jump list (Enter opens the episode).

Raters: each reviewer who completed episodes of the round, and the model (the corpus' labels); ``r`` steps
through the pairs (each reviewer vs the model, then each two reviewers).
"""

from __future__ import annotations

from itertools import combinations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from misalign_tui import resources
from misalign_tui.data.text import one_line, visible
from misalign_tui.data.workspace.agreement import Agreement, AxisAgreement, axis_title, compare, fmt
from misalign_tui.data.workspace.coding import codings, get_round, model_labels

from ..rich_text import safe_str, safe_text
from ..services import Services, ServiceScreen
from ..session import SessionScreen

MODEL = "model"


def rater_pairs(raters: dict[str, dict], me: str) -> list[tuple[str, str]]:
    """Each reviewer vs the model (this reviewer first), then each two reviewers."""
    people = sorted((r for r in raters if r != MODEL), key=lambda r: (r != me, r))
    return [(r, MODEL) for r in people] + list(combinations(people, 2))


def confusion_table(a: AxisAgreement, rater_a: str, rater_b: str) -> Group:
    if a.kind == "set":
        cols = ["both", f"{rater_a} only", f"{rater_b} only", "neither"]
        title = f"{a.axis}: episodes per code"
    else:
        cols = list(a.columns)
        title = f"{a.axis}: rows {rater_a} · columns {rater_b}"
    t = Table(show_edge=False, pad_edge=False)
    t.add_column("", style="bold", no_wrap=True)
    for c in cols:
        t.add_column(one_line(visible(c), 14), justify="right")
    for label, row in zip(a.rows, a.matrix):
        cells = [Text(str(x), "bold green" if (a.kind != "set" and label == col) else "") for x, col in zip(row, cols)]
        t.add_row(label, *cells)
    return Group(safe_text(title, "bold"), t)


class AgreementScreen(ServiceScreen):
    """Reviewer vs model (or reviewer vs reviewer) agreement over one coding round."""

    CSS_PATH = resources.path("styles", "review.tcss")
    BINDINGS = [
        Binding("r", "next_pair", "Other raters", id="agreement.pair"),
        Binding("y", "copy", "Copy as Markdown", id="agreement.copy"),
        Binding("escape,q", "back", "Back", id="agreement.back"),
    ]

    class Loaded(Message):
        def __init__(self, raters: dict, n: int, error: str = "") -> None:
            super().__init__()
            self.raters, self.n, self.error = raters, n, error

    def __init__(self, services: Services, name: str) -> None:
        super().__init__(services)
        self.store, self.name_ = services.workspace, name
        self.raters: dict[str, dict] = {}
        self.pairs: list[tuple[str, str]] = []
        self.pair = 0
        self.result: Agreement | None = None
        self.axis: str | None = None
        self.shown: list[tuple[str, str, str]] = []
        self.round_size = 0

    def compose(self):
        yield Static(Text(f"Agreement · round {safe_str(self.name_, 60)} · loading…"), id="agreement-header")
        with Horizontal(id="agreement-top"):
            yield DataTable(id="agreement-summary", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="agreement-confusion-box"):
                yield Static("", id="agreement-confusion")
        with Vertical(id="agreement-bottom"):
            yield Label("Disagreements on the highlighted axis — Enter opens the episode", id="agreement-dis-title")
            yield OptionList(id="agreement-disagreements")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Axis", "n", "Agreement", "Cohen's κ", "Krippendorff's α")
        table.focus()
        self._load()

    def _load(self) -> None:
        store, name, corpus = self.store, self.name_, self.corpus

        def job():  # the workspace lane: after any coding still being saved
            rnd = get_round(store, name)
            if rnd is None:
                return self.Loaded({}, 0, f"no coding round named {name!r}")
            raters: dict[str, dict] = dict(codings(store, name, complete_only=True))
            raters[MODEL] = model_labels(corpus, rnd.keys)
            return self.Loaded(raters, len(rnd.keys))

        self.run_job("workspace", job, done=lambda msg: msg, job="agreement",
                     failed=lambda f: self.Loaded({}, 0, f.error))

    def on_agreement_screen_loaded(self, msg: Loaded) -> None:
        if msg.error:
            self.query_one("#agreement-header", Static).update(Text(f"⚠ {safe_str(msg.error)}"))
            return
        self.raters, self.round_size = msg.raters, msg.n
        self.pairs = rater_pairs(msg.raters, self.store.reviewer)
        self.pair = 0
        if not self.pairs:
            self.query_one("#agreement-header", Static).update(Text(
                f"Agreement · round {safe_str(self.name_, 60)}: nobody has completed an episode of this round yet", "bold"))
            return
        self._compute()

    def _compute(self) -> None:
        a, b = self.pairs[self.pair]
        self.result = compare(self.raters[a], self.raters[b], a, b)
        t = Text("AGREEMENT ", "bold")
        t.append(f"· round {one_line(visible(self.name_), 40)} · ")
        t.append(f"{one_line(visible(a), 30)} vs {one_line(visible(b), 30)}", "bold")
        t.append(f" · {self.result.n} of {self.round_size} episodes coded by both")
        if len(self.pairs) > 1:
            t.append(f" · pair {self.pair + 1} of {len(self.pairs)} (r: next)", "dim")
        t.append("\nκ: Cohen's kappa · α: Krippendorff's alpha (nominal; MASI distance for label sets) · "
                 "per-code rows treat each code as present/absent · — where undefined", "dim")
        self.query_one("#agreement-header", Static).update(t)
        table = self.query_one(DataTable)
        table.clear()
        for ax in self.result.axes:
            table.add_row(axis_title(ax), str(ax.n), fmt(ax.agreement, True), fmt(ax.kappa), fmt(ax.alpha),
                          key=ax.axis)
        self._show_axis(self.result.axes[0].axis if self.result.axes else None)

    def _show_axis(self, axis: str | None) -> None:
        self.axis = axis
        ax = self.result.axis(axis) if (self.result and axis) else None
        box = self.query_one("#agreement-confusion", Static)
        ol = self.query_one(OptionList)
        ol.clear_options()
        if ax is None:
            box.update("")
            self.shown = []
            return
        box.update(confusion_table(ax, self.result.rater_a, self.result.rater_b) if ax.rows else
                   Text("nothing to compare", "dim"))
        self.shown = list(ax.disagreements)
        ol.add_options([Option(Text(f"{one_line(visible(k), 70)}  {one_line(visible(x), 30)} vs "
                                    f"{one_line(visible(y), 30)}"))
                        for k, x, y in self.shown])
        if self.shown:
            ol.highlighted = 0
        self.query_one("#agreement-dis-title", Label).update(
            f"Disagreements on {axis}: {len(self.shown)} — Enter opens the episode")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value != self.axis:
            self._show_axis(event.row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.shown:
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.shown):
            self.open_episode(self.shown[event.option_index][0])

    def open_episode(self, key: str) -> None:
        self.app.push_screen(SessionScreen(self.services, key))

    def action_next_pair(self) -> None:
        if len(self.pairs) > 1:
            self.pair = (self.pair + 1) % len(self.pairs)
            self._compute()
        else:
            self.notify("Only one pair of raters has coded this round", timeout=2)

    def action_copy(self) -> None:
        if self.result is None:
            return
        self.services.copy(self.result.markdown(), "agreement (Markdown)")

    def action_back(self) -> None:
        self.dismiss(None)
