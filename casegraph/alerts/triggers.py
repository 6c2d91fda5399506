"""What a batch of written documents did to each entity, and the alerts that watches turn it into.

The writer calls these inside its transaction: `touches` folds a batch into one row per (document,
entity) with the events that happened to it; `alert_rows` pairs those with the watches that one
indexed lookup found. An alert's id is a hash of document, entity and watch, so writing the same
document again (a retried transaction, a re-run) raises no second alert.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from casegraph.graph.facts import DocumentFacts

# What a watch can be on; documents, agencies and mentions are not entities one watches.
WATCHABLE_LABELS = frozenset({"Person", "Organization", "Account", "Phone", "Address", "Case"})
# Parties of a case: the entities whose new appearance in a watched case makes them watched too.
PARTY_LABELS = frozenset({"Person", "Organization", "Account", "Phone"})

NAMED, ACCOUNT, TRANSFER = "named", "account", "transfer"


@dataclass(slots=True)
class Touch:
    document: str
    doc_agency: str
    key: str
    label: str
    events: list[str] = field(default_factory=list)

    def add(self, event: str) -> None:
        if event not in self.events:
            self.events.append(event)


def _document_touches(facts: DocumentFacts) -> list[Touch]:
    agency = str(facts.document.get("agency") or "")
    rows: dict[str, Touch] = {}

    def touch(key: str, label: str, event: str) -> None:
        row = rows.get(key)
        if row is None:
            row = rows[key] = Touch(facts.key, agency, key, label)
        row.add(event)

    for node in facts.nodes:
        if node.label in WATCHABLE_LABELS:
            touch(node.key, node.label, NAMED)
    for rel in facts.rels:
        if rel.type == "HOLDS":  # a new account of a person or company
            touch(rel.from_key, rel.from_label, ACCOUNT)
            touch(rel.to_key, rel.to_label, ACCOUNT)
    for transfer in facts.transfers:
        touch(transfer.from_key, "Account", TRANSFER)
        touch(transfer.to_key, "Account", TRANSFER)
    return list(rows.values())


def touches(batch: Sequence[DocumentFacts]) -> list[Touch]:
    """One row per (document, watchable entity) of the batch, with what happened to the entity."""
    return [touch for facts in batch for touch in _document_touches(facts)]


def case_parties(batch: Sequence[DocumentFacts]) -> list[dict[str, object]]:
    """Per document of a case: the scopes whose watches cover it (the case, and its agency's own cases)
    and the parties it names, which become watched under those watches."""
    rows: list[dict[str, object]] = []
    for facts in batch:
        cases = [r.to_key for r in facts.rels if r.type == "OF_CASE"]
        keys = sorted({n.key for n in facts.nodes if n.label in PARTY_LABELS})
        agency = str(facts.document.get("agency") or "")
        for case in cases:
            rows.append({"case": case, "scopes": [case_scope(case), agency_scope(agency)], "keys": keys})
    return rows


def case_scope(case_key: str) -> str:
    return case_key


def agency_scope(agency: str) -> str:
    return f"agency:{agency}"


def alert_id(document: str, entity: str, watch: str) -> str:
    return "alt-" + opaque_id(f"{document}\x1f{entity}\x1f{watch}")


def opaque_id(text: str) -> str:
    """A hash of `text` in base32 letters: hex digits could form a run that masking takes for an
    account number, and a masked id could no longer be marked read or removed."""
    return base64.b32encode(hashlib.sha256(text.encode()).digest()[:20]).decode().lower()


@dataclass(frozen=True, slots=True)
class WatchHit:
    key: str
    watch: str
    agency: str
    user: str | None


def alert_rows(found: Iterable[Touch], hits: Iterable[WatchHit]) -> dict[str, list[dict[str, object]]]:
    """Alert rows by entity label. An agency's own documents raise no alert for it: the alert is
    about another agency touching what it watches."""
    by_key: dict[str, list[WatchHit]] = {}
    for hit in hits:
        by_key.setdefault(hit.key, []).append(hit)
    rows: dict[str, list[dict[str, object]]] = {}
    if not by_key:
        return rows
    for touch in found:
        for hit in by_key.get(touch.key, ()):
            if hit.agency == touch.doc_agency:
                continue
            rows.setdefault(touch.label, []).append({
                "id": alert_id(touch.document, touch.key, hit.watch), "watch": hit.watch, "agency": hit.agency,
                "user": hit.user, "entity": touch.key, "document": touch.document, "events": touch.events,
                "trigger": "new_document"})
    return rows
