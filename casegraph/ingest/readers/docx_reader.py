"""Word documents: paragraph text joined by "\\n", then table rows (cells joined by a tab)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.base import ReadResult, read_bytes


def read_docx(path: Path) -> ReadResult:
    _, sha = read_bytes(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, AttributeError, TypeError) as exc:
        # python-docx meets a damaged package part as whatever its XML access raises
        raise UnreadableFile(str(path), f"not a valid .docx file ({exc.__class__.__name__})") from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    text = "\n".join(lines)
    if not text.strip():
        raise UnreadableFile(str(path), "the .docx file holds no text")
    return ReadResult(text=text, sha256=sha, format="docx")
