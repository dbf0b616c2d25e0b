"""One-shot shortcuts: build one chart or table (or all of them) for a corpus and Filters."""

from __future__ import annotations

from ...filters import Filters
from ..corpus import Corpus
from .common import DEFAULT_SINCE, parse_kind
from .data import ChartData
from .model import Chart, Table


def build(corpus: Corpus, f: Filters, kind: str, *, since: str | None = DEFAULT_SINCE) -> Chart | Table:
    parse_kind(kind)  # fail before any query
    return ChartData(corpus, f, since=since).build(kind)


def compute_all(corpus: Corpus, f: Filters, *, since: str | None = DEFAULT_SINCE, axis: str = "symptom") -> dict:
    return ChartData(corpus, f, since=since).compute_all(axis)


def episodes_per_month(corpus: Corpus, f: Filters) -> Chart:
    return ChartData(corpus, f).monthly()


def sessions_per_month(corpus: Corpus, f: Filters) -> Chart:
    return ChartData(corpus, f).monthly_sessions()


def per_user_turn(corpus: Corpus, f: Filters) -> Chart:
    return ChartData(corpus, f).per_user_turn()


def symptom_share(corpus: Corpus, f: Filters, since: str | None = DEFAULT_SINCE) -> Chart:
    return ChartData(corpus, f, since=since).symptom_share()


def cause_share(corpus: Corpus, f: Filters, since: str | None = DEFAULT_SINCE) -> Chart:
    return ChartData(corpus, f, since=since).cause_share()


def distribution(corpus: Corpus, f: Filters, axis: str = "symptom") -> Chart:
    return ChartData(corpus, f).distribution(axis)


def distribution_table(corpus: Corpus, f: Filters, axis: str = "symptom") -> Table:
    return ChartData(corpus, f).distribution_table(axis)


def symptom_cause(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).symptom_cause()


def cooccurrence(corpus: Corpus, f: Filters, metric: str = "count") -> Table:
    return ChartData(corpus, f).cooccurrence(metric)


def session_lift(corpus: Corpus, f: Filters, metric: str = "lift") -> Table:
    return ChartData(corpus, f).session_lift(metric)


def severity_locus(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).severity_locus()


def symptom_resolver(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).symptom_resolver()


def persistence(corpus: Corpus, f: Filters) -> Table:
    return ChartData(corpus, f).persistence()
