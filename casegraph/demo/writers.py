"""File writers: txt (three encodings), docx, pdf with a text layer, csv, xlsx, broken files.

Every writer is byte-deterministic: zip members get a fixed timestamp and the package
metadata a fixed date, and reportlab runs in invariant mode, so one seed gives one corpus.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_ISO = "2024-01-01T00:00:00Z"
PDF_FONT = "STSong-Light"
PDF_FONT_SIZE = 11
PDF_LINE_WIDTH = 480.0
PDF_LINES_PER_PAGE = 46


def write_txt(path: Path, text: str, encoding: str) -> None:
    path.write_bytes(text.encode(encoding))


def _normalise_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed member times and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, blob)
    return out.getvalue()


def write_docx(path: Path, text: str) -> None:
    """One paragraph per line, so the paragraphs joined by newlines give the text back."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


@lru_cache(maxsize=1)
def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    from reportlab.pdfbase import pdfmetrics

    _register_font()
    return float(pdfmetrics.stringWidth(ch, PDF_FONT, PDF_FONT_SIZE))


def pdf_layout(text: str) -> tuple[list[int], list[list[tuple[str, bool]]]]:
    """Break paragraphs into PDF lines at the right margin, as a word processor does: inside a name,
    a case number or an amount wherever the margin falls (the reader joins them back,
    `casegraph.ingest.readers.pdf_lines`), but not beside a space, whose loss at a line's end no
    reader can undo.

    Returns where each page starts in `text` and the pages' lines, each with whether it opens a
    paragraph (drawn indented by two characters, the way a judgment's paragraphs are).
    """
    lines: list[tuple[str, bool, int]] = []  # (line, opens a paragraph, offset in text)
    for para_start, para in _paragraphs(text):
        start, width = 0, 2 * _char_width("中")
        for j, ch in enumerate(para):
            width += _char_width(ch)
            if width > PDF_LINE_WIDTH and j > start and " " not in para[j - 1:j + 1]:
                lines.append((para[start:j], start == 0, para_start + start))
                start, width = j, _char_width(ch)
        lines.append((para[start:], start == 0, para_start + start))
    pages = [lines[i:i + PDF_LINES_PER_PAGE] for i in range(0, len(lines), PDF_LINES_PER_PAGE)]
    return [page[0][2] for page in pages], [[(line, opens) for line, opens, _ in page] for page in pages]


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for para in text.split("\n"):
        yield pos, para
        pos += len(para) + 1


def write_pdf(path: Path, pages: list[list[tuple[str, bool]]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle("")
    for page in pages:
        pdf.setFont(PDF_FONT, PDF_FONT_SIZE)
        y = A4[1] - 60
        for line, opens in page:
            if line:
                pdf.drawString(56 + (2 * _char_width("中") if opens else 0), y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], encoding: str) -> None:
    import csv

    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], title: str) -> None:
    import datetime

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    fixed = datetime.datetime(2024, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.creator = "casegraph demo"
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


BROKEN_KINDS = ("truncated_pdf", "binary_junk", "empty", "wrong_encoding")


def write_broken(path: Path, kind: str, rng: random.Random, sample_pdf: bytes, sample_text: str) -> None:
    if kind == "truncated_pdf":
        path.write_bytes(sample_pdf[: max(64, len(sample_pdf) * 2 // 5)])
    elif kind == "binary_junk":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(2048)))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "wrong_encoding":
        # GB18030 bytes read as Latin-1 and saved as UTF-8: classic mojibake.
        path.write_bytes(sample_text.encode("gb18030").decode("latin-1").encode("utf-8"))
    else:
        raise ValueError(f"unknown broken-file kind {kind!r}")
