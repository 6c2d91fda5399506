"""Readers: one module per file format, each turning a file into text plus where it came from.

`read_file` dispatches on the suffix. Every reader raises `UnreadableFile` with a reason a
person can act on (empty, binary content, unknown encoding, damaged PDF, no text layer, bad
JSON, no ledger header); nothing is silently empty.
"""

from __future__ import annotations

from pathlib import Path

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.base import ReadResult
from casegraph.ingest.readers.docx_reader import read_docx
from casegraph.ingest.readers.json_reader import read_json
from casegraph.ingest.readers.ledger_reader import LEDGER_FIELDS, read_csv_ledger, read_xlsx_ledger
from casegraph.ingest.readers.limits import IngestLimits, check_size, check_zip
from casegraph.ingest.readers.pdf_reader import read_pdf
from casegraph.ingest.readers.txt_reader import read_txt

__all__ = ["LEDGER_FIELDS", "SUPPORTED_SUFFIXES", "IngestLimits", "ReadResult", "read_file"]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf", ".json", ".csv", ".xlsx", ".xls")


def read_file(path: Path, columns: dict[str, str] | None = None, limits: IngestLimits | None = None) -> ReadResult:
    """Read one case file or ledger within the caps of `limits` (the settings' by default);
    `columns` maps ledger fields to header names and wins."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    limits = limits or IngestLimits.from_settings()
    check_size(path, limits)
    if suffix in (".docx", ".xlsx"):
        check_zip(path, limits)
    if suffix == ".txt":
        return read_txt(path)
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path, limits)
    if suffix == ".json":
        return read_json(path)
    if suffix == ".csv":
        return read_csv_ledger(path, columns, limits)
    if suffix in (".xlsx", ".xls"):
        return read_xlsx_ledger(path, columns, limits)
    raise UnreadableFile(str(path), f"unsupported file type {suffix or '(no suffix)'}; "
                                    f"expected one of {', '.join(SUPPORTED_SUFFIXES)}")
