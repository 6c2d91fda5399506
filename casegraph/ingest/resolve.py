"""From one document's extracted mentions to graph facts keyed by DESIGN.md's canonical keys.

The work is in `casegraph.ingest.resolution`; this module keeps the entry points the rest of the
code imports.
"""

from __future__ import annotations

from casegraph.graph.facts import AgencyRef, DocumentFacts, NodeRow, RelRow, TransferRow
from casegraph.ingest.resolution.cases import case_key
from casegraph.ingest.resolution.document import document_key, resolve_document

__all__ = ["AgencyRef", "DocumentFacts", "NodeRow", "RelRow", "TransferRow", "case_key", "document_key",
           "resolve_document"]
