"""JSON case records: the record's own full text when it has one, else "key：value" lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.base import ReadResult, read_bytes
from casegraph.ingest.readers.txt_reader import decode_text

# Fields that hold the document body in the record layouts agencies export.
_TEXT_KEYS = ("text", "full_text", "content", "body", "正文", "全文", "内容")


def _flatten(value: Any, lines: list[str], key: str | None = None) -> None:
    if isinstance(value, dict):
        for child_key, child in value.items():
            _flatten(child, lines, str(child_key))
    elif isinstance(value, list):
        for item in value:
            _flatten(item, lines, key)
    elif value is not None:
        lines.append(f"{key}：{value}" if key else str(value))


def record_text(record: Any) -> str:
    if isinstance(record, dict):
        for key in _TEXT_KEYS:
            body = record.get(key)
            if isinstance(body, str) and body.strip():
                return body
    lines: list[str] = []
    _flatten(record, lines)
    return "\n".join(lines)


def read_json(path: Path) -> ReadResult:
    raw, sha = read_bytes(path)
    decoded, encoding = decode_text(path, raw)
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(str(path), f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    text = record_text(record)
    if not text.strip():
        raise UnreadableFile(str(path), "the JSON record holds no text")
    return ReadResult(text=text, sha256=sha, format="json", encoding=encoding)
