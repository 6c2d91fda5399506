"""The append-only audit log: (:AuditEvent) nodes in a hash chain, written by group commit.

Append-only, in three ways: the only statement that writes an event is a CREATE
(cypher/queries/audit_append.cypher, checked by a test), the API has no route that edits or deletes
one, and each event's `hash` covers its fields and the previous event's hash, so an edit, a
deletion or a reordering made directly in the database shows in `verify` (and in
`casegraph audit verify`).

Throughput: callers hand their record to one writer thread and wait until it is committed, so
a record is durable before the response leaves; the writer commits whatever has queued up in one
transaction, so under load many records share one commit. The head node's write lock keeps the
chain linear when several API processes append at once.

The writer remembers the head it last wrote. While no other process appends, the next batch goes
out as one auto-commit statement that appends only if the head is still that one (one round trip
instead of three: BEGIN+lock-and-read, append, COMMIT); when another process moved the head, the
statement writes nothing and the writer falls back to locking and reading the head.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import neo4j
from neo4j import Driver, ManagedTransaction, RoutingControl, Session
from neo4j.exceptions import ConstraintError

from casegraph.access.audit_chain import GENESIS, chain, verify_chain
from casegraph.errors import CasegraphError
from casegraph.graph.queries import cypher

MAX_BATCH = 500
# How long the writer may hold a batch open for records of calls still under way (group commit;
# the API takes it from CASEGRAPH_AUDIT_WINDOW_MS). A commit costs Neo4j ~1.5-2.5 ms of CPU whatever
# its size plus ~0.5 ms per record (BENCHMARKS.md, issue 6), so a commit shared by the calls in
# flight saves CPU that the lookups need.
WINDOW_S = 0.002
# Tries of the one-statement append, each after the head the previous one found, before the writer
# locks the head in a transaction of its own (two processes taking turns rarely need a second).
OPTIMISTIC_TRIES = 3


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

    def as_row(self) -> dict[str, Any]:
        # params are stored as JSON text: Neo4j properties cannot hold maps.
        return {"at": self.at, "user": self.user, "agency": self.agency, "role": self.role, "action": self.action,
                "method": self.method, "path": self.path,
                "params": json.dumps(self.params, sort_keys=True, ensure_ascii=False),
                "purpose": self.purpose, "returned": list(self.returned), "status": self.status}


class AuditWriteFailed(CasegraphError):
    """The audit record could not be committed; the call must not be answered as if it were."""


@dataclass
class _Pending:
    """A record waiting for its commit; the writer thread tells a thread (`done`) or an event loop (`future`)."""

    row: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    future: asyncio.Future[None] | None = None

    def settle(self) -> None:
        self.done.set()
        if self.future is not None:
            self.future.get_loop().call_soon_threadsafe(_settle_future, self.future, self.error)


def _settle_future(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the waiter gave up (timeout or cancelled)
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(AuditWriteFailed(f"the audit record was not written: {error}"))


def _append(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> tuple[int, str]:
    """Lock the head, read it, append after it; the new head (seq, hash)."""
    head = tx.run(cypher("audit_head_lock"), genesis=GENESIS).single(strict=True)
    linked = chain(rows, head["hash"], head["seq"] + 1)
    tx.run(cypher("audit_append"), events=linked, seq=linked[-1]["seq"], hash=linked[-1]["hash"]).consume()
    return linked[-1]["seq"], linked[-1]["hash"]


Head = tuple[int, str]  # (seq, hash) of the chain's last record


def _append_if_head(session: Session, rows: list[dict[str, Any]], head: Head) -> tuple[bool, Head]:
    """Append after `head` in one auto-commit statement: (written, the head now).

    When `head` is stale nothing is written and the head now is read without its lock (the next
    try compares it again). Auto-commit: the server commits before it reports the statement done,
    so once this returns the records are durable, as with a managed transaction.
    """
    linked = chain(rows, head[1], head[0] + 1)
    try:
        record = session.run(cypher("audit_append_if_head"), prev_seq=head[0], prev_hash=head[1], events=linked,
                             seq=linked[-1]["seq"], hash=linked[-1]["hash"]).single()
    except ConstraintError:  # another process wrote these sequence numbers first
        record = None
    if record is not None:
        return True, (linked[-1]["seq"], linked[-1]["hash"])
    # A statement of its own rather than the append returning the head: the conditional write
    # with an OPTIONAL CALL that could return it cost Neo4j ~0.25 ms more on every append
    # (benchmarks/api_cpu.py), and only a stale head needs this read.
    now = session.run(cypher("audit_head_read")).single()
    return False, ((now["seq"], now["hash"]) if now is not None else head)


def append_now(driver: Driver, database: str, records: list[AuditRecord]) -> None:
    """Append records in one transaction, in the calling thread (the CLI's way)."""
    if records:
        with driver.session(database=database) as session:
            session.execute_write(_append, [r.as_row() for r in records])


class AuditLog:
    """One writer thread per process; `append` returns once the record is committed."""

    def __init__(self, driver: Driver, database: str, timeout_s: float = 30.0, window_s: float = WINDOW_S) -> None:
        self._driver = driver
        self._database = database
        self._timeout_s = timeout_s
        self._window_s = window_s
        # Calls under way that will hand in a record (`expect`/`expect_no_more`, from the event loop
        # only); the writer holds a batch open while some are still to come, at most `window_s`.
        self._expected = 0
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._head: tuple[int, str] | None = None  # (seq, hash) this process last wrote; writer thread only
        # Counters for benchmarks and tests: commits, records, commits whose head had moved, and
        # commits that locked and read the head (a writer's first, or after failed tries).
        self.stats = {"batches": 0, "records": 0, "stale": 0, "locked": 0}

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
                self._thread.start()

    def expect(self) -> None:
        """A call has started that will append (or call `expect_no_more`): worth waiting for."""
        self._expected += 1

    def expect_no_more(self) -> None:
        """The call counted by `expect` has handed in its record, or will not."""
        self._expected -= 1

    def append(self, record: AuditRecord) -> None:
        self._ensure_thread()
        pending = _Pending(record.as_row())
        self._queue.put(pending)
        if not pending.done.wait(self._timeout_s):
            raise AuditWriteFailed("the audit log did not confirm the record in time")
        if pending.error is not None:
            raise AuditWriteFailed(f"the audit record was not written: {pending.error}") from pending.error

    async def append_async(self, record: AuditRecord) -> None:
        """`append` for the event loop: waits for the commit without holding a threadpool thread."""
        self._ensure_thread()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put(_Pending(record.as_row(), future=future))
        try:
            # A timeout cancels the future; the writer's late answer then finds it done and is dropped.
            await asyncio.wait_for(future, self._timeout_s)
        except TimeoutError as exc:
            raise AuditWriteFailed("the audit log did not confirm the record in time") from exc

    def close(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._queue.put(None)
                self._thread.join(timeout=self._timeout_s)
            self._thread = None

    def _take_batch(self) -> tuple[list[_Pending], bool]:
        first = self._queue.get()
        if first is None:
            return [], True
        batch, stop = [first], False
        deadline = time.monotonic() + self._window_s
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                # Calls still under way will hand in records soon: wait for them, briefly. A lone
                # call (nothing expected) commits at once; a record never waits past the window.
                remaining = deadline - time.monotonic()
                if self._expected <= 0 or remaining <= 0:
                    break
                try:
                    item = self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
            if item is None:
                stop = True
                break
            batch.append(item)
        return batch, stop

    def _commit(self, session: Session, rows: list[dict[str, Any]]) -> None:
        head, written = self._head, False
        if head is not None:
            for attempt in range(OPTIMISTIC_TRIES):
                written, head = _append_if_head(session, rows, head)
                if written:
                    break
                self.stats["stale"] += attempt == 0
        # Still stale after the tries (or the writer's first batch): lock the head and read it.
        if not written:
            self.stats["locked"] += 1
            head = session.execute_write(_append, rows)
        self._head = head
        self.stats["batches"] += 1
        self.stats["records"] += len(rows)

    def _run(self) -> None:
        stop = False
        # One session for the writer's life (a session is cheap to keep, not to make per batch);
        # the driver's bookmark manager lets GET /v1/audit on a cluster see what was just written.
        session = self._driver.session(database=self._database, default_access_mode=neo4j.WRITE_ACCESS,
                                       bookmark_manager=self._driver.execute_query_bookmark_manager)
        try:
            while not stop:
                batch, stop = self._take_batch()
                if not batch:
                    continue
                try:
                    self._commit(session, [p.row for p in batch])
                except BaseException as exc:  # every waiting caller must learn of it, whatever it was
                    self._head = None  # unknown whether it was written: read the head again next time
                    for p in batch:
                        p.error = exc
                for p in batch:
                    p.settle()
        finally:
            session.close()


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
