"""The graph writer: batched `UNWIND … MERGE` on constrained keys in managed write transactions.

A batch of documents is written in one transaction, so each document's facts are committed
together or not at all, and a retried transaction (the driver retries transient errors) writes
the same result: nodes and facts are MERGEd on their keys, and the only CREATEs (mentions of
documents new in this transaction, transfers whose fid lookup found nothing) follow a check made
in the same transaction under the writer lock, which every writer takes first, so nothing can
appear between the check and the commit. A new version of a document (same agency and path) first
retracts the old version's facts in the same transaction; deleting a document retracts the facts
only it stated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from casegraph.errors import NotFound
from casegraph.graph.alert_store import record_alerts
from casegraph.graph.batch_rows import LINKED_LABELS, batch_rows
from casegraph.graph.facts import DocumentFacts
from casegraph.graph.queries import cypher

TRANSFER_CHUNK = 10_000  # rows per statement: a ledger of 100,000 rows is ten statements


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
    records, _, _ = driver.execute_query(cypher("existing_documents"), keys=list(keys), database_=database)
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
        node.key = aliases.get(node.key, node.key)
    for rel in facts.rels:
        rel.from_key = aliases.get(rel.from_key, rel.from_key)
        rel.to_key = aliases.get(rel.to_key, rel.to_key)


def retract_document(tx: ManagedTransaction, key: str) -> bool:
    """Remove what document `key` states: its key from every `sources`, facts and nodes left with no
    source, and the Document node. False when there is no such document."""
    ids = [r["id"] for r in tx.run(cypher("document_fact_nodes"), key=key)]
    tx.run(cypher("retract_document_rels"), key=key, ids=ids).consume()
    tx.run(cypher("retract_document_nodes"), key=key, ids=ids).consume()
    record = tx.run(cypher("delete_document"), key=key).single()
    return bool(record and record["deleted"])


def _write_transfers(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), TRANSFER_CHUNK):
        chunk = [row | {"i": i} for i, row in enumerate(rows[start:start + TRANSFER_CHUNK])]
        found = {r["i"] for r in tx.run(cypher("transfers_add_sources"), rows=chunk)}
        new = [row for row in chunk if row["i"] not in found]
        if new:
            tx.run(cypher("create_transfers"), rows=new).consume()


def _write(tx: ManagedTransaction, batch: Sequence[DocumentFacts]) -> WriteStats:
    tx.run(cypher("writer_lock")).consume()
    stats = WriteStats(documents=len(batch))
    for facts in batch:
        for old in facts.replaces:
            stats.replaced += int(retract_document(tx, old))
    # Keys merged into other nodes (by the linker or an investigator) lead to those nodes.
    keys = sorted({n.key for f in batch for n in f.nodes if n.label in LINKED_LABELS})
    if keys:
        aliases = {r["key"]: r["target"] for r in tx.run(cypher("key_aliases"), keys=keys)}
        for facts in batch:
            apply_aliases(facts, aliases)
    documents = {f.key: f.document for f in batch}
    present = {r["key"] for r in tx.run(cypher("existing_documents"), keys=list(documents))}
    # Documents first: every fact relationship below may point at one.
    tx.run(cypher("merge_documents"), rows=list(documents.values())).consume()
    stats.add(_write_facts(tx, batch, set(documents) - present))
    return stats


def _write_facts(tx: ManagedTransaction, batch: Sequence[DocumentFacts], fresh_documents: set[str]) -> WriteStats:
    """Nodes, facts and transfers of the batch, and the alerts they raise."""
    stats = WriteStats()
    rows = batch_rows(batch, fresh_documents=fresh_documents)
    for label, node_rows in rows.nodes.items():
        tx.run(cypher("merge_nodes", label=label), rows=node_rows).consume()
        stats.nodes += len(node_rows)
    for (rel_type, from_label, to_label), rel_rows in rows.rels.items():
        if to_label == "Agency":
            query = cypher("merge_rels_to_agency", type=rel_type, from_label=from_label)
        else:
            query = cypher("merge_rels", type=rel_type, from_label=from_label, to_label=to_label)
        tx.run(query, rows=rel_rows).consume()
    stats.mentions = rows.mentions
    stats.relationships = sum(len(f.rels) for f in batch) + len(rows.transfers)
    _write_transfers(tx, rows.transfers)
    stats.transfers = len(rows.transfers)
    # Alerts commit with the facts that raise them (issue 19): no crash can fall between the two.
    stats.alerts = record_alerts(tx, batch)
    return stats


def write_ledger_part(driver: Driver, database: str, part: DocumentFacts) -> WriteStats:
    """Accounts and transfers of a batch of a streamed ledger's rows, in their own transaction and before
    the ledger's Document exists. Readers see a fact through a visible Document among its `sources`, so
    these stay unseen until `write_ledger_document` commits; a run killed between the two leaves them
    unseen, and its re-run adds nothing twice (transfers are found by `fid`, nodes merged by key)."""
    def write(tx: ManagedTransaction) -> WriteStats:
        tx.run(cypher("writer_lock")).consume()
        return _write_facts(tx, [part], set())

    with driver.session(database=database) as session:
        return session.execute_write(write)


def write_ledger_document(driver: Driver, database: str, head: DocumentFacts,
                          mention_parts: Callable[[], Iterable[DocumentFacts]]) -> WriteStats:
    """A streamed ledger's Document (replacing its earlier versions), holders and its accounts' mentions,
    in one transaction after all its parts: the statement appears whole or not at all. `mention_parts`
    is called again if the driver retries the transaction."""
    def write(tx: ManagedTransaction) -> WriteStats:
        stats = _write(tx, [head])
        for part in mention_parts():
            stats.add(_write_facts(tx, [part], {head.key}))
        stats.documents = 1
        return stats

    with driver.session(database=database) as session:
        return session.execute_write(write)


def retract_ledger_parts(driver: Driver, database: str, key: str, account_keys: Iterable[str]) -> None:
    """Undo the parts of a ledger refused midway (its Document never written): the key leaves the
    sources of its accounts and transfers, and what only it stated goes."""
    def retract(tx: ManagedTransaction) -> None:
        tx.run(cypher("writer_lock")).consume()
        ids = [r["id"] for r in tx.run(cypher("account_ids"), keys=sorted(set(account_keys)))]
        tx.run(cypher("retract_document_rels"), key=key, ids=ids).consume()
        tx.run(cypher("retract_document_nodes"), key=key, ids=ids).consume()

    with driver.session(database=database) as session:
        session.execute_write(retract)


def write_documents(driver: Driver, database: str, batch: Sequence[DocumentFacts]) -> WriteStats:
    if not batch:
        return WriteStats()
    with driver.session(database=database) as session:
        return session.execute_write(_write, batch)


def delete_document(driver: Driver, database: str, key: str) -> None:
    """`casegraph documents delete KEY`: remove the document and the facts only it stated."""
    def retract(tx: ManagedTransaction) -> bool:
        tx.run(cypher("writer_lock")).consume()
        return retract_document(tx, key)

    with driver.session(database=database) as session:
        if not session.execute_write(retract):
            raise NotFound(f"no document with key {key!r}")
