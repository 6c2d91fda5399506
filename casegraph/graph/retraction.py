"""Taking a document's facts away in batches, never half-done to a reader.

A replaced or deleted document is first *retired*: in one small transaction its node loses the
`Document` label for `RetiredDocument`. Every reader matches `:Document` (the sharing predicate,
lookups, the projection), so from that commit on nothing it states is visible, however many facts it
has. Its facts are then taken away in bounded transactions (`CALL { … } IN TRANSACTIONS`): its key
leaves each fact's and node's `sources`, and what no other document states goes. A crash midway
leaves the RetiredDocument in place, and the next ingest, `documents delete` or `serve` start (or
`retract_retired` by hand) finishes it: every step is idempotent, so running it again is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from neo4j import Driver, ManagedTransaction, RoutingControl

from casegraph.graph.queries import cypher

log = logging.getLogger(__name__)

# Facts (or nodes) per transaction: bounded so that the transaction memory of the default local
# server (a few hundred MB) is never approached, large enough that per-commit costs stay small.
RETRACT_BATCH = 10_000
# Nodes whose facts one statement walks; each statement commits every RETRACT_BATCH facts.
NODE_CHUNK = 2_000


def retire_document(tx: ManagedTransaction, key: str) -> bool:
    """Hide document `key` (published or half-written) from every reader; False when there is none."""
    record = tx.run(cypher("retire_document"), key=key).single()
    return bool(record and record["retired"])


def retired_documents(driver: Driver, database: str) -> list[str]:
    records = driver.execute_query(cypher("retired_documents"), database_=database,
                                   routing_=RoutingControl.READ).records
    return [r["key"] for r in records]


def pending_documents(driver: Driver, database: str) -> list[dict[str, str]]:
    records = driver.execute_query(cypher("pending_documents"), database_=database,
                                   routing_=RoutingControl.READ).records
    return [dict(r) for r in records]


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def retract_facts(driver: Driver, database: str, key: str, ids: Sequence[str], batch: int = RETRACT_BATCH) -> None:
    """Take `key` out of the sources of the facts starting at nodes `ids` and of those nodes, in
    transactions of `batch`; what no other document states goes."""
    # Auto-commit sessions: `CALL { … } IN TRANSACTIONS` commits as it goes, which a managed
    # transaction cannot host.
    with driver.session(database=database) as session:
        for chunk in _chunks(ids, NODE_CHUNK):
            session.run(cypher("retract_retired_rels"), ids=list(chunk), key=key, batch=batch).consume()
        for chunk in _chunks(ids, NODE_CHUNK):
            session.run(cypher("retract_retired_nodes"), ids=list(chunk), key=key, batch=batch).consume()


def retract(driver: Driver, database: str, key: str, batch: int = RETRACT_BATCH) -> None:
    """Take the facts of retired document `key` away in transactions of `batch`, then the node."""
    ids = [r["id"] for r in driver.execute_query(cypher("retired_fact_nodes"), key=key, database_=database,
                                                 routing_=RoutingControl.READ).records]
    retract_facts(driver, database, key, ids, batch)
    with driver.session(database=database) as session:
        session.run(cypher("retract_retired_mentions"), key=key, batch=batch).consume()
        session.run(cypher("delete_retired_document"), key=key).consume()


def retract_retired(driver: Driver, database: str, batch: int = RETRACT_BATCH,
                    on_document: Callable[[str], None] | None = None) -> int:
    """Finish every retraction that is due (after a write, or left by a crash); the number done."""
    keys = retired_documents(driver, database)
    for key in keys:
        if on_document is not None:
            on_document(key)
        log.info("retracting the facts of retired document %s", key)
        retract(driver, database, key, batch)
    return len(keys)
