"""Chart and Table: the result types every chart and cross-table is built into, and their Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Series:
    name: str  # "IDE", "S3", "trend"
    label: str  # legend text
    values: tuple  # one value (int / float / None) per x label


@dataclass(frozen=True)
class Chart:
    """One chart: ``x`` labels and ``series`` of equal length.

    ``style``: stacked (bars stacked by series), grouped (bars side by side) or lines. ``fmt`` is how
    the values print (int, pct, rate). ``n`` / ``n_label`` say what the chart counts."""

    kind: str
    title: str
    xlabel: str
    ylabel: str
    x: tuple[str, ...]
    series: tuple[Series, ...]
    style: str
    fmt: str
    n: int
    n_label: str
    scope: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def get(self, name: str) -> Series:
        for s in self.series:
            if s.name == name:
                return s
        raise KeyError(name)

    def values(self, name: str) -> dict:
        """{x label: value} of one series."""
        return dict(zip(self.x, self.get(name).values))

    def is_empty(self) -> bool:
        return not self.x or all(v in (None, 0) for s in self.series for v in s.values)

    def table(self) -> "Table":
        """The chart's numbers as a Table (x down, series across)."""
        return Table(kind=self.kind, title=self.title, columns=(self.xlabel,) + tuple(s.label for s in self.series),
                     rows=tuple((x,) + tuple(s.values[i] for s in self.series) for i, x in enumerate(self.x)),
                     formats=("label",) + (self.fmt,) * len(self.series), n=self.n, n_label=self.n_label,
                     scope=self.scope, note=self.note)

    def markdown(self) -> str:
        return self.table().markdown()

    def inert(self, escape, label_width: int | None = None) -> "Chart":
        """A copy whose every text from the corpus (x labels, series names and legends, scope, note, title)
        went through ``escape`` (``data.text.visible`` for the explorer, ``terminal_safe`` for the CLI); x labels
        and legends cut to ``label_width`` (a plot with a 100-character label has no room left to draw in)."""
        def cut(s: str) -> str:
            s = escape(s)
            return s if label_width is None or len(s) <= label_width else s[:label_width - 1] + "…"

        return replace(self, title=escape(self.title), x=tuple(cut(str(x)) for x in self.x),
                       scope=escape(self.scope), note=escape(self.note),
                       series=tuple(replace(s, name=escape(s.name), label=cut(s.label)) for s in self.series))


@dataclass(frozen=True)
class Table:
    """A cross-table. The first column holds row labels; ``formats`` says how each column prints
    (label, int, pct, ratio, prob, rate, diff, pval, num); ``heat`` lists the columns a heat table shades."""

    kind: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    formats: tuple[str, ...]
    n: int
    n_label: str
    scope: str = ""
    note: str = ""
    heat: tuple[int, ...] = ()
    extra: dict = field(default_factory=dict)

    def cell(self, row: int, col: int) -> str:
        return format_value(self.rows[row][col], self.formats[col])

    def row(self, code: str) -> tuple:
        """The row whose label is ``code`` or starts with ``code + ' '``."""
        for r in self.rows:
            if r[0] == code or str(r[0]).startswith(code + " "):
                return r
        raise KeyError(code)

    def value(self, code: str, column: str):
        return self.row(code)[self.columns.index(column)]

    def heat_range(self) -> tuple[float, float] | None:
        vals = [r[c] for r in self.rows for c in self.heat if isinstance(r[c], (int, float))]
        return (min(vals), max(vals)) if vals else None

    def markdown(self) -> str:
        return table_markdown(self)

    def inert(self, escape) -> "Table":
        """A copy whose title, columns, label cells, scope and note went through ``escape``."""
        rows = tuple(tuple(escape(v) if isinstance(v, str) else v for v in r) for r in self.rows)
        return replace(self, title=escape(self.title), columns=tuple(escape(str(c)) for c in self.columns),
                       rows=rows, scope=escape(self.scope), note=escape(self.note))


def format_value(v, fmt: str) -> str:
    """How a cell prints (tables, Markdown, the TUI): None is an em dash."""
    if v is None:
        return "—"
    if fmt == "label" or isinstance(v, str):
        return str(v)
    if fmt == "int":
        return str(int(v))
    if fmt in ("pct", "ratio"):
        return f"{v:.2f}"
    if fmt == "prob":
        return f"{v:.3f}"
    if fmt == "rate":
        return f"{v:.6f}"
    if fmt == "diff":
        return f"{v:+.2f}"
    if fmt == "pval":
        return "<0.0001" if v < 0.0001 else f"{v:.4f}"
    if isinstance(v, int):
        return str(v)
    return f"{v:.3f}"


def md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def table_markdown(t: Table) -> str:
    """The table as GitHub Markdown: a heading, the filters and n, the table, and its note."""
    lines = [f"### {md_escape(t.title)}", ""]
    meta = f"n = {t.n} {t.n_label}"
    if t.scope:
        meta = f"Filters: {md_escape(t.scope)} · " + meta
    lines += [meta, ""]
    lines.append("| " + " | ".join(md_escape(c) for c in t.columns) + " |")
    lines.append("|" + "|".join(":---" if f == "label" else "---:" for f in t.formats) + "|")
    for r in t.rows:
        lines.append("| " + " | ".join(md_escape(format_value(v, f)) for v, f in zip(r, t.formats)) + " |")
    if t.note:
        lines += ["", md_escape(t.note)]
    return "\n".join(lines) + "\n"
