"""PDF text layer, with lines wrapped at the margin joined back into paragraphs and page furniture
left out (`pdf_lines`), and the offset where each page starts.

A PDF whose pages give no text is a scan: it is refused with "no text layer" rather than
passed on empty, so ingest can quarantine it for OCR.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from pdfminer.psexceptions import PSException
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.base import ReadResult, read_bytes
from casegraph.ingest.readers.limits import IngestLimits, check_pages
from casegraph.ingest.readers.pdf_lines import paragraphs, pdf_lines


def read_pdf(path: Path, limits: IngestLimits | None = None) -> ReadResult:
    raw, sha = read_bytes(path)
    if not raw.lstrip().startswith(b"%PDF"):
        raise UnreadableFile(str(path), "not a PDF file (no %PDF header)")
    # pypdf logs recoverable damage as warnings; a damaged file is reported through the exception
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        # pypdf first: a cheap check of the file and its page count before any page is laid out
        reader = PdfReader(io.BytesIO(raw), strict=False)
        check_pages(path, len(reader.pages), limits or IngestLimits())
        pages = pdf_lines(io.BytesIO(raw))
    except (PyPdfError, PSException, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableFile(str(path), f"truncated or damaged PDF ({exc.__class__.__name__}: {exc})") from exc
    if not pages:
        raise UnreadableFile(str(path), "truncated or damaged PDF (no pages)")
    if not any(pages):
        raise UnreadableFile(str(path), "no text layer")
    text, page_starts = paragraphs(pages)
    return ReadResult(text=text, sha256=sha, format="pdf", page_starts=page_starts)
