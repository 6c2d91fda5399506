"""The evidence book: every fact of a bundle registers where it stands, and gets an id to cite.

Quotes are cut at the end, once the texts of all cited documents are read in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casegraph.bundle.models import Evidence
from casegraph.bundle.quotes import page_of, sentence_at


@dataclass(slots=True)
class _Entry:
    id: str
    fact: str
    document: str
    start: int | None
    end: int | None
    page: int | None
    quote: str | None
    statement: str | None = None


class EvidenceBook:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, int | None], _Entry] = {}

    def add(self, fact: str, document: str, start: int | None = None, end: int | None = None,
            page: int | None = None, quote: str | None = None, statement: str | None = None) -> str:
        """Register that `document` states `fact` (at [start, end) or as `quote`); returns the id.

        `fact` is the machine form (`ric:… ROLE_IN case:…`), kept for JSON readers and as the identity
        of an entry; `statement` is the same fact as the sentence a prosecutor reads in the report."""
        slot = (fact, document, start)
        entry = self._entries.get(slot)
        if entry is None:
            entry = _Entry(f"E{len(self._entries) + 1}", fact, document, start, end, page, quote, statement)
            self._entries[slot] = entry
        return entry.id

    def add_mention(self, fact: str, mention: dict[str, Any], statement: str | None = None) -> str:
        return self.add(fact, mention["document"], mention.get("start"), mention.get("end"), mention.get("page"),
                        statement=statement)

    @property
    def documents(self) -> set[str]:
        return {e.document for e in self._entries.values()}

    def finish(self, documents: dict[str, dict[str, Any]]) -> tuple[list[Evidence], set[str]]:
        """Evidence items with their quotes; and the ids dropped because their document is not visible."""
        items: list[Evidence] = []
        dropped: set[str] = set()
        for e in self._entries.values():
            doc = documents.get(e.document)
            if doc is None:
                dropped.add(e.id)
                continue
            text = doc.get("text") or ""
            quote = e.quote
            if quote is None and text and e.start is not None:
                quote = sentence_at(text, e.start, e.end)
            page = e.page if e.page is not None else (page_of(doc.get("page_starts"), e.start)
                                                      if e.start is not None else None)
            items.append(Evidence(id=e.id, fact=e.fact, statement=e.statement, document=e.document,
                                  agency=doc["agency"],
                                  filename=doc.get("filename"), page=page,
                                  quote=quote or f"《{doc.get('filename') or e.document}》（原文未存入图谱）"))
        return items, dropped
