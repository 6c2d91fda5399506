"""The graph writer: batched `UNWIND … MERGE` on constrained keys in managed write transactions.

A batch of documents is written in one transaction, so each document's facts are committed
together or not at all, and a retried transaction (the driver retries transient errors) writes
the same result, since every statement is a MERGE on a key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from casegraph.graph.queries import cypher
from casegraph.ingest.resolve import DocumentFacts


@dataclass
class WriteStats:
    documents: int = 0
    nodes: int = 0
    relationships: int = 0

    def add(self, other: WriteStats) -> None:
        self.documents += other.documents
        self.nodes += other.nodes
        self.relationships += other.relationships


def existing_documents(driver: Driver, database: str, keys: Sequence[str]) -> set[str]:
    records, _, _ = driver.execute_query(cypher("existing_documents"), keys=list(keys), database_=database)
    return {r["key"] for r in records}


def _write(tx: ManagedTransaction, batch: Sequence[DocumentFacts]) -> WriteStats:
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for facts in batch:
        source = facts.key
        for n in facts.nodes:
            props = {k: v for k, v in n.props.items() if v is not None}
            nodes[n.label].append({"key": n.key, "props": props, "regions": n.regions,
                                   "aliases": n.aliases, "source": source})
        for r in facts.rels:
            rels[(r.type, r.from_label, r.to_label)].append(
                {"from": r.from_key, "to": r.to_key, "fid": r.fid, "source": source,
                 "props": {k: v for k, v in r.props.items() if v is not None}})
    # Documents first: every fact relationship below may point at one.
    tx.run(cypher("merge_documents"), rows=[f.document for f in batch]).consume()
    stats = WriteStats(documents=len(batch))
    for label, rows in nodes.items():
        tx.run(cypher("merge_nodes", label=label), rows=rows).consume()
        stats.nodes += len(rows)
    for (rel_type, from_label, to_label), rows in rels.items():
        if to_label == "Agency":
            query = cypher("merge_rels_to_agency", type=rel_type, from_label=from_label)
        else:
            query = cypher("merge_rels", type=rel_type, from_label=from_label, to_label=to_label)
        tx.run(query, rows=rows).consume()
        stats.relationships += len(rows)
    return stats


def write_documents(driver: Driver, database: str, batch: Sequence[DocumentFacts]) -> WriteStats:
    if not batch:
        return WriteStats()
    with driver.session(database=database) as session:
        return session.execute_write(_write, batch)
