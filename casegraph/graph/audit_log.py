"""The append-only audit log: (:AuditEvent) nodes in a hash chain, spooled to disk, shipped in batches.

Append-only, in three ways: the only statement that writes an event is a CREATE
(cypher/queries/audit_append*.cypher, checked by a test), the API has no route that edits or
deletes one, and each event's `hash` covers its fields and the previous event's hash, so an edit, a
deletion or a reordering made directly in the database shows in `verify` (and in
`casegraph audit verify`).

Durability at the spool: `append` returns once the record is fsynced in this process's journal
(`audit_spool`: a writer thread writes whatever has queued and syncs once per group), so a record
is durable before its call is answered, and a call whose record cannot be written gets an error
instead (the API answers 503). A shipper thread (`audit_shipper`) moves the records into the Neo4j
chain in batches of up to 500, after `ship_s` or sooner when many wait, so the Neo4j commits are
no longer bounded by the calls in flight (docs/benchmarks-history.md, issue 6). The chain itself is as before:
seq and hash assigned under the head's lock, one linear chain across API processes.

Seen in Neo4j: this process's records after `flush` (GET /v1/audit flushes first), another
process's within its ship interval, a dead process's when a later start or the CLI's
`audit export`/`verify` ships its journal (each record once: ids already there are skipped).
`close` ships everything before the process lets go of the driver.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver, RoutingControl

from casegraph.access.audit_chain import verify_chain
from casegraph.errors import CasegraphError, DatabaseUnavailable
from casegraph.graph.audit_shipper import ChainAppender, Head, Shipper, append_locked, ship_orphans
from casegraph.graph.audit_spool import Journal, Pending, SpoolWriter
from casegraph.graph.queries import cypher

# How long spooled records may wait before they are shipped (the API takes it from
# CASEGRAPH_AUDIT_SHIP_MS): longer makes larger Neo4j commits, and another process's records
# appear in GET /v1/audit that much later.
SHIP_S = 0.2


class _RecordIds:
    """Unique record ids without a system call per record: a random prefix per process and a counter.

    uuid4 per record read os.urandom, which releases the GIL; on the API's event loop, getting it
    back behind the driver's threads cost ~0.4 ms of wall time per call (cProfile of
    benchmarks/api_cpu.py). A forked child draws a prefix of its own.
    """

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self.prefix = uuid.uuid4().hex[:20]
        self.counter = itertools.count(1)

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter):012x}"


_record_ids = _RecordIds()


@dataclass
class AuditRecord:
    user: str
    agency: str
    role: str
    action: str
    method: str
    path: str
    params: dict[str, Any]
    purpose: str | None
    returned: list[str]
    status: int
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="microseconds"))
    # Unique (migration 0010): a journal shipped again after a crash skips what is already there.
    id: str = field(default_factory=_record_ids.next)

    def as_row(self) -> dict[str, Any]:
        # params are stored as JSON text: Neo4j properties cannot hold maps.
        return {"id": self.id, "at": self.at, "user": self.user, "agency": self.agency, "role": self.role,
                "action": self.action, "method": self.method, "path": self.path,
                "params": json.dumps(self.params, sort_keys=True, ensure_ascii=False),
                "purpose": self.purpose, "returned": list(self.returned), "status": self.status}


class AuditWriteFailed(CasegraphError):
    """The audit record could not be made durable; the call must not be answered as if it were."""


def append_now(driver: Driver, database: str, records: list[AuditRecord]) -> None:
    """Append records to Neo4j in one transaction, in the calling thread (the CLI's way)."""
    if records:
        with driver.session(database=database) as session:
            session.execute_write(append_locked, [r.as_row() for r in records])


def ship_orphaned_journals(driver: Driver, database: str, spool_dir: Path) -> int:
    """Ship the spool journals of API processes that died (the CLI does so before export and verify)."""
    appender = ChainAppender(driver, database)
    try:
        return ship_orphans(appender, spool_dir)
    finally:
        appender.close()


class AuditLog:
    """A process's audit log: `append` returns once the record is durable in the spool."""

    def __init__(self, driver: Driver, database: str, spool_dir: Path, *, ship_s: float = SHIP_S,
                 timeout_s: float = 30.0) -> None:
        self._driver = driver
        self._timeout_s = timeout_s
        self._journal = Journal(spool_dir)
        self._appender = ChainAppender(driver, database)
        self._shipper = Shipper(self._appender, self._journal, ship_s)
        self._writer = SpoolWriter(self._journal, self._shipper.add)
        # Counters for benchmarks and tests (see ChainAppender.stats).
        self.stats = self._appender.stats

    @property
    def head(self) -> Head | None:
        """The chain head this process last wrote."""
        return self._appender.head

    def start(self) -> None:
        """Start shipping: first the journals of dead processes, then this one's (also on first append)."""
        self._shipper.start()

    def append(self, record: AuditRecord) -> None:
        self._shipper.start()
        pending = Pending(record.as_row())
        self._writer.submit(pending)
        if not pending.done.wait(self._timeout_s):
            raise AuditWriteFailed("the audit spool did not confirm the record in time")
        if pending.error is not None:
            raise AuditWriteFailed(f"the audit record was not written: {pending.error}") from pending.error

    async def append_async(self, record: AuditRecord) -> None:
        """`append` for the event loop: waits for the spool without holding a threadpool thread."""
        self._shipper.start()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._writer.submit(Pending(record.as_row(), future=future))
        try:
            # A timeout cancels the future; the writer's late answer then finds it done and is dropped.
            await asyncio.wait_for(future, self._timeout_s)
        except TimeoutError as exc:
            raise AuditWriteFailed("the audit spool did not confirm the record in time") from exc
        except Exception as exc:
            raise AuditWriteFailed(f"the audit record was not written: {exc}") from exc

    def flush(self) -> None:
        """Ship every record this process has spooled so far into Neo4j, and wait for it."""
        if not self._shipper.flush(self._timeout_s):
            raise DatabaseUnavailable("the audit records of this process could not be shipped to Neo4j in time")

    def close(self) -> None:
        """Stop taking records, ship what is spooled and let the journal go (kept when not shipped)."""
        self._writer.close(self._timeout_s)
        all_shipped = self._shipper.close(self._timeout_s)
        self._journal.close(all_shipped=all_shipped)


def query(driver: Driver, database: str, *, agency: str | None = None, user: str | None = None,
          action: str | None = None, since: str | None = None, until: str | None = None, after: int = 0,
          limit: int = 1000) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("audit_query"), agency=agency, user=user, action=action,
                                         since=since, until=until, after=after, limit=limit,
                                         database_=database, routing_=RoutingControl.READ)
    return [_decoded(r["event"]) for r in records]


def _decoded(event: dict[str, Any]) -> dict[str, Any]:
    return {**event, "params": json.loads(event["params"]) if event.get("params") else {}}


def iter_all(driver: Driver, database: str, filters: dict[str, Any] | None = None,
             page: int = 5000) -> Iterator[dict[str, Any]]:
    """Every event in sequence order (as stored: `params` is JSON text, so hashes can be re-checked)."""
    filters = filters or {}
    after = 0
    while True:
        records, _, _ = driver.execute_query(cypher("audit_query"), agency=filters.get("agency"),
                                             user=filters.get("user"), action=filters.get("action"),
                                             since=filters.get("since"), until=filters.get("until"),
                                             after=after, limit=page, database_=database,
                                             routing_=RoutingControl.READ)
        if not records:
            return
        for r in records:
            yield dict(r["event"])
        after = records[-1]["event"]["seq"]


def verify(driver: Driver, database: str) -> list[str]:
    """Problems in the whole chain (empty when it holds)."""
    return verify_chain(iter_all(driver, database))
