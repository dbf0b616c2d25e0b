"""The Session screen: an episode's transcript with its evidence turns and detected signals marked."""

from .data import SessionData, load_session_data
from .hits import SearchContext
from .model import Block, citation, locate_quote, mark_blocks, render_transcript_text
from .screen import SessionScreen
from .view import TranscriptView

__all__ = ["Block", "SearchContext", "SessionData", "SessionScreen", "TranscriptView", "citation",
           "load_session_data", "locate_quote", "mark_blocks", "render_transcript_text"]
