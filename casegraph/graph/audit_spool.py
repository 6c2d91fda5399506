"""The audit spool: each API process's write-ahead journal of audit records, on local disk.

Why a spool: a call's record must be durable before the call is answered. Committing it to Neo4j
per call costs the server ~2-3 ms of CPU per write commit whatever its size, and such a commit can
only group the calls in flight at that moment (2-4 per worker), so the audit commit was the largest
part of a lookup's cost (docs/benchmarks-history.md, issue 6). An fsync of a local file costs little CPU, so the
durability point is here: the writer thread appends whatever has queued to this process's journal
and fsyncs once per group (group commit on the file), then tells the callers. The shipper
(`audit_shipper`) moves the records into Neo4j's hash chain later, in batches as large as it likes.

Layout of the spool directory (0700; files 0600):
- `<stream>.lock`: the owner's exclusive `flock`, held while it lives. It is made under a temporary
  name and renamed into place already locked, so no one ever finds a live owner's lock free.
- `<stream>.<n>.jsonl`: the stream's segments, one record a line, opened O_APPEND, in order of `n`.
  A segment is rotated at SEGMENT_BYTES and deleted once all its records are in Neo4j.
A stream whose lock nobody holds belongs to a process that died: `orphans` gives its records, in
journal order, to whoever takes the lock; a torn last line (a crash mid-write) was never fsynced,
so never answered, and is skipped.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SEGMENT_BYTES = 4 << 20
# Records written in one go (one write, one fsync); a bound only under a burst.
MAX_GROUP = 1000
LOCK_SUFFIX = ".lock"
SEGMENT_SUFFIX = ".jsonl"

Row = dict[str, Any]


class SpoolWriteFailed(Exception):
    """The journal could not be written or synced: the records of that group are not durable."""


@dataclass
class Pending:
    """A record waiting to be on disk; the writer tells a thread (`done`) or an event loop (`future`)."""

    row: Row
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    future: asyncio.Future[None] | None = None



def settle(group: list[Pending]) -> None:
    """Tell the waiters of a group: threads at once, each event loop with one wake-up for all of its
    futures (a wake-up per record cost the loop a self-pipe read and a GIL hand-over each)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Pending]] = {}
    for p in group:
        p.done.set()
        if p.future is not None:
            by_loop.setdefault(p.future.get_loop(), []).append(p)
    for loop, waiting in by_loop.items():
        loop.call_soon_threadsafe(_settle_futures, waiting)


def _settle_futures(waiting: list[Pending]) -> None:
    for p in waiting:
        assert p.future is not None
        if p.future.done():  # the waiter gave up (timeout or cancelled)
            continue
        if p.error is None:
            p.future.set_result(None)
        else:
            p.future.set_exception(p.error)


