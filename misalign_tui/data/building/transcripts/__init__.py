"""Raw transcript importers: SpecStory markdown, Claude Code JSONL, Codex rollouts (see ``model``)."""

from .claude_code import parse_claude_code
from .codex import parse_codex
from .formats import detect_format, parse_file, parse_study
from .specstory import parse_specstory

__all__ = ["detect_format", "parse_claude_code", "parse_codex", "parse_file", "parse_specstory", "parse_study"]
