"""The graph writer: batched `UNWIND … MERGE` on constrained keys in managed write transactions.

A batch of documents is written in one transaction, so each document's facts are committed
together or not at all, and a retried transaction (the driver retries transient errors) writes
the same result: nodes and facts are MERGEd on their keys, and the only CREATEs (mentions of
documents new in this transaction, transfers whose fid lookup found nothing) follow a check made
in the same transaction under the writer lock, which every writer takes first, so nothing can
appear between the check and the commit.

A document too large for one bounded transaction (a ledger of hundreds of thousands of rows) is
written over several as a `PendingDocument`, which no reader matches, and published in one small
transaction at the end (`publish_document`); a crash midway leaves it pending, and the next ingest
of the same file finishes it. A new version of a document (same agency and path) retires the old
one in the transaction that makes the new one visible, so a reader sees one version or the other,
never a mixture; the retired version's facts are then taken away in batches (graph.retraction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction, Session

from casegraph.errors import NotFound
from casegraph.graph.alert_store import record_alerts
from casegraph.graph.batch_rows import LINKED_LABELS, batch_rows
from casegraph.graph.facts import DocumentFacts
from casegraph.graph.late_credits import fold_late_credits
from casegraph.graph.queries import cypher
from casegraph.graph.retraction import retire_document, retract_facts, retract_retired

TRANSFER_CHUNK = 10_000  # rows per statement: a ledger of 100,000 rows is ten statements
# Fact rows (nodes, facts, transfers) above which a document is written in several transactions as
# a PendingDocument and then published: bounded transactions whatever the size of the document.
STAGED_ROWS = 50_000


@dataclass
class WriteStats:
    documents: int = 0
    nodes: int = 0
    relationships: int = 0
    mentions: int = 0
    transfers: int = 0
    replaced: int = 0
    alerts: int = 0

    def add(self, other: WriteStats) -> None:
        self.documents += other.documents
        self.nodes += other.nodes
        self.relationships += other.relationships
        self.mentions += other.mentions
        self.transfers += other.transfers
        self.replaced += other.replaced
        self.alerts += other.alerts


def existing_documents(driver: Driver, database: str, keys: Sequence[str]) -> set[str]:
    """The keys of published documents (a pending one is written again by the next ingest)."""
    records, _, _ = driver.execute_query(cypher("existing_documents", doc_label="Document"), keys=list(keys),
                                         database_=database)
    return {r["key"] for r in records}


def previous_versions(driver: Driver, database: str, rows: Sequence[dict[str, str]]) -> dict[str, list[str]]:
    """key -> keys of documents of the same agency and path with other bytes (rows: key, agency, path)."""
    records, _, _ = driver.execute_query(cypher("documents_at_path"), rows=list(rows), database_=database)
    return {r["key"]: list(r["previous"]) for r in records}


def key_aliases(driver: Driver, database: str, keys: Iterable[str]) -> dict[str, str]:
    """Keys that were merged into another node, and the key of that node."""
    records, _, _ = driver.execute_query(cypher("key_aliases"), keys=sorted(set(keys)), database_=database)
    return {r["key"]: r["target"] for r in records}


def apply_aliases(facts: DocumentFacts, aliases: dict[str, str]) -> None:
    """Point the facts at the nodes their keys were merged into (an investigator's or the linker's merge)."""
    if not aliases:
        return
    for node in facts.nodes:
        target = aliases.get(node.key)
        if target is not None and node.label == "Account":
            # a card written as the account behind it: the card is the account's alias, not its number
            node.aliases.append(node.props.pop("number", node.key.removeprefix("acct:")))
            node.props.pop("is_card", None)
            node.props.pop("luhn_ok", None)
        node.key = target or node.key
    for rel in facts.rels:
        rel.from_key = aliases.get(rel.from_key, rel.from_key)
        rel.to_key = aliases.get(rel.to_key, rel.to_key)


def _write_transfers(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), TRANSFER_CHUNK):
        chunk = [row | {"i": i} for i, row in enumerate(rows[start:start + TRANSFER_CHUNK])]
        found = {r["i"] for r in tx.run(cypher("transfers_add_sources"), rows=chunk)}
        new = [row for row in chunk if row["i"] not in found]
        if new:
            tx.run(cypher("create_transfers"), rows=new).consume()
            fold_late_credits(tx, new)


def fact_rows(facts: DocumentFacts) -> int:
    return len(facts.nodes) + len(facts.rels) + len(facts.transfers)


def _write(tx: ManagedTransaction, batch: Sequence[DocumentFacts], doc_label: str = "Document",
           fresh: bool | None = None) -> WriteStats:
    """Write `batch` in this transaction. With doc_label "Document" the documents are published here
    and their earlier versions retired; with "PendingDocument" this is one part of a large document,
    `fresh` saying whether that document's writing began in this run (so no mention of it exists
    but those its own parts create)."""
    tx.run(cypher("writer_lock")).consume()
    stats = WriteStats(documents=len(batch) if doc_label == "Document" else 0)
    documents = {f.key: f.document for f in batch}
    if doc_label == "Document":
        for facts in batch:
            for old in facts.replaces:
                stats.replaced += int(retire_document(tx, old))
        tx.run(cypher("adopt_pending_documents"), keys=list(documents)).consume()
    # Keys merged into other nodes (by the linker or an investigator) lead to those nodes.
    # An Account's key may lead to another too: a card number to the account number behind it (account_aliases).
    keys = sorted({n.key for f in batch for n in f.nodes if n.label in LINKED_LABELS or n.label == "Account"})
    if keys:
        aliases = {r["key"]: r["target"] for r in tx.run(cypher("key_aliases"), keys=keys)}
        for facts in batch:
            apply_aliases(facts, aliases)
    if fresh is None:
        present = {r["key"] for r in tx.run(cypher("existing_documents", doc_label=doc_label), keys=list(documents))}
        fresh_documents = set(documents) - present
    else:
        fresh_documents = set(documents) if fresh else set()
    # Documents first: every fact relationship below may point at one.
    tx.run(cypher("merge_documents", doc_label=doc_label), rows=list(documents.values())).consume()
    stats.add(_write_facts(tx, batch, fresh_documents, doc_label))
    return stats


def _write_facts(tx: ManagedTransaction, batch: Sequence[DocumentFacts], fresh_documents: set[str],
                 doc_label: str = "Document", published: bool | None = None) -> WriteStats:
    """Nodes, facts and transfers of the batch, and, when they are published by this transaction, the
    alerts they raise (alerts commit with the facts that raise them: no crash falls between the two)."""
    stats = WriteStats()
    rows = batch_rows(batch, fresh_documents=fresh_documents)
    for label, node_rows in rows.nodes.items():
        tx.run(cypher("merge_nodes", label=label, doc_label=doc_label), rows=node_rows).consume()
        stats.nodes += len(node_rows)
    for (rel_type, from_label, to_label), rel_rows in rows.rels.items():
        from_label = doc_label if from_label == "Document" else from_label
        to_label = doc_label if to_label == "Document" else to_label
        if to_label == "Agency":
            query = cypher("merge_rels_to_agency", type=rel_type, from_label=from_label)
        else:
            query = cypher("merge_rels", type=rel_type, from_label=from_label, to_label=to_label)
        tx.run(query, rows=rel_rows).consume()
    stats.mentions = rows.mentions
    stats.relationships = sum(len(f.rels) for f in batch) + len(rows.transfers)
    _write_transfers(tx, rows.transfers)
    stats.transfers = len(rows.transfers)
    if published if published is not None else doc_label == "Document":
        stats.alerts = record_alerts(tx, batch)
    return stats


def _parts(facts: DocumentFacts, size: int) -> list[DocumentFacts]:
    """A large document cut into parts of about `size` rows: nodes (each with its mentions) first,
    then the facts between them, then the transfers, so that every part finds what it points at."""
    mentions: dict[str, list[Any]] = {}
    others = []
    for rel in facts.rels:
        if rel.type == "MENTIONED_IN":
            mentions.setdefault(rel.from_key, []).append(rel)
        else:
            others.append(rel)
    parts = []
    for start in range(0, len(facts.nodes), size):
        nodes = facts.nodes[start:start + size]
        rels = [m for n in nodes for m in mentions.pop(n.key, [])]
        parts.append(DocumentFacts(facts.document, nodes=nodes, rels=rels))
    others += [m for left in mentions.values() for m in left]
    for start in range(0, len(others), size):
        parts.append(DocumentFacts(facts.document, rels=others[start:start + size]))
    for start in range(0, len(facts.transfers), size):
        parts.append(DocumentFacts(facts.document, transfers=facts.transfers[start:start + size]))
    return parts


def _publish(tx: ManagedTransaction, facts: DocumentFacts) -> WriteStats:
    tx.run(cypher("writer_lock")).consume()
    stats = WriteStats(documents=1)
    stats.replaced = sum(int(retire_document(tx, old)) for old in facts.replaces)
    tx.run(cypher("publish_document"), key=facts.key).consume()
    stats.alerts = record_alerts(tx, [facts])
    return stats


def _pending_is_fresh(session: Session, key: str) -> bool:
    # A PendingDocument left by a crash is written on (MERGE finds what it wrote); a new one is fresh.
    return not session.run(cypher("existing_documents", doc_label="PendingDocument"), keys=[key]).values()


def _write_staged(session: Session, facts: DocumentFacts, size: int) -> WriteStats:
    stats = WriteStats()
    fresh = _pending_is_fresh(session, facts.key)
    for part in _parts(facts, size):
        stats.add(session.execute_write(_write, [part], "PendingDocument", fresh))
    stats.add(session.execute_write(_publish, facts))
    return stats


def write_pending_parts(driver: Driver, database: str, key: str, parts: Iterable[DocumentFacts]) -> WriteStats:
    """A document that is produced in parts (a long text extracted piece by piece), each written in its
    own transaction as the PendingDocument `key` as it comes; nothing is visible until
    `publish_pending`. A run killed midway leaves it pending, and the next ingest of the file writes
    it on (MERGE finds what was written)."""
    stats = WriteStats()
    with driver.session(database=database) as session:
        fresh = _pending_is_fresh(session, key)
        for part in parts:
            stats.add(session.execute_write(_write, [part], "PendingDocument", fresh))
    return stats


def publish_pending(driver: Driver, database: str, summary: DocumentFacts) -> WriteStats:
    """Publish the PendingDocument of `summary` in one small transaction, retiring the versions it
    replaces and raising the alerts of the entities `summary` lists; then take the retired facts away."""
    with driver.session(database=database) as session:
        stats = session.execute_write(_publish, summary)
    if stats.replaced:
        retract_retired(driver, database)
    return stats


def write_ledger_part(driver: Driver, database: str, part: DocumentFacts) -> WriteStats:
    """Accounts and transfers of a batch of a streamed ledger's rows, in their own transaction and before
    the ledger's Document exists. Readers see a fact through a visible Document among its `sources`, so
    these stay unseen until `write_ledger_document` commits; a run killed between the two leaves them
    unseen, and its re-run adds nothing twice (transfers are found by `fid`, nodes merged by key)."""
    def write(tx: ManagedTransaction) -> WriteStats:
        tx.run(cypher("writer_lock")).consume()
        return _write_facts(tx, [part], set(), published=False)

    with driver.session(database=database) as session:
        return session.execute_write(write)


def write_ledger_document(driver: Driver, database: str, head: DocumentFacts,
                          mention_parts: Callable[[], Iterable[DocumentFacts]]) -> WriteStats:
    """A streamed ledger's Document (retiring its earlier versions), holders and its accounts' mentions,
    in one transaction after all its parts: the statement appears whole or not at all. `mention_parts`
    is called again if the driver retries the transaction. The retired versions' facts are then taken
    away in batches."""
    def write(tx: ManagedTransaction) -> WriteStats:
        stats = _write(tx, [head])
        for part in mention_parts():
            stats.add(_write_facts(tx, [part], {head.key}))
        stats.documents = 1
        return stats

    with driver.session(database=database) as session:
        stats = session.execute_write(write)
    if stats.replaced:
        retract_retired(driver, database)
    return stats


def retract_ledger_parts(driver: Driver, database: str, key: str, account_keys: Iterable[str]) -> None:
    """Undo the parts of a ledger refused midway (its Document never written): the key leaves the
    sources of its accounts and transfers, and what only it stated goes, in bounded transactions."""
    records = driver.execute_query(cypher("account_ids"), keys=sorted(set(account_keys)), database_=database).records
    retract_facts(driver, database, key, [r["id"] for r in records])


def write_documents(driver: Driver, database: str, batch: Sequence[DocumentFacts],
                    staged_rows: int = STAGED_ROWS) -> WriteStats:
    """Write and publish `batch`, then take away the facts of the versions it replaced."""
    if not batch:
        return WriteStats()
    stats = WriteStats()
    small = [f for f in batch if fact_rows(f) <= staged_rows]
    with driver.session(database=database) as session:
        if small:
            stats.add(session.execute_write(_write, small))
        for facts in batch:
            if fact_rows(facts) > staged_rows:
                stats.add(_write_staged(session, facts, staged_rows))
    if stats.replaced:
        retract_retired(driver, database)
    return stats


def delete_document(driver: Driver, database: str, key: str) -> None:
    """`casegraph documents delete KEY`: hide the document at once, then take away the facts only it
    stated, in batches."""
    def retire(tx: ManagedTransaction) -> bool:
        tx.run(cypher("writer_lock")).consume()
        return retire_document(tx, key)

    with driver.session(database=database) as session:
        if not session.execute_write(retire):
            raise NotFound(f"no document with key {key!r}")
    retract_retired(driver, database)
