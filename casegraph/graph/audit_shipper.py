"""Moving spooled audit records into Neo4j's hash chain, in large batches.

The records are already durable in the spool (`audit_spool`) when their calls are answered, so the
shipper may wait: it ships when MAX_BATCH records are waiting or the oldest has waited `ship_s`,
or at once when asked (`flush`: GET /v1/audit, shutdown). A write commit costs Neo4j ~2-3 ms of CPU
whatever its size, so a batch of tens of records costs a few tenths of a millisecond per record;
the batch is no longer bounded by the calls in flight.

The chain is unchanged: seq and hash are assigned under the head's lock (`ChainAppender`), so
GET /v1/audit's `after=seq` cursor and `audit verify` work as before. The appender remembers the
head it last wrote; while no other process appends, a batch goes out as one auto-commit statement
that appends only if the head is still that one; when another process moved it, the statement
writes nothing and the appender reads the head and tries again, locking the head only when that
keeps failing (or for its first batch).

Idempotent: every record has a unique `id` (a constraint since migration 0010). After a failed
commit (was it written?) and when shipping a dead process's journal (did it crash between commit
and delete?), the ids already in Neo4j are skipped. Neo4j down: the records stay spooled and the
shipper retries with backoff, logging each failure.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import neo4j
from neo4j import Driver, ManagedTransaction, Session
from neo4j.exceptions import ConstraintError

from casegraph.access.audit_chain import GENESIS, chain
from casegraph.graph.audit_spool import Journal, Row, orphans
from casegraph.graph.queries import cypher

logger = logging.getLogger(__name__)

MAX_BATCH = 500
# Tries of the one-statement append, each after the head the previous one found, before the
# appender locks the head in a transaction of its own (two processes taking turns rarely need two).
OPTIMISTIC_TRIES = 3
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)

Head = tuple[int, str]  # (seq, hash) of the chain's last record


def append_locked(tx: ManagedTransaction, rows: list[Row]) -> Head:
    """Lock the head, read it, append after it; the new head."""
    head = tx.run(cypher("audit_head_lock"), genesis=GENESIS).single(strict=True)
    linked = chain(rows, head["hash"], head["seq"] + 1)
    tx.run(cypher("audit_append"), events=linked, seq=linked[-1]["seq"], hash=linked[-1]["hash"]).consume()
    return linked[-1]["seq"], linked[-1]["hash"]


def _append_if_head(session: Session, rows: list[Row], head: Head) -> tuple[bool, Head]:
    """Append after `head` in one auto-commit statement: (written, the head now).

    When `head` is stale nothing is written and the head now is read without its lock (the next
    try compares it again). Auto-commit: the server commits before it reports the statement done.
    """
    linked = chain(rows, head[1], head[0] + 1)
    try:
        record = session.run(cypher("audit_append_if_head"), prev_seq=head[0], prev_hash=head[1], events=linked,
                             seq=linked[-1]["seq"], hash=linked[-1]["hash"]).single()
    except ConstraintError:  # another process wrote these sequence numbers first
        record = None
    if record is not None:
        return True, (linked[-1]["seq"], linked[-1]["hash"])
    # A statement of its own rather than the append returning the head: that cost Neo4j ~0.25 ms
    # more on every append (benchmarks/api_cpu.py), and only a stale head needs this read.
    now = session.run(cypher("audit_head_read")).single()
    return False, ((now["seq"], now["hash"]) if now is not None else head)


class ChainAppender:
    """Appends batches to the chain from one thread, over one long-lived session."""

    def __init__(self, driver: Driver, database: str) -> None:
        self._driver = driver
        self._database = database
        self._session: Session | None = None
        self.head: Head | None = None  # the head this appender last wrote
        # For benchmarks and tests: commits, records, commits whose head had moved, commits that
        # locked and read the head (the first, or after failed tries), records found already there.
        self.stats = {"batches": 0, "records": 0, "stale": 0, "locked": 0, "skipped": 0}

    def _open(self) -> Session:
        if self._session is None:
            # The driver's bookmark manager lets a read on a cluster see what was just written.
            self._session = self._driver.session(database=self._database, default_access_mode=neo4j.WRITE_ACCESS,
                                                 bookmark_manager=self._driver.execute_query_bookmark_manager)
        return self._session

    def missing(self, rows: list[Row]) -> list[Row]:
        """The rows whose id is not in Neo4j yet, each id once (the first: a record handed in twice is
        one record)."""
        seen = {r["id"] for r in self._open().run(cypher("audit_ids_present"), ids=[r["id"] for r in rows])}
        kept = []
        for r in rows:
            if r["id"] not in seen:
                seen.add(r["id"])
                kept.append(r)
        self.stats["skipped"] += len(rows) - len(kept)
        return kept

    def append(self, rows: list[Row]) -> None:
        if not rows:
            return
        session = self._open()
        try:
            head, written = self.head, False
            if head is not None:
                for attempt in range(OPTIMISTIC_TRIES):
                    written, head = _append_if_head(session, rows, head)
                    if written:
                        break
                    self.stats["stale"] += attempt == 0
            if not written:
                self.stats["locked"] += 1
                head = session.execute_write(append_locked, rows)
        except BaseException:
            self.head = None  # unknown whether it was written: read the head again next time
            self.close()
            raise
        self.head = head
        self.stats["batches"] += 1
        self.stats["records"] += len(rows)

    def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            try:
                session.close()
            except Exception:  # a broken connection: nothing left to release
                logger.debug("audit session close failed", exc_info=True)


def ship_orphans(appender: ChainAppender, directory: Path, skip: str | None = None) -> int:
    """Ship the journals of dead processes, each in journal order, skipping records already in Neo4j
    (a crash between commit and delete); their files go once shipped. The records written."""
    written = 0
    for orphan in orphans(directory, skip):
        for start in range(0, len(orphan.rows), MAX_BATCH):
            rows = appender.missing(orphan.rows[start:start + MAX_BATCH])
            appender.append(rows)
            written += len(rows)
        orphan.discard()
        logger.info("audit spool: shipped %d records of the journal %s left by a dead process",
                    len(orphan.rows), orphan.stream)
    return written


class Shipper:
    """The shipper thread of one process's journal (and, once at its start, of dead processes')."""

    def __init__(self, appender: ChainAppender, journal: Journal, ship_s: float) -> None:
        self._appender = appender
        self._journal = journal
        self._ship_s = ship_s
        self._cond = threading.Condition()
        self._waiting: deque[tuple[int, Row]] = deque()  # (segment, row), journal order
        self._oldest = 0.0  # monotonic time the oldest waiting record arrived
        self._received = 0
        self._shipped = 0
        self._flush_to = 0  # ship at once up to this many received records
        self._orphans_left = True  # the start's pass over dead processes' journals is still to do
        self._stopping = False
        self._give_up_at = float("inf")  # when stopping: the end of the last tries while Neo4j fails
        self._failures = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-shipper", daemon=True)
                self._thread.start()

    def add(self, segment: int, rows: list[Row]) -> None:
        """Records now durable in the journal (from the spool writer, before their callers hear)."""
        with self._cond:
            first = not self._waiting
            if first:
                self._oldest = time.monotonic()
            self._waiting.extend((segment, r) for r in rows)
            self._received += len(rows)
            if first or len(self._waiting) >= MAX_BATCH:  # the shipper sets its timer, or ships now
                self._cond.notify_all()

    def flush(self, timeout_s: float) -> bool:
        """Ship every record received so far (and, first, the journals of dead processes found at the
        start); False when that did not happen within the timeout."""
        self.start()
        deadline = time.monotonic() + timeout_s
        with self._cond:
            target = self._received
            self._flush_to = max(self._flush_to, target)
            self._cond.notify_all()
            while self._shipped < target or self._orphans_left:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._thread is None:
                    return False
                self._cond.wait(remaining)
            return True

    def close(self, timeout_s: float) -> bool:
        """Ship what is left (trying until the timeout), stop; True when nothing is left unshipped."""
        with self._cond:
            thread = self._thread
            self._stopping = True
            self._give_up_at = time.monotonic() + timeout_s
            self._cond.notify_all()
        if thread is not None:
            thread.join(timeout_s + 1.0)
        with self._cond:
            self._thread = None
            return not self._waiting

    def _due(self) -> bool:
        return (len(self._waiting) >= MAX_BATCH or self._stopping or self._shipped < self._flush_to
                or time.monotonic() - self._oldest >= self._ship_s)

    def _next_batch(self, give_up_s: float | None) -> list[tuple[int, Row]] | None:
        """The next batch once one is due; [] after `give_up_s` without one; None when stopped."""
        give_up_at = None if give_up_s is None else time.monotonic() + give_up_s
        with self._cond:
            while True:
                if self._waiting and self._due():
                    return [self._waiting[i] for i in range(min(MAX_BATCH, len(self._waiting)))]
                if self._stopping and not self._waiting:
                    return None
                now = time.monotonic()
                timeouts = [self._oldest + self._ship_s - now] if self._waiting else []
                if give_up_at is not None:
                    if give_up_at <= now:
                        return []
                    timeouts.append(give_up_at - now)
                self._cond.wait(min(timeouts) if timeouts else None)

    def _run(self) -> None:
        try:
            while True:
                if self._orphans_left and not self._stopping:  # at the start, again while Neo4j refuses
                    shipped = self._try(self._ship_orphans)
                    with self._cond:
                        self._orphans_left = not shipped
                        self._cond.notify_all()
                batch = self._next_batch(BACKOFF_S[-1] if self._orphans_left else None)
                if batch is None:
                    return
                if batch and not self._try(functools.partial(self._ship, batch)) and self._stopping \
                        and time.monotonic() >= self._give_up_at:
                    logger.error("audit spool: Neo4j unavailable at shutdown; %d records stay spooled for "
                                 "the next start", len(self._waiting))
                    return
        finally:
            self._appender.close()

    def _ship_orphans(self) -> None:
        ship_orphans(self._appender, self._journal.directory, skip=self._journal.stream)

    def _ship(self, batch: list[tuple[int, Row]]) -> None:
        rows = [r for _, r in batch]
        if self._failures:  # the last commit failed: it may have been written all the same
            rows = self._appender.missing(rows)
        self._appender.append(rows)
        counts: dict[int, int] = {}
        for segment, _ in batch:
            counts[segment] = counts.get(segment, 0) + 1
        with self._cond:
            for _ in batch:
                self._waiting.popleft()
            self._shipped += len(batch)
            self._oldest = time.monotonic()
            self._cond.notify_all()
        self._journal.shipped(counts)

    def _try(self, step: Callable[[], object]) -> bool:
        """Run a shipping step; on failure log, back off and report False."""
        try:
            step()
        except Exception as exc:
            pause = BACKOFF_S[min(self._failures, len(BACKOFF_S) - 1)]
            self._failures += 1
            logger.warning("audit spool: shipping to Neo4j failed (%s); %d records wait, retry in %.1f s",
                           exc, len(self._waiting), pause)
            time.sleep(max(0.0, min(pause, self._give_up_at - time.monotonic())))
            return False
        self._failures = 0
        return True
