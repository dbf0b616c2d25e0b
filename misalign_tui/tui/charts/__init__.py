"""Charts, cross-tables and the A/B comparison screens (drawing: ``misalign_tui.plots``)."""

from .compare_screen import CompareScreen
from .screen import ChartsScreen

__all__ = ["ChartsScreen", "CompareScreen"]
