"""Building corpora and what derives from them: ``importer`` (any mix of sources -> a corpus, written by
``builder``), the readers of the study's files (``study``, ``jsonio``) and of transcripts (``transcripts``,
``transcript_sessions``), ``pushback`` (detection without an LLM), ``search_index`` (the full-text index),
``export`` and ``parquet_export``, ``import_cache`` (the corpus for a command-line argument) and ``sample``
(the synthetic corpus). May import every other part of the data layer."""
