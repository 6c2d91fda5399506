"""A PDF page's lines back into paragraphs, and its running header and page number left out.

A court's or an agency's PDF breaks lines at the right margin wherever it falls: inside a name
(`张\\n三`), a case number (`（2019）湘01刑终\\n457号`) or an account number. Read as it is laid out,
every such break cuts a mention in two; on 20 real judgments typeset this way, before this module,
a third of the names and case numbers and two thirds of the relations were lost
(`benchmarks/pdf_layout.py`). So lines are joined where the layout says the text runs on: the line
reaches the right margin and the next one starts at the left margin (a paragraph's first line is
indented, or the line before it stops short). Where the layout cannot be read (no position for a
line), the break stays: a kept break costs one mention at most, a wrong join could merge a heading
into a sentence.

Page furniture (`第 3 页 共 10 页`, `- 3 -`, a bare page number, a header repeated at the top of
every page) is left out: it would sit between the halves of a sentence that runs over the page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-－—]\s*\d+\s*[-－—]|\d+\s*/\s*\d+|"
                          r"\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?)$", re.IGNORECASE)
# A line ending this close to the right margin reaches it: the ends are estimates (a font's Latin
# widths vary), and a paragraph's end wrongly joined to the next costs less than a name cut in two.
_MARGIN_EMS = 2.0
_INDENT_EMS = 0.75  # a line starting this far right of the left margin is indented
_NARROW = frozenset(" .,:;'\"|!`-()[]ilIjft")
_INDENTED = re.compile(r"^(?:\u3000| {2,}|\t)")  # ... or one that starts with the spaces of an indent


@dataclass(slots=True)
class Line:
    text: str
    x0: float | None = None  # where the line starts, in points; None when pypdf gave no position
    last_x: float | None = None  # where its last run of text starts
    full: int = 0  # the last run's full-width (CJK) characters ...
    half: float = 0.0  # ... and its others (`_counts`), whose width depends on the font
    em: float = 0.0  # the font size, scaled to the page
    y: float | None = None  # the line's height on the page

    def x1(self, half_width: float) -> float | None:
        """Where the line ends, with the font's other characters `half_width` ems wide."""
        if self.last_x is None:
            return None
        return self.last_x + self.em * (self.full + self.half * half_width)


def page_lines(page: Any) -> list[Line]:
    """The page's lines in pypdf's reading order, each with where it starts and ends."""
    lines: list[Line] = [Line("")]

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        em = size * (abs(tm[0] * cm[0]) or 1.0)
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append(Line(""))
            if not part:
                continue
            line = lines[-1]
            placed = i == 0  # a piece of a run after a break inside it has no position of its own
            if not line.text.strip() and part.strip():
                line.x0, line.em = (x if placed else None), em
                line.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] if placed else None
            if placed and line.x0 is not None:
                full, half = _counts(part)
                if line.last_x is not None and abs(x - line.last_x) < 0.01:
                    # pypdf hands one run over in several pieces, each placed where the run starts
                    line.full, line.half = line.full + full, line.half + half
                else:
                    line.last_x, line.em, line.full, line.half = x, em, full, half
            line.text += part

    page.extract_text(visitor_text=visit)
    return [line for line in lines if line.text.strip()]


def _counts(text: str) -> tuple[int, float]:
    """Full-width characters (CJK, and the ambiguous ones a CJK font draws full: ×, —, “), and the
    others in half-width units: a space or a stop about half as wide as a digit or a letter."""
    full = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WFA")
    narrow = sum(1 for ch in text if ch in _NARROW)
    return full, len(text) - full - narrow + narrow / 2


def _edge_lines(lines: list[Line]) -> list[int]:
    """Indexes of the page's two top and two bottom lines, by where they stand when pypdf gave it
    (a PDF may draw its header or footer last), else by reading order."""
    heights = [line.y for line in lines]
    order = list(range(len(lines)))
    if all(y is not None for y in heights):
        order.sort(key=lambda i: -(heights[i] or 0.0))
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
    half_width: float


def _edges(lines: list[Line]) -> Edges | None:
    """The text block's left and right margins, and the width of the font's narrow characters.

    The PDF gives where each run of text starts, not where it ends, and a digit or a Latin letter is
    0.4 to 0.6 of a Chinese character's width depending on the font. The width is chosen so that the
    most long lines end together at the margin (a justified block's wrapped lines all do), the margin
    being where they end. Not a share of all lines: in a document of short paragraphs most lines
    stop short, and a share would put the margin inside the block and join them."""
    placed = [line for line in lines if line.x0 is not None and line.last_x is not None
              and line.full + line.half >= 8]
    if len(placed) < 3:
        return None
    left = min(line.x0 for line in placed if line.x0 is not None)
    best: tuple[int, float, float] | None = None
    for step in range(31):
        half_width = 0.3 + step * 0.01
        ends = sorted(x for line in placed if (x := line.x1(half_width)) is not None)
        right = ends[-2]  # the second widest: one odd line does not move the margin
        together = sum(1 for line, x in zip(placed, (line.x1(half_width) for line in placed), strict=True)
                       if x is not None and abs(x - right) <= 0.5 * line.em)
        if best is None or together > best[0]:
            best = (together, right, half_width)
    assert best is not None
    return Edges(left, best[1], best[2])


def _runs_on(line: Line, after: Line, edges: Edges) -> bool:
    """Whether `after` continues `line`'s paragraph: `line` reaches the right margin and `after` is
    not indented."""
    end = line.x1(edges.half_width)
    if end is None or after.x0 is None or _INDENTED.match(after.text):
        return False
    em = line.em or 1.0
    return end >= edges.right - _MARGIN_EMS * em and after.x0 <= edges.left + _INDENT_EMS * (after.em or em)


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

