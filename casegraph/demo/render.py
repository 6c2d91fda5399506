"""One planned document to its canonical text and truth entry (no file written here)."""

from __future__ import annotations

import random
from typing import Any

from .generator import RENDERERS, PlannedDoc
from .phrases import DocWriter
from .world import World
from .writers import pdf_layout


def render(doc: PlannedDoc, world: World, seed: int, index: int,
           ) -> tuple[dict[str, Any], list[list[tuple[str, bool]]]]:
    """The truth entry of one document and, for PDFs, its pages of lines."""
    # One generator per document, so documents can be rendered in any order or process.
    rng = random.Random(f"{seed}:{index}:{doc.path}")
    anonymise = doc.kind == "judgment" and rng.random() < 0.6
    writer = DocWriter(rng, world, anonymise=anonymise)
    RENDERERS[doc.kind](writer, doc.matter, doc.path)
    text = writer.b.text
    mentions = writer.b.mentions
    pages: list[list[tuple[str, bool]]] = []
    entry: dict[str, Any] = {
        "path": doc.path, "agency": doc.agency, "kind": doc.kind, "format": doc.fmt,
        "encoding": doc.encoding, "case_number": doc.matter.numbers.get(doc.kind),
        "cites": [], "matter": doc.matter.id,
        "ring": doc.matter.ring.id if doc.matter.ring else None,
    }
    if doc.fmt == "pdf":
        # the reader joins the lines broken at the margin: the PDF reads back as the text itself
        entry["page_starts"], pages = pdf_layout(text)
    own = doc.matter.numbers.get(doc.kind)
    lead = doc.matter.lead_from()
    numbers = [*doc.matter.numbers.values(), *(lead.numbers.values() if lead else ())]
    entry["cites"] = sorted({n for n in numbers if n != own and _cited_in(n, writer)})
    entry["text"] = text
    entry["mentions"] = [m.as_truth() for m in mentions]
    entry["relations"] = [r.as_truth() for r in writer.b.relations]
    entry["invalid"] = writer.b.invalid
    return entry, pages


def _cited_in(number: str, writer: DocWriter) -> bool:
    from .agencies import normalize_case_number

    target = normalize_case_number(number)
    return any(m.type == "CASE_NUMBER" and m.normalized == target for m in writer.b.mentions)
