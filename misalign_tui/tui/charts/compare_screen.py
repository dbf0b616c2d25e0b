"""A/B comparison screen: every label axis of selection A next to B (or next to everything else in A's
scope), with differences in percentage points shaded and a two-proportion z-test per label."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from misalign_tui import resources
from misalign_tui.data.filters import Filters
from misalign_tui.data.reading.compare import Comparison, compare, reseeded
from misalign_tui.data.text import one_line, visible

from ..services import JobFailed, Services, ServiceScreen
from .heat import fill_table


class CompareLoaded(Message):
    def __init__(self, gen: int, result: Comparison) -> None:
        super().__init__()
        self.gen, self.result = gen, result


class CompareScreen(ServiceScreen):
    """Label distributions of Filters ``a`` vs ``b`` (``b`` None: everything else in A's scope)."""

    CSS_PATH = resources.path("styles", "charts.tcss")
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="compare.back"),
        Binding("y", "copy_markdown", "Copy MD", id="compare.copy", tooltip="Copy the comparison as Markdown"),
        Binding("s", "resample", "New sample", id="compare.resample", tooltip="Draw new random episode samples"),
        Binding("w", "swap", "Swap A/B", id="compare.swap", tooltip="Swap A and B (when B is a selection)"),
    ]

    def __init__(self, services: Services, a: Filters, b: Filters | None = None, *, seed: int = 0,
                 name: str | None = None, id: str | None = None) -> None:  # noqa: A002
        super().__init__(services, name=name, id=id)
        self.a = a
        self.b = b
        self.seed = seed
        self.result: Comparison | None = None
        self.error: str | None = None
        self._gen = 0

    def compose(self):
        yield Static(Text("A/B comparison", style="bold"), id="compare-title")
        yield Static(self._heading(), id="compare-heading")
        yield DataTable(id="compare-table", cursor_type="row")
        yield Static("", id="compare-note")
        yield Static("", id="compare-samples")
        yield Static("Comparing…", id="compare-status")
        yield Footer()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _t: self._show())
        self.reload()

    def _heading(self) -> Text:
        t = Text()
        for side, f, n in (("A", self.a, self.result.a_n if self.result else None),
                           ("B", self.b, self.result.b_n if self.result else None)):
            desc = f.describe() if f is not None else "everything else in A's scope"
            if side == "B":
                t.append("\n")
            t.append(f"{side}", style="bold")
            t.append(f" ({n:,} episodes)" if n is not None else "", style="dim")
            t.append(f" {one_line(visible(desc), 200)}")
        return t

    # ----- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self._gen += 1
        corpus, a, b, seed = self.corpus, self.a, self.b, self.seed
        self._run(lambda: compare(corpus, a, b, seed=seed))

    def _run(self, job) -> None:
        gen = self._gen
        self.run_job("charts", job, job="compare", gen=gen, exclusive=True, done=lambda r: CompareLoaded(gen, r))

    @on(CompareLoaded)
    def _loaded(self, msg: CompareLoaded) -> None:
        if msg.gen != self._gen:
            return
        self.result = msg.result
        self._show()

    def on_job_failed(self, msg: JobFailed) -> None:
        if msg.gen == self._gen:
            self.error = "query cancelled" if msg.cancelled else msg.error
            self.query_one("#compare-status", Static).update(Text(f"error: {self.error}"))

    def _show(self) -> None:
        r = self.result
        if r is None:
            return
        self.query_one("#compare-heading", Static).update(self._heading())
        fill_table(self.query_one("#compare-table", DataTable), r.table(), self.app, diverging=True,
                   width=self.size.width or None)
        self.query_one("#compare-note", Static).update(Text(r.note(), style="dim"))
        width = max(20, (self.size.width or 80) - 6)
        s = Text()
        s.append("A ", style="bold")
        s.append(one_line(visible(", ".join(r.sample_a) or "—"), width))
        s.append("\nB ", style="bold")
        s.append(one_line(visible(", ".join(r.sample_b) or "—"), width))
        self.query_one("#compare-samples", Static).update(s)
        self.query_one("#compare-status", Static).update(
            Text(f"Random samples above (seed {r.seed}; s: new sample) · * p < 0.05  ** p < 0.01  *** p < 0.001",
                 style="dim"))

    # ----- actions ------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_copy_markdown(self) -> None:
        if self.result is None:
            self.notify("Nothing to copy yet", timeout=2)
            return
        self.services.copy(self.result.markdown(), "A/B comparison (Markdown)")

    def action_resample(self) -> None:
        if self.result is None:
            return
        self.seed += 1
        self._gen += 1
        previous, corpus, seed = self.result, self.corpus, self.seed
        self._run(lambda: reseeded(previous, corpus, seed))

    def action_swap(self) -> None:
        if self.b is None:
            self.notify("B is everything else in A's scope; pin a second selection to swap", timeout=3)
            return
        self.a, self.b = self.b, self.a
        self.result = None
        self.query_one("#compare-heading", Static).update(self._heading())
        self.reload()


CompareScreen.HELP_SECTIONS = [("A/B comparison", CompareScreen)]
