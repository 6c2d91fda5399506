"""Typeset a text as a court's word processor puts a judgment into PDF, for tests and benchmarks.

Unlike the demo generator's PDFs (which never break a line inside a mention), lines break at the
right margin wherever it falls: inside a name, a case number or an account number. Each paragraph's
first line is indented by two characters' width (a position, not space characters), every page has
a running header and a footer `第 N 页 共 M 页`. Nothing here is read by the product.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

FONT, SIZE, LEADING = "STSong-Light", 16.0, 28.0
LEFT, RIGHT, TOP, BOTTOM = 79.0, 74.0, 72.0, 72.0  # points: the margins of the official document format


def layout(text: str, width: float, char_width: float) -> list[tuple[str, float]]:
    """Lines (text, x indent) of `text`'s paragraphs broken at `width` points."""
    from reportlab.pdfbase import pdfmetrics

    lines: list[tuple[str, float]] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        indent, start, used = 2 * char_width, 0, 2 * char_width
        for i, ch in enumerate(paragraph):
            w = pdfmetrics.stringWidth(ch, FONT, SIZE)
            if used + w > width and i > start:
                lines.append((paragraph[start:i], indent))
                indent, start, used = 0.0, i, 0.0
            used += w
        lines.append((paragraph[start:], indent))
    return lines


def typeset_pdf(path: Path, text: str, header: str = "", pieces: int = 1, indent_with_spaces: bool = False,
                justify: bool = False) -> int:
    """Write `text` to `path` as a court PDF; returns the number of pages.

    `pieces`: each line drawn as that many runs, each placed on its own (as word processors write
    runs of differing format); `indent_with_spaces`: the indent as two ideographic spaces in the text
    instead of a position; `justify`: wrapped lines spread to the right margin by character spacing.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    page_width, page_height = A4
    char_width = pdfmetrics.stringWidth("中", FONT, SIZE)
    lines = layout(text, page_width - LEFT - RIGHT, char_width)
    per_page = int((page_height - TOP - BOTTOM) // LEADING)
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for number, page in enumerate(pages, 1):
        if header:
            pdf.setFont(FONT, 10.5)
            pdf.drawCentredString(page_width / 2, page_height - 40, header)
        pdf.setFont(FONT, SIZE)
        y = page_height - TOP - SIZE
        for line, indent in page:
            x = LEFT + (0.0 if indent_with_spaces else indent)
            if indent and indent_with_spaces:
                line = "\u3000\u3000" + line
            natural = pdfmetrics.stringWidth(line, FONT, SIZE)
            spread = (page_width - RIGHT - x - natural) / max(1, len(line) - 1)
            spacing = spread if justify and natural > (page_width - LEFT - RIGHT) * 0.9 else 0.0
            step = max(1, -(-len(line) // pieces))
            for start in range(0, len(line), step):
                chunk = line[start:start + step]
                text_object = pdf.beginText(x, y)
                text_object.setFont(FONT, SIZE)
                text_object.setCharSpace(spacing)
                text_object.textOut(chunk)
                pdf.drawText(text_object)
                x += pdfmetrics.stringWidth(chunk, FONT, SIZE) + spacing * len(chunk)
            y -= LEADING
        pdf.setFont(FONT, 10.5)
        pdf.drawCentredString(page_width / 2, 40, f"第 {number} 页 共 {len(pages)} 页")
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return len(pages)


def print_pdf(browser: Any, path: Path, text: str, header: str = "") -> None:
    """Write `text` to `path` as Chromium prints a web page to PDF (Skia, WenQuanYi Zen Hei, CSS
    justified and indented paragraphs, the header and the page footer in the print margins): a PDF
    producer this project did not write."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    page = browser.new_page()
    try:
        page.set_content(
            "<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Zen Hei';font-size:16pt;"
            "line-height:1.6} p{text-indent:2em;text-align:justify;margin:0}</style></head>"
            f"<body>{body}</body></html>")
        small = "font-size:9px;width:100%;text-align:center"
        page.pdf(path=str(path), format="A4", display_header_footer=True,
                 header_template=f"<div style='{small}'>{html.escape(header)}</div>",
                 footer_template=f"<div style='{small}'>第 <span class='pageNumber'></span> 页 共 "
                                 "<span class='totalPages'></span> 页</div>",
                 margin={"top": "2.5cm", "bottom": "2.5cm", "left": "2.6cm", "right": "2.6cm"})
    finally:
        page.close()
