"""The Session screen: an episode's transcript with its evidence turns marked."""

from .model import Block, citation, locate_quote, mark_blocks, render_transcript_text
from .screen import SessionData, SessionScreen, load_session_data
from .view import TranscriptView

__all__ = ["Block", "SessionData", "SessionScreen", "TranscriptView", "citation", "load_session_data",
           "locate_quote", "mark_blocks", "render_transcript_text"]
