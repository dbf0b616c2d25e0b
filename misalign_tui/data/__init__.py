"""The headless data layer: it never imports textual or rich (a test checks ``sys.modules``), nor the CLI or
the explorer. Its layers, each importing only the ones before it (``tests/test_layers.py`` checks it,
deferred imports inside functions included, and that there is no import cycle):

- the base, here: ``errors``, ``taxonomy`` (the only definition of an axis), ``filters``, ``schema`` (the
  corpus file), ``queries`` and ``axis_sql`` (the SQL and its per-axis fragments), ``turns`` (the study's
  turn numbering), ``text`` (text from files made safe for terminals) and ``dirs`` (the user's folders);
- ``reading``: opening a corpus and asking it things — pages, facets, statistics, charts, comparisons,
  full-text search, the pushback detector's evaluation;
- ``workspace``: the reviewer workspace beside a corpus (notes, tags, bookmarks, coding rounds);
- ``building``: writing corpora and what derives from them — import (study files, Atlas records, transcripts,
  pushback detection), the full-text index, exports (CSV / JSONL / Markdown, Parquet), the import cache,
  the synthetic sample.
"""