def _make_dir(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def _sync_dir(directory: Path) -> None:
    # A new file's name is durable only once its directory is synced.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _segment_path(directory: Path, stream: str, number: int) -> Path:
    return directory / f"{stream}.{number:08d}{SEGMENT_SUFFIX}"


def _segments(directory: Path, stream: str) -> list[Path]:
    # Zero-padded numbers: name order is journal order.
    return sorted(directory.glob(f"{stream}.*{SEGMENT_SUFFIX}"))


class Journal:
    """This process's stream: its lock and its segments. `write` from one thread (the writer) only;
    `shipped` from the shipper; the segment counts are shared under a lock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.stream = uuid.uuid4().hex
        self._lock_fd: int | None = None
        self._fd: int | None = None
        self._segment = 0
        self._size = 0
        self._counts = threading.Lock()
        self._written: dict[int, int] = {}
        self._shipped: dict[int, int] = {}

    def _open_lock(self) -> None:
        _make_dir(self.directory)
        temporary = self.directory / f".{self.stream}{LOCK_SUFFIX}.new"
        fd = os.open(temporary, os.O_CREAT | os.O_RDWR | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(temporary, self.directory / f"{self.stream}{LOCK_SUFFIX}")
        self._lock_fd = fd

    def _open_segment(self) -> None:
        if self._lock_fd is None:
            self._open_lock()
        self._segment += 1
        path = _segment_path(self.directory, self.stream, self._segment)
        self._fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND | os.O_EXCL, 0o600)
        self._size = 0
        _sync_dir(self.directory)

    def write(self, rows: list[Row]) -> int:
        """Append the rows and fsync; the segment they are in. Raises SpoolWriteFailed."""
        data = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows).encode()
        try:
            if self._fd is None or self._size >= SEGMENT_BYTES:
                self._rotate()
            assert self._fd is not None
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(f"short write: {written} of {len(data)} bytes")
            os.fsync(self._fd)
        except OSError as exc:
            self._abandon_segment()
            raise SpoolWriteFailed(f"the audit spool could not be written: {exc}") from exc
        self._size += len(data)
        with self._counts:
            self._written[self._segment] = self._written.get(self._segment, 0) + len(rows)
        return self._segment

    def _rotate(self) -> None:
        finished = self._segment if self._fd is not None else None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._open_segment()
        if finished is not None:
            self._delete_if_shipped(finished)

    def _abandon_segment(self) -> None:
        # Part of the group may be on disk: cut it off so that a record whose caller was refused
        # is not shipped, and start a fresh segment for the next group.
        if self._fd is None:
            return
        with suppress(OSError):
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)
        with suppress(OSError):
            os.close(self._fd)
        self._fd = None
        self._delete_if_shipped(self._segment)

    def shipped(self, counts: dict[int, int]) -> None:
        """Records of these segments are in Neo4j; a finished segment with all of them goes."""
        for segment, n in counts.items():
            with self._counts:
                self._shipped[segment] = self._shipped.get(segment, 0) + n
            if segment != self._segment or self._fd is None:
                self._delete_if_shipped(segment)

    def _delete_if_shipped(self, segment: int) -> None:
        with self._counts:
            if self._shipped.get(segment, 0) < self._written.get(segment, 0):
                return
            self._written.pop(segment, None)
            self._shipped.pop(segment, None)
        with suppress(FileNotFoundError):
            _segment_path(self.directory, self.stream, segment).unlink()

    def close(self, *, all_shipped: bool) -> None:
        """Release the stream; its files go only when every record is in Neo4j (else a later start
        finds the lock free and ships them)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock_fd is None:
            return
        if all_shipped:
            for path in _segments(self.directory, self.stream):
                path.unlink()
            (self.directory / f"{self.stream}{LOCK_SUFFIX}").unlink()
        os.close(self._lock_fd)  # closing the descriptor releases the flock
        self._lock_fd = None


class SpoolWriter:
    """The writer thread: group commit on the journal, then `on_durable(segment, rows)`, then the
    callers are told (so the shipper holds every record that was answered)."""

    def __init__(self, journal: Journal, on_durable: Callable[[int, list[Row]], None]) -> None:
        self._journal = journal
        self._on_durable = on_durable
        self._queue: queue.Queue[Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, pending: Pending) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-spool", daemon=True)
                self._thread.start()
        self._queue.put(pending)

    def close(self, timeout_s: float) -> None:
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join(timeout=timeout_s)
            self._thread = None

    def _take_group(self) -> tuple[list[Pending], bool]:
        first = self._queue.get()
        if first is None:
            return [], True
        group = [first]
        while len(group) < MAX_GROUP:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                return group, True
            group.append(item)
        return group, False

    def _run(self) -> None:
        stop = False
        while not stop:
            group, stop = self._take_group()
            if not group:
                continue
            rows = [p.row for p in group]
            try:
                segment = self._journal.write(rows)
                self._on_durable(segment, rows)
            except BaseException as exc:  # every waiting caller must learn of it, whatever it was
                logger.error("audit spool write failed: %s", exc)
                for p in group:
                    p.error = exc
            settle(group)


@dataclass
class Orphan:
    """A dead process's stream, locked by us: its records in journal order."""

    directory: Path
    stream: str
    rows: list[Row]

    def discard(self) -> None:
        """Every record is in Neo4j: the stream's files go (the lock file last, as we hold it)."""
        for path in _segments(self.directory, self.stream):
            path.unlink()
        (self.directory / f"{self.stream}{LOCK_SUFFIX}").unlink()


def read_segment(path: Path) -> list[Row]:
    """The records of one segment; a torn last line is not a record (never synced, never answered)."""
    lines = path.read_bytes().split(b"\n")
    rows: list[Row] = []
    for n, line in enumerate(lines):
        if not line:
            continue
        try:
            rows.append(json.loads(line))
        except ValueError:
            last = n == len(lines) - 1  # no newline after it: the write was cut short
            logger.log(logging.WARNING if last else logging.ERROR,
                       "audit spool %s line %d is not a whole record (%s); skipped", path.name, n + 1,
                       "torn by a crash mid-write" if last else "damaged")
    return rows


def _streams(directory: Path) -> list[str]:
    names = {p.name.removesuffix(LOCK_SUFFIX) for p in directory.glob(f"*{LOCK_SUFFIX}")
             if not p.name.startswith(".")}
    names |= {p.name.split(".")[0] for p in directory.glob(f"*{SEGMENT_SUFFIX}")}
    return sorted(names)


@contextmanager
def _locked_if_free(directory: Path, stream: str) -> Iterator[bool]:
    path = directory / f"{stream}{LOCK_SUFFIX}"
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # Another recoverer may have finished and removed the file after we opened it.
            ours = os.fstat(fd).st_ino == os.stat(path).st_ino
        except (BlockingIOError, FileNotFoundError):
            ours = False  # its owner lives, or it is gone
        yield ours
    finally:
        os.close(fd)


def orphans(directory: Path, skip: str | None = None) -> Iterator[Orphan]:
    """Streams of dead processes, each locked while the caller handles it (`discard` when shipped)."""
    if not directory.is_dir():
        return
    for stream in _streams(directory):
        if stream == skip:
            continue
        with _locked_if_free(directory, stream) as ours:
            if not ours:
                continue
            rows = [row for path in _segments(directory, stream) for row in read_segment(path)]
            yield Orphan(directory, stream, rows)
