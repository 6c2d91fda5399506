"""Caps on what one input file may cost, so one oversized or hostile file cannot take the process
down: bytes per file, rows per ledger, uncompressed bytes and entries per zip-based file (.docx and
.xlsx are zip archives, so a small zip bomb would expand to gigabytes), pages per PDF.

A file over a cap is refused with UnreadableFile (ingest quarantines it, the batch goes on), with a
reason that names the cap and the setting that raises it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from casegraph.errors import UnreadableFile


@dataclass(frozen=True, slots=True)
class IngestLimits:
    file_bytes: int = 256 * 1024 * 1024
    ledger_rows: int = 5_000_000  # streamed, a ledger costs time by its rows, not memory
    zip_bytes: int = 768 * 1024 * 1024  # a 40 MB .xlsx ledger expands to ~515 MB; a zip bomb to GBs
    zip_entries: int = 10_000
    pdf_pages: int = 5_000

    @classmethod
    def from_settings(cls) -> IngestLimits:
        from casegraph.settings import load_settings

        s = load_settings()
        return cls(s.ingest_max_file_bytes, s.ingest_max_ledger_rows, s.ingest_max_zip_bytes,
                   s.ingest_max_zip_entries, s.ingest_max_pdf_pages)


def over_cap(path: Path, what: str, cap: int, unit: str, setting: str) -> UnreadableFile:
    return UnreadableFile(str(path), f"over the cap of {cap:,} {unit} {what} ({setting} raises it)")


def check_size(path: Path, limits: IngestLimits) -> None:
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise over_cap(path, f"per file: it has {size:,}", limits.file_bytes, "bytes", "CASEGRAPH_INGEST_MAX_FILE_BYTES")


def check_zip(path: Path, limits: IngestLimits) -> None:
    """Refuse a .docx or .xlsx whose archive would expand past the caps, before anything unpacks it.
    The sizes are the archive's own declarations, which Python's zipfile holds each entry to."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(str(path), f"not a valid {path.suffix.lower()} file (damaged archive)") from exc
    if len(entries) > limits.zip_entries:
        raise over_cap(path, f"per archive: it has {len(entries):,}", limits.zip_entries, "entries",
                       "CASEGRAPH_INGEST_MAX_ZIP_ENTRIES")
    expanded = sum(entry.file_size for entry in entries)
    if expanded > limits.zip_bytes:
        raise over_cap(path, f"uncompressed per archive: it would expand to {expanded:,}", limits.zip_bytes,
                       "bytes", "CASEGRAPH_INGEST_MAX_ZIP_BYTES")


def check_rows(path: Path, rows: int, limits: IngestLimits) -> None:
    if rows > limits.ledger_rows:
        raise over_cap(path, f"per ledger: it has more than {limits.ledger_rows:,}", limits.ledger_rows, "rows",
                       "CASEGRAPH_INGEST_MAX_LEDGER_ROWS")


def check_pages(path: Path, pages: int, limits: IngestLimits) -> None:
    if pages > limits.pdf_pages:
        raise over_cap(path, f"per PDF: it has {pages:,}", limits.pdf_pages, "pages", "CASEGRAPH_INGEST_MAX_PDF_PAGES")
