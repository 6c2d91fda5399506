"""The writer's input: one document's facts as rows keyed by DESIGN.md's canonical node keys.

Resolution (casegraph.ingest.resolution) produces these; the writer only merges them. They live
here, below `ingest`, so that `graph` never imports `ingest`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class NodeRow:
    label: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    # Why mentions were put together on this node (e.g. "ric", "name+birth_date", "same_name_in_document").
    merged_on: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RelRow:
    type: str
    from_label: str
    from_key: str
    to_label: str
    to_key: str
    fid: str = ""  # tells apart parallel facts of one type between the same two nodes
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class TransferRow:
    """One ledger row as a fact: the same transfer in two banks' statements has one `fid`."""

    from_key: str
    to_key: str
    fid: str
    amount: float
    at: str
    tx_id: str | None = None
    # which statement lists it: "debit" the payer's, "credit" the payee's, None a table or prose
    side: str | None = None


@dataclass(slots=True)
class DocumentFacts:
    document: dict[str, Any]
    nodes: list[NodeRow] = field(default_factory=list)
    rels: list[RelRow] = field(default_factory=list)
    transfers: list[TransferRow] = field(default_factory=list)
    # Keys of earlier versions of this document (same agency and path) whose facts it replaces.
    replaces: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.document["key"])

    @property
    def mention_count(self) -> int:
        return sum(1 for r in self.rels if r.type == "MENTIONED_IN")


@dataclass(frozen=True, slots=True)
class AgencyRef:
    id: str
    region: str
    kind: str = ""
