"""Charts, cross-tables and the A/B comparison screens.

``ChartsScreen(corpus, filters)`` and ``CompareScreen(corpus, a, b=None)`` are imported lazily, so
``misalign-tui chart`` can use ``plots`` without loading Textual.
"""

from __future__ import annotations

__all__ = ["ChartsScreen", "CompareScreen"]


def __getattr__(name: str):
    if name == "ChartsScreen":
        from .screen import ChartsScreen

        return ChartsScreen
    if name == "CompareScreen":
        from .compare_screen import CompareScreen

        return CompareScreen
    raise AttributeError(name)
