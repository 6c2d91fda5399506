"""What the case-assist bundle needs to quote a document: its text and where its dates stand.

DATE mentions are properties, not nodes (DESIGN.md), so without these the graph would know no
dates and could quote no sentence. Neo4j properties hold no lists of maps, hence parallel lists.
"""

from __future__ import annotations

from typing import Any, Final

from casegraph.model import ExtractedDocument

# Ledgers are tables of thousands of rows: their facts are TRANSFERRED edges, quoted by row.
MAX_STORED_TEXT: Final[int] = 200_000


def document_text_props(doc: ExtractedDocument) -> dict[str, Any]:
    """Properties to add to the Document node: text, page starts and the DATE mentions."""
    if doc.kind == "ledger" or len(doc.text) > MAX_STORED_TEXT:
        return {}
    dates = [m for m in doc.entities if m.type == "DATE" and m.normalized]
    return {
        "text": doc.text,
        "page_starts": list(doc.page_starts),
        "date_starts": [m.start for m in dates],
        "date_ends": [m.end for m in dates],
        "date_values": [m.normalized for m in dates],
    }
