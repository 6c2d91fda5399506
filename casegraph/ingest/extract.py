"""Case-file extraction entry point: a file in, an ExtractedDocument out.

This first version is the thin path of the foundation: plain text (UTF-8, GB18030) and JSON
case records, identifiers and the case number found by regular expressions. The spaCy pipeline
replaces its insides; `extract_file` keeps its contract.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from casegraph import identifiers
from casegraph.errors import UnreadableFile
from casegraph.model import ExtractedDocument, Mention

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ID_NUMBER", re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")),
    ("USCC", re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}(?![0-9A-Z])")),
    ("PHONE", re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")),
    ("BANK_ACCOUNT", re.compile(r"(?<![0-9A-Za-z])(?:\d{16,25}|\d{4}(?: \d{4}){3}(?: \d{1,3})?)(?![0-9A-Za-z])")),
]
_CASE_NUMBER = re.compile(
    r"[（(]\d{4}[）)][川渝]\d{0,4}[\u4e00-\u9fff]{1,4}\d+号"
    r"|[川渝][\u4e00-\u9fff（）()]{1,12}[〔\[【(（]\d{4}[〕\]】)）]\d+号"
)
_PARSERS = {
    "ID_NUMBER": identifiers.parse_ric,
    "USCC": identifiers.parse_uscc,
    "PHONE": identifiers.parse_phone,
    "BANK_ACCOUNT": identifiers.parse_account,
}


def read_text(path: Path) -> tuple[str, bytes]:
    raw = path.read_bytes()
    if not raw.strip():
        raise UnreadableFile(str(path), "empty file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, raw
    raise UnreadableFile(str(path), "not UTF-8 or GB18030 text")


def _json_text(path: Path, raw_text: str) -> str:
    try:
        record = json.loads(raw_text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(str(path), f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    parts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            parts.append(str(value))

    walk(record)
    return "\n".join(parts)


def extract_text(text: str, path: str = "<text>", sha256: str = "") -> ExtractedDocument:
    doc = ExtractedDocument(path=path, sha256=sha256, text=text)
    taken: list[tuple[int, int]] = []
    for entity_type, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            parsed = _PARSERS[entity_type](match.group())
            if entity_type == "BANK_ACCOUNT" and len(parsed.value) == 18 and not identifiers.luhn_ok(parsed.value):
                continue  # an 18-digit run that is no card: most likely a broken resident ID
            taken.append((start, end))
            doc.entities.append(Mention(entity_type, match.group(), start, end, parsed.value, parsed.valid))
    for match in _CASE_NUMBER.finditer(text):
        doc.entities.append(Mention("CASE_NUMBER", match.group(), match.start(), match.end(), match.group()))
        if doc.case_number is None:
            doc.case_number = match.group()
    doc.entities.sort(key=lambda m: m.start)
    return doc


def extract_file(path: Path) -> ExtractedDocument:
    """Read and extract one file. Raises UnreadableFile for a file that must be quarantined."""
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".json"):
        raise UnreadableFile(str(path), f"unsupported file type {suffix or '(none)'}")
    text, raw = read_text(path)
    if suffix == ".json":
        text = _json_text(path, text)
    return extract_text(text, str(path), hashlib.sha256(raw).hexdigest())
