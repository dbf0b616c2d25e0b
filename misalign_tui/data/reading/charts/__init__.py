"""The numbers behind the charts and cross-tables, computed by DuckDB for any Filters.

``ChartData(corpus, filters)`` fetches the counts once (lazily, cached per object) and builds every
``Chart`` (x labels + named series) and ``Table`` (rows of cells, ``markdown()``) from them. The
module-level functions (``episodes_per_month(corpus, f)`` …) are one-shot shortcuts. Nothing here
imports textual or rich: the same objects feed the Textual screen (``misalign_tui.tui.charts``) and
``misalign-tui chart``.

Queries: ``chart_episodes.sql`` (one scan of the selected episodes: every episode-level count),
``chart_sessions.sql`` (sessions and user turns per month), ``chart_values.sql`` (open facet axes, on
demand); the symptom × cause table and persistence reuse ``stats``.

Conventions follow ``stats.py`` and docs/statistics.md: percentages are in percent and
unrounded; probabilities, lifts and rates are plain fractions. Months are calendar months of the
session timestamp; month axes are continuous (a month without data is 0 for counts, None for rates
and shares).

Layout: ``model`` (Chart / Table / Series, Markdown), ``common`` (constants, kinds, helpers), ``counts``
(fetched counts), ``series`` (monthly / share / per-user-turn / distribution charts), ``tables`` (cross
tables, co-occurrence, lift, persistence), ``data`` (ChartData), ``shortcuts`` (one-shot functions).
"""

from .common import (CHART_KINDS, COOCCURRENCE_METRICS, DEFAULT_SINCE, DISTRIBUTION_AXES, EPISODE_VALUE_AXES,
                     KIND_NAMES, MAX_BARS, METRIC_TITLES, PLATFORMS, SHARE_SYMPTOMS, TABLE_KINDS, check_axis,
                     check_date, linear_fit, month_index, month_range, parse_kind, share_filters)
from .counts import Distribution, EpisodeCounts, PairCounts, fetch_episode_counts
from .data import ChartData
from .model import Chart, Series, Table, format_value, md_escape, table_markdown
from .shortcuts import (build, cause_share, compute_all, cooccurrence, distribution, distribution_table,
                        episodes_per_month, per_user_turn, persistence, session_lift, sessions_per_month,
                        severity_locus, symptom_cause, symptom_resolver, symptom_share)

__all__ = ["CHART_KINDS", "COOCCURRENCE_METRICS", "DEFAULT_SINCE", "DISTRIBUTION_AXES", "EPISODE_VALUE_AXES",
           "KIND_NAMES", "MAX_BARS", "METRIC_TITLES", "PLATFORMS", "SHARE_SYMPTOMS", "TABLE_KINDS", "Chart",
           "ChartData", "Distribution", "EpisodeCounts", "PairCounts", "Series", "Table", "build", "cause_share",
           "check_axis", "check_date", "compute_all", "cooccurrence", "distribution", "distribution_table",
           "episodes_per_month", "fetch_episode_counts", "format_value", "linear_fit", "md_escape", "month_index",
           "month_range", "parse_kind", "per_user_turn", "persistence", "session_lift", "sessions_per_month",
           "severity_locus", "share_filters", "symptom_cause", "symptom_resolver", "symptom_share", "table_markdown"]
