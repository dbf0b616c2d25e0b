"""Reading a corpus: ``corpus.Corpus`` (open read-only; pages, facets, sessions), ``stats``, ``charts``,
``compare``, ``search`` (over a full-text index it is given) and ``pushback_eval``. Imports only the data
layer's base (see ``misalign_tui.data``)."""
