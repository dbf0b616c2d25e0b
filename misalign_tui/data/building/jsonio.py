"""Reading the study's JSON / JSONL files with one-line errors that name the file and record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..errors import CorpusError

_JSON_TYPES = {"dict": "object", "list": "array", "str": "string", "int": "number", "float": "number",
               "bool": "boolean", "NoneType": "null"}


def json_type(value) -> str:
    """The JSON name of a parsed value's type, for messages ("found a JSON string")."""
    return _JSON_TYPES.get(type(value).__name__, type(value).__name__)


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise CorpusError("is a directory, expected a file", path=str(path)) from None
    except PermissionError:
        raise CorpusError("permission denied", path=str(path)) from None
    except OSError as e:
        raise CorpusError(f"cannot read: {e.strerror}", path=str(path)) from None
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise CorpusError(f"NUL byte at offset {at}: not a text file", path=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(f"invalid UTF-8 at byte {e.start}", path=str(path)) from None


def load_array(path: Path) -> list[dict]:
    """A JSON array of objects (the study's pandas ``orient=records`` files)."""
    text = read_text(path)
    if not text.strip():
        raise CorpusError("empty file, expected a JSON array of records", path=str(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CorpusError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}", path=str(path)) from None
    except RecursionError:
        raise CorpusError("malformed JSON: nested too deeply", path=str(path)) from None
    if not isinstance(data, list):
        raise CorpusError(f"expected a JSON array of records, found a JSON {json_type(data)}", path=str(path))
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise CorpusError(f"expected an object, found {json_type(rec)}", path=str(path), record=f"record {i}")
    return data


def iter_records(path: Path) -> Iterator[tuple[str, dict]]:
    """Records of a JSON array or a JSONL file, each with a label for error messages."""
    text = read_text(path)
    stripped = text.lstrip()
    if stripped.startswith("["):
        for i, rec in enumerate(load_array(path)):
            yield f"record {i}", rec
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise CorpusError(f"malformed JSON: {e.msg}", path=str(path), record=f"line {n}") from None
        except RecursionError:
            raise CorpusError("malformed JSON: nested too deeply", path=str(path), record=f"line {n}") from None
        if not isinstance(rec, dict):
            raise CorpusError(f"expected an object, found {json_type(rec)}", path=str(path), record=f"line {n}")
        yield f"line {n}", rec


def sniff(path: Path, limit: int = 65536) -> str:
    """The first bytes of a file as text (errors replaced), for format detection."""
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""
