"""A PDF's lines back into paragraphs, and its running header and page numbers left out.

A court's or an agency's PDF breaks lines at the right margin wherever it falls: inside a name
(`张\\n三`), a case number (`（2019）湘01刑终\\n457号`) or an account number. Read as it is laid out,
every such break cuts a mention in two: on 40 real judgments typeset this way, a third of the names
and case numbers and two thirds of the relations were lost (`benchmarks/pdf_layout.py`). So lines
are joined where the layout says the text runs on: the line reaches the right margin and the next
one starts at the left margin (a paragraph's first line is indented, or the line before it stops
short).

Where a line ends is read from pdfminer.six's character boxes (the fonts' own widths, character and
word spacing, justification). pypdf gives where a run of text starts but not where it ends, and an
estimate from character counts missed the margin on justified text (Chromium's print-to-PDF: a
quarter of the names still cut).

Page furniture (`第 3 页 共 10 页`, `- 3 -`, a bare page number, a header or footer repeated on most
pages) is left out: it would sit between the halves of a sentence that runs over the page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTAnno, LTChar, LTTextBox, LTTextLine

_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-－—]\s*\d+\s*[-－—]|\d+\s*/\s*\d+|"
                          r"\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?)$", re.IGNORECASE)
# A line ending this close to the right margin reaches it: a word processor that keeps a number or a
# Latin word whole stops short of it, and a paragraph's end wrongly joined to the next costs less
# than a name cut in two.
_MARGIN_EMS = 2.0
_INDENT_EMS = 0.75  # a line starting this far right of the left margin is indented
_INDENTED = re.compile(r"^(?:\u3000| {2,}|\t)")  # ... or one that starts with the spaces of an indent


@dataclass(slots=True, frozen=True)
class Line:
    text: str
    x0: float  # where the line starts and ends on the page, in points
    x1: float
    y: float  # its baseline's height on the page
    em: float  # its height: the font size, near enough


def pdf_lines(source: Path | io.IOBase) -> list[list[Line]]:
    """Each page's lines, top to bottom, with their boxes.

    Top to bottom rather than pdfminer's order of text boxes: that order put a paragraph's last
    character, alone on its line, before the line it ends. Pieces on one baseline (a signature's
    title and name set apart) are one line. Two columns would be read across: not a judgment's
    layout."""
    params = LAParams(line_margin=0.3, char_margin=2.0)
    pages: list[list[Line]] = []
    for page in extract_pages(source, laparams=params):
        pieces = sorted((Line(text, line.x0, line.x1, line.y0, line.y1 - line.y0)
                         for box in page if isinstance(box, LTTextBox)
                         for line in box if isinstance(line, LTTextLine)
                         if (text := _line_text(line)).strip()),
                        key=lambda line: (-line.y, line.x0))
        lines: list[Line] = []
        for piece in pieces:
            last = lines[-1] if lines else None
            if last is not None and abs(last.y - piece.y) <= 0.3 * max(last.em, piece.em):
                left, right = sorted((last, piece), key=lambda line: line.x0)
                lines[-1] = Line(f"{left.text} {right.text}", left.x0, max(left.x1, right.x1), left.y,
                                 max(left.em, right.em))
            else:
                lines.append(piece)
        pages.append(lines)
    return pages


def _line_text(line: LTTextLine) -> str:
    """The line's characters, and the spaces pdfminer adds where characters stand apart only between
    two Latin words or numbers: in Chinese a gap is justification (character spacing spread over
    the line), never a word break."""
    items = list(line)
    out: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, LTChar):
            out.append(item.get_text())
        elif isinstance(item, LTAnno) and item.get_text() == " ":
            before = items[i - 1].get_text()[-1:] if i else ""
            after = items[i + 1].get_text()[:1] if i + 1 < len(items) else ""
            if before.isascii() and after.isascii() and before.strip() and after.strip():
                out.append(" ")
    return "".join(out)


def _edge_lines(lines: list[Line]) -> list[int]:
    """Indexes of the page's two top and two bottom lines, by where they stand (a PDF may draw its
    header or footer last)."""
    order = sorted(range(len(lines)), key=lambda i: -lines[i].y)
    return sorted({*order[:2], *order[-2:]})


def _furniture(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """(page, line) of page numbers at a page's top or bottom and of a header or footer that most
    pages repeat there."""
    found: set[tuple[int, int]] = set()
    repeated: dict[str, list[tuple[int, int]]] = {}
    for p, lines in enumerate(pages):
        for i in _edge_lines(lines):
            if _PAGE_NUMBER.match(lines[i].text.strip()):
                found.add((p, i))
            else:
                repeated.setdefault(_digitless(lines[i].text), []).append((p, i))
    sizes = sorted(line.em for lines in pages for line in lines)
    body_em = sizes[len(sizes) // 2] if sizes else 0.0
    for places in repeated.values():
        on_pages = {p for p, _ in places}
        # On most pages; on two pages only when set apart by its size (a short last page may well
        # start with the same signature as the first page's heading).
        if len(on_pages) >= max(2, (len(pages) + 1) // 2) and (
                len(on_pages) >= 3 or all(abs(pages[p][i].em - body_em) > 0.5 for p, i in places)):
            found |= set(places)
    return found


def _digitless(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


@dataclass(slots=True, frozen=True)
class Edges:
    left: float
    right: float


def _edges(lines: list[Line]) -> Edges | None:
    """The text block's left and right margins: where its long lines start at the least and end at
    the most. Not a share of all lines: in a document of short paragraphs most lines stop short,
    and a share would put the margin inside the block and join them."""
    long = [line for line in lines if len(line.text.strip()) >= 8]
    if len(long) < 3:
        return None
    ends = sorted(line.x1 for line in long)
    return Edges(min(line.x0 for line in long), ends[-2])  # the second widest: one odd line moves nothing


def _runs_on(line: Line, after: Line, edges: Edges) -> bool:
    """Whether `after` continues `line`'s paragraph: `line` reaches the right margin and `after` is
    not indented."""
    if _INDENTED.match(after.text):
        return False
    return (line.x1 >= edges.right - _MARGIN_EMS * line.em
            and after.x0 <= edges.left + _INDENT_EMS * after.em)


def _joiner(before: str, after: str) -> str:
    """Nothing between the halves of a wrapped line, but a space between two Latin words."""
    a, b = before.rstrip()[-1:], after.lstrip()[:1]
    return " " if a.isascii() and a.isalpha() and b.isascii() and b.isalpha() else ""


def paragraphs(pages: list[list[Line]]) -> tuple[str, list[int]]:
    """The document's text with wrapped lines joined and furniture left out, and where each page's
    text starts in it."""
    furniture = _furniture(pages)
    body = [[line for i, line in enumerate(lines) if (p, i) not in furniture] for p, lines in enumerate(pages)]
    edges = _edges([line for lines in body for line in lines])
    text, page_starts = "", []
    previous: Line | None = None
    for lines in body:
        page_starts.append(len(text) + (1 if text and lines and not _continues(previous, lines[0], edges) else 0))
        for line in lines:
            content = line.text.strip()
            if previous is None:
                text = content
            elif _continues(previous, line, edges):
                text += _joiner(previous.text, content) + content
            else:
                text += "\n" + content
            previous = line
    return text, [min(start, len(text)) for start in page_starts]


def _continues(previous: Line | None, line: Line, edges: Edges | None) -> bool:
    return previous is not None and edges is not None and _runs_on(previous, line, edges)

