"""A deterministic synthetic corpus in the study's own file formats (pure standard library).

``generate(out_dir, sessions=300, seed=7)`` writes data/core (session mapping, annotated and
validated episodes), the Atlas text records and parsed-session transcripts whose marginals follow
the paper's published numbers. See generator.generate for the layout.
"""

from .generator import generate

__all__ = ["generate"]
