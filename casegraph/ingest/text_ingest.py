"""A long text ingested as a stream: read, extracted, resolved and written a piece at a time.

A 100 MB text extracted whole held its text, every piece's spaCy Doc and every mention at once
(1.3 GB of memory). Streamed, the process holds one decoded block, one piece (`extract.PIECE_CHARS`
characters, cut at a paragraph break) with its Doc and facts, and the set of entities the text named.
Each piece's facts are written as they come, as parts of a `PendingDocument`, which no reader
matches; the Document is published by one small transaction at the end (`writer.publish_pending`),
so the text appears whole or not at all, and a run killed midway leaves nothing visible: the next
ingest of the file writes it on.

Each piece is resolved on its own, with the file's offsets (`resolve_document(offset=…)`) and the
document's kind and own case number from the first piece that shows them. What whole-document
resolution would join across pieces and a piece cannot: a person named only by name stays one node
per name in the file (the key is the file's place and the name, the same in every piece); an
organisation named by its USCC in one piece and by its name alone in another stays two nodes, as
across documents, for the linker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Driver

from casegraph.graph.facts import AgencyRef, DocumentFacts, NodeRow, RelRow
from casegraph.graph.writer import WriteStats, publish_pending, write_pending_parts
from casegraph.ingest.extract import extract_text
from casegraph.ingest.pieces import PIECE_CHARS, stream_pieces
from casegraph.ingest.readers.text_stream import TextStream, open_text
from casegraph.ingest.resolution.document import document_key, resolve_document

# Texts over this many bytes are streamed; shorter ones are resolved whole, which joins mentions
# across the whole document (a judgment is tens of KB, a long indictment a few hundred).
STREAM_BYTES = 4 * 1024 * 1024
# The facts the published Document keeps for the alerts it raises (the rest went with the parts).
_SUMMARY_RELS = frozenset({"OF_CASE", "HOLDS"})


def streamed(path: Path, stream_bytes: int = STREAM_BYTES) -> bool:
    return path.suffix.lower() == ".txt" and path.stat().st_size > stream_bytes


@dataclass
class TextParts:
    """The facts of a streamed text, one part per piece, and what was found on the way."""

    stream: TextStream
    agency: AgencyRef
    sharing: str
    shared_with: list[str]
    piece_chars: int = PIECE_CHARS
    entities: int = 0
    relations: int = 0
    kind: str | None = None
    case_number: str | None = None
    summary: dict[tuple[str, str, str], NodeRow | RelRow] = field(default_factory=dict)

    def __iter__(self) -> Iterator[DocumentFacts]:
        stream = self.stream
        for offset, text in stream_pieces(stream.blocks(), self.piece_chars):
            doc = extract_text(text, str(stream.path), stream.sha256)
            # the document's kind is told from its opening, and its own case number is the first it states
            self.kind = self.kind or doc.kind
            self.case_number = self.case_number or doc.case_number
            doc.kind, doc.case_number = self.kind, self.case_number
            self.entities += len(doc.entities)
            self.relations += len(doc.relations)
            facts = resolve_document(doc, self.agency, self.sharing, self.shared_with, offset=offset)
            self._remember(facts)
            yield facts

    def _remember(self, facts: DocumentFacts) -> None:
        for node in facts.nodes:
            self.summary.setdefault(("node", node.label, node.key), NodeRow(node.label, node.key))
        for rel in facts.rels:
            if rel.type in _SUMMARY_RELS:
                self.summary.setdefault((rel.type, rel.from_key, rel.to_key), rel)

    def published(self, document: dict[str, object], replaces: list[str]) -> DocumentFacts:
        """The Document to publish: its entities and case for the alerts it raises, no mention."""
        nodes = [row for row in self.summary.values() if isinstance(row, NodeRow)]
        rels = [row for row in self.summary.values() if isinstance(row, RelRow)]
        return DocumentFacts(dict(document), nodes=nodes, rels=rels, replaces=list(replaces))


def ingest_text(driver: Driver, database: str, path: Path, agency: AgencyRef, sharing: str, shared_with: list[str],
                replaces: list[str], piece_chars: int = PIECE_CHARS) -> tuple[WriteStats, TextParts]:
    """Stream one long text into the graph; the write stats and what extraction found. Raises
    UnreadableFile, having written nothing, for a text to quarantine."""
    parts = TextParts(open_text(path), agency, sharing, shared_with, piece_chars)
    key = document_key(parts.stream.sha256)
    last: dict[str, object] = {}

    def remembered() -> Iterator[DocumentFacts]:
        for facts in parts:
            last.update(facts.document)
            yield facts

    stats = write_pending_parts(driver, database, key, remembered())
    stats.add(publish_pending(driver, database, parts.published(last, replaces)))
    return stats, parts
