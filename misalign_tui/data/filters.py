"""The filter syntax shared by the CLI (``--filter``), the explorer and its "copy view" action.

``--filter AXIS=V1,V2`` is OR within an axis; repeated ``--filter`` is AND across axes. Session-level
axes (platform, agent, source, license, repo, month, since, until, signal) restrict sessions and
episodes; episode-level axes restrict episodes only. Without a validation or invalid_category
filter, only VALID episodes are in scope (the paper's 16,118).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from datetime import date

from .errors import CorpusError
from .taxonomy import AXES, AXIS_BY_NAME, VALIDATION_AXES, Axis, gloss

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Axes whose values depend on the corpus: a value this corpus lacks is a warning (the view still means
# something elsewhere: it matches nothing here), never an error. Typos on the taxonomy's axes stay errors.
OPEN_ENDED = ("agent", "source", "license", "repo", "month")


def _parse_date(axis: str, v: str) -> str:
    try:
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise CorpusError(f"--filter {axis}={v}: expected a date YYYY-MM-DD") from None


@dataclass(frozen=True)
class Filters:
    """An immutable filter state. ``selections`` maps axis name -> selected values (OR)."""

    selections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    text: str = ""
    regex: bool = False
    licensed_only: bool = False
    scope: str = "VALID"  # the corpus' default validation label (Corpus.default_validation), for describe()

    # ----- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, specs: list[str] | tuple[str, ...] | None, *, known: dict[str, set[str]] | None = None,
              text: str = "", regex: bool = False, licensed_only: bool = False, scope: str = "VALID",
              warnings: list[str] | None = None) -> "Filters":
        """Parse ``["symptom=S3,S7", "platform=CLI"]``. ``known`` maps open axes to their values; a value of an
        ``OPEN_ENDED`` axis that is not among them is kept (it matches nothing) and explained in ``warnings``."""
        sel: dict[str, list[str]] = {}
        for spec in specs or ():
            if "=" not in spec:
                raise CorpusError(f"--filter {spec!r}: expected AXIS=V1,V2 (axes: {axis_names()})")
            name, _, values = spec.partition("=")
            name = name.strip().lower()
            axis = AXIS_BY_NAME.get(name)
            if axis is None:
                raise CorpusError(f"--filter {spec!r}: unknown axis {name!r}; valid axes: {axis_names()}")
            vals = [v.strip() for v in values.split(",") if v.strip()]
            if not vals:
                raise CorpusError(f"--filter {spec!r}: no value given for {axis.name}")
            for v in vals:
                sel.setdefault(axis.name, [])
                v = _normalise(axis, v, known, warnings)
                if v not in sel[axis.name]:
                    sel[axis.name].append(v)
        return cls(_freeze(sel), text=text, regex=regex, licensed_only=licensed_only, scope=scope)

    # ----- queries ------------------------------------------------------------------------
    def get(self, axis: str) -> tuple[str, ...]:
        for name, vals in self.selections:
            if name == axis:
                return vals
        return ()

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.selections)

    @property
    def default_valid(self) -> bool:
        """True when the implicit ``validation = VALID`` scope applies."""
        return not any(self.get(a) for a in VALIDATION_AXES)

    def is_empty(self) -> bool:
        return not self.selections and not self.text and not self.licensed_only

    # ----- edits (return new Filters) -----------------------------------------------------
    def toggled(self, axis: str, value: str) -> "Filters":
        sel = {k: list(v) for k, v in self.selections}
        vals = sel.setdefault(axis, [])
        if value in vals:
            vals.remove(value)
        else:
            vals.append(value)
        return replace(self, selections=_freeze(sel))

    def with_values(self, axis: str, values: list[str] | tuple[str, ...]) -> "Filters":
        sel = {k: list(v) for k, v in self.selections}
        sel[axis] = list(values)
        return replace(self, selections=_freeze(sel))

    def cleared(self, axis: str | None = None) -> "Filters":
        if axis is None:
            return replace(self, selections=(), text="", regex=False)
        return replace(self, selections=tuple((k, v) for k, v in self.selections if k != axis))

    def with_text(self, text: str, regex: bool = False) -> "Filters":
        return replace(self, text=text, regex=regex)

    def with_licensed(self, on: bool) -> "Filters":
        return replace(self, licensed_only=on)

    # ----- output -------------------------------------------------------------------------
    def to_args(self) -> list[str]:
        """``["symptom=S3,S7", "platform=CLI"]`` — what ``--filter`` takes back."""
        return [f"{k}={','.join(v)}" for k, v in self.selections]

    def to_cli(self) -> str:
        """``--filter symptom=S3,S7 --filter platform=CLI [--licensed-only] [--search …]``, shell-quoted."""
        parts = []
        for a in self.to_args():
            parts += ["--filter", shlex.quote(a)]
        if self.licensed_only:
            parts.append("--licensed-only")
        if self.text:
            parts += ["--regex" if self.regex else "--search", shlex.quote(self.text)]
        return " ".join(parts)

    def describe(self) -> str:
        """The filters in words: ``symptom ∈ {S3, S7} · platform = CLI``."""
        words = []
        for k, v in self.selections:
            if AXIS_BY_NAME[k].storage in ("since", "until"):
                words.append(f"{k} {v[0]}")
            elif len(v) == 1:
                words.append(f"{k} = {v[0]}")
            else:
                words.append(f"{k} ∈ {{{', '.join(v)}}}")
        if self.default_valid:
            words.append(f"validation = {self.scope} (default)")
        if self.licensed_only:
            words.append("licensed only")
        if self.text:
            words.append(("regex " if self.regex else "text ~ ") + repr(self.text))
        return " · ".join(words)

    def params(self) -> dict:
        """The ``$f`` struct that ``queries/macro_flagged.sql`` takes."""
        out: dict = {}
        for ax in AXES:
            vals = list(self.get(ax.name))
            if ax.storage in ("since", "until"):
                out[ax.name] = vals[0] if vals else ""
            else:
                out[ax.name] = vals
        out["text"] = self.text.lower() if not self.regex else self.text
        out["regex"] = bool(self.regex and self.text)
        out["licensed_only"] = self.licensed_only
        out["default_valid"] = self.default_valid
        return out


def axis_names() -> str:
    return ", ".join(a.name for a in AXES)


def _normalise(axis: Axis, v: str, known: dict[str, set[str]] | None, warnings: list[str] | None = None) -> str:
    if axis.storage in ("since", "until"):
        return _parse_date(axis.name, v)
    if axis.name == "month" and not _MONTH.match(v):
        raise CorpusError(f"--filter month={v}: expected YYYY-MM")
    if axis.codes is not None:
        for code in axis.codes:
            if code.lower() == v.lower():
                return code
        raise CorpusError(f"--filter {axis.name}={v}: unknown value; valid: {', '.join(axis.codes)}")
    if known is not None and axis.name in known:
        values = known[axis.name]
        if v in values:
            return v
        folded = {x.lower(): x for x in values}
        if v.lower() in folded:
            return folded[v.lower()]
        shown = sorted(values)
        more = f" … ({len(shown) - 12} more)" if len(shown) > 12 else ""
        if axis.name in OPEN_ENDED:
            if warnings is not None:
                warnings.append(f"--filter {axis.name}={v}: not in this corpus, matches nothing here; values: "
                                f"{', '.join(shown[:12])}{more}")
            return v
        raise CorpusError(f"--filter {axis.name}={v}: not in this corpus; valid: {', '.join(shown[:12])}{more}")
    return v


def _freeze(sel: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    order = {a.name: i for i, a in enumerate(AXES)}
    return tuple((k, tuple(v)) for k, v in sorted(sel.items(), key=lambda kv: order[kv[0]]) if v)


def describe_value(axis: str, value: str) -> str:
    g = gloss(axis, value)
    return value if g == value else f"{g} ({value})"
