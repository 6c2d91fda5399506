"""The ingest run: files → extraction (parallel, across cores) → resolution → one writer → the
cross-document linker, with a report at the end.

A file whose bytes are already in the graph is skipped (re-ingest is a no-op); a new version of a
file (same agency and path, other bytes) replaces the old one's facts; a file that cannot be read
is quarantined with its reason, and the rest goes on. Every batch of documents is one
transaction, so a run killed at any point leaves whole documents only, and a re-run picks up
where it stopped: the result equals an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from neo4j import Driver

from casegraph.errors import InvalidInput, NotFound, UnreadableFile
from casegraph.graph.facts import AgencyRef, DocumentFacts
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.graph.retraction import retract_retired
from casegraph.graph.writer import (
    WriteStats,
    existing_documents,
    previous_versions,
    write_documents,
)
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.document_text import document_text_props
from casegraph.ingest.extract import extract_file
from casegraph.ingest.ledger_ingest import ingest_ledger
from casegraph.ingest.readers.base import file_sha256
from casegraph.ingest.readers.ledger_stream import LEDGER_SUFFIXES
from casegraph.ingest.resolution.document import document_key, resolve_document
from casegraph.ingest.resolution.linker import LinkReport, link_pending
from casegraph.ingest.text_ingest import STREAM_BYTES, ingest_text, streamed

BATCH_DOCUMENTS = 200
# A batch closes early once it holds this many mentions or ledger rows. Per mention the server spends
# ~20% less CPU at 20,000 per transaction than at 5,000 (docs/benchmarks-history.md, issue 5); a batch is still
# a few tens of MB of transaction state, and a crash re-does at most one batch.
BATCH_MENTIONS = 20_000


@dataclass
class Quarantined:
    path: str
    reason: str


@dataclass
class ExtractionCounts:
    """What extraction found, shared by the reports of `ingest` and `load`."""

    entities: int = 0
    relations: int = 0
    transactions: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)


@dataclass
class IngestReport(ExtractionCounts):
    files: int = 0
    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    written: WriteStats = field(default_factory=WriteStats)
    linked: LinkReport = field(default_factory=LinkReport)


def get_agency(driver: Driver, database: str, agency_id: str) -> AgencyRef:
    records, _, _ = driver.execute_query(cypher("agency_get"), id=agency_id, database_=database)
    if not records:
        raise NotFound(f"agency {agency_id!r} is not registered; add it with `casegraph agency add`")
    agency = records[0]["agency"]
    return AgencyRef(agency["id"], agency["region"], agency.get("kind") or "")


def agency_default_sharing(driver: Driver, database: str, agency_id: str) -> str:
    """The sharing level an agency's documents get when the ingest names none."""
    records, _, _ = driver.execute_query(cypher("agency_get"), id=agency_id, database_=database)
    return str(records[0]["agency"].get("default_sharing") or "shared") if records else "shared"


def quarantine_file(home: Path, path: Path, reason: str) -> None:
    folder = home / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    if path.exists():
        shutil.copyfile(path, folder / f"{digest}-{path.name}")
    with (folder / "quarantine.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"path": str(path), "reason": reason, "copy": f"{digest}-{path.name}",
                              "at": datetime.now(UTC).isoformat(timespec="seconds")}, ensure_ascii=False) + "\n")


@dataclass
class _Extracted:
    path: Path
    facts: DocumentFacts | None
    entities: int = 0
    relations: int = 0
    transactions: int = 0
    error: str | None = None


def _extract_and_resolve(path: Path, agency: AgencyRef, sharing: str, shared_with: list[str]) -> _Extracted:
    """Runs in a worker process: extraction is CPU-bound, so each core takes whole files."""
    try:
        doc = extract_file(path)
    except UnreadableFile as exc:
        return _Extracted(path, None, error=exc.reason)
    facts = resolve_document(doc, agency, sharing, shared_with)
    facts.document.update(document_text_props(doc))  # quoted by case-assist bundles
    return _Extracted(path, facts, len(doc.entities), len(doc.relations), len(doc.transactions))


@dataclass(frozen=True)
class ExtractionTask:
    """One file and what its facts are filed under (the agency and its sharing)."""

    path: Path
    agency: AgencyRef
    sharing: str
    shared_with: list[str]


def extraction_results(tasks: list[ExtractionTask], workers: int, largest_first: bool = False) -> Iterator[_Extracted]:
    """Each task's result, in order. One pool for all the tasks: each worker loads the pipeline once,
    however many agencies' folders the tasks span. `largest_first` suits a caller that waits for all of
    them (`casegraph load`); `ingest` writes each result as it comes, so it takes them in order."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield _extract_and_resolve(task.path, task.agency, task.sharing, task.shared_with)
        return
    # The largest files first: a big ledger submitted last would leave the other workers idle at the
    # end. The results still come back in the tasks' order, which the fold's unions follow.
    order = sorted(range(len(tasks)), key=lambda i: -_size(tasks[i].path)) if largest_first else range(len(tasks))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(_extract_and_resolve, tasks[i].path, tasks[i].agency, tasks[i].sharing,
                                  tasks[i].shared_with) for i in order}
        try:
            for i in range(len(tasks)):
                yield futures[i].result()
        finally:
            for future in futures.values():
                future.cancel()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: its worker reports it
        return 0


def extracted_tasks(tasks: list[ExtractionTask], workers: int, home: Path, counts: ExtractionCounts,
                    on_file: Callable[[Path], None] | None = None, largest_first: bool = False
                    ) -> Iterator[DocumentFacts]:
    """Each readable file's facts, in order; an unreadable one is quarantined and counted instead."""
    for result in extraction_results(tasks, workers, largest_first):
        if on_file is not None:
            on_file(result.path)
        if result.facts is None:
            reason = result.error or "unreadable"
            counts.quarantined.append(Quarantined(str(result.path), reason))
            quarantine_file(home, result.path, reason)
            continue
        counts.entities += result.entities
        counts.relations += result.relations
        counts.transactions += result.transactions
        yield result.facts


def extracted_documents(todo: list[Path], agency: AgencyRef, sharing: str, shared_with: list[str], workers: int,
                        home: Path, counts: ExtractionCounts,
                        on_file: Callable[[Path], None] | None = None) -> Iterator[DocumentFacts]:
    """`extracted_tasks` of files that are all one agency's."""
    tasks = [ExtractionTask(path, agency, sharing, shared_with) for path in todo]
    return extracted_tasks(tasks, workers, home, counts, on_file)


def default_workers() -> int:
    """One extraction process per core this process may run on. The writer and Neo4j mostly wait on
    each other while extraction runs, so leaving them a core of their own left one idle on 2 cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _stream(driver: Driver, database: str, path: Path, agency: AgencyRef, sharing: str,
            shared_with: list[str], replaces: list[str], home: Path, report: IngestReport) -> None:
    """A ledger or a long text written into the graph as it is read, from this process (its rows or
    pieces never travel between processes)."""
    try:
        if path.suffix.lower() in LEDGER_SUFFIXES:
            written, transactions = ingest_ledger(driver, database, path, agency, sharing, shared_with, replaces)
            report.transactions += transactions
            report.entities += written.mentions
        else:
            written, parts = ingest_text(driver, database, path, agency, sharing, shared_with, replaces)
            report.entities += parts.entities
            report.relations += parts.relations
    except UnreadableFile as exc:
        report.quarantined.append(Quarantined(str(path), exc.reason))
        quarantine_file(home, path, exc.reason)
        return
    report.written.add(written)


def ingest(driver: Driver, database: str, paths: Iterable[Path], agency_id: str, home: Path,
           sharing: str | None = None, shared_with: list[str] | None = None, batch_size: int = BATCH_DOCUMENTS,
           on_file: Callable[[Path], None] | None = None, workers: int = 1, link: bool = True,
           stream_bytes: int = STREAM_BYTES) -> IngestReport:
    """Ingest `paths` for `agency_id` (see the module's docstring); texts over `stream_bytes` are
    written piece by piece (ingest.text_ingest)."""
    # Without its key constraints every MERGE would be a label scan and races could duplicate
    # nodes, so ingest brings the schema up to date first (a single read when it already is).
    migrate(driver, database)
    # Retractions a crash or a stop left half-way are finished before anything new is written.
    retract_retired(driver, database)
    agency = get_agency(driver, database, agency_id)
    if sharing is None:
        sharing = agency_default_sharing(driver, database, agency_id)
    if sharing not in ("shared", "restricted", "sealed"):
        raise InvalidInput(f"unknown sharing level {sharing!r} (shared, restricted or sealed)")
    report = IngestReport()
    files = [path.resolve() for path in iter_case_files(paths)]
    report.files = len(files)
    digests = {path: file_sha256(path) for path in files}
    present = existing_documents(driver, database, [document_key(d) for d in digests.values()])
    todo: list[Path] = []
    seen: set[str] = set()
    for path in files:
        key = document_key(digests[path])
        if key in present or key in seen:  # the same bytes twice in one run count once
            report.unchanged += 1
            if on_file is not None:
                on_file(path)
            continue
        seen.add(key)
        todo.append(path)
    previous = previous_versions(driver, database, [{"key": document_key(digests[p]), "agency": agency.id,
                                                     "path": str(p)} for p in todo])
    batch: list[DocumentFacts] = []
    load = 0

    def flush() -> None:
        nonlocal batch, load
        report.written.add(write_documents(driver, database, batch))
        batch, load = [], 0

    # Ledgers and long texts stream into the graph from this process; the other files are extracted
    # by the workers.
    streams = [path for path in todo if path.suffix.lower() in LEDGER_SUFFIXES or streamed(path, stream_bytes)]
    streaming = set(streams)
    texts = [path for path in todo if path not in streaming]
    for path in streams:
        _stream(driver, database, path, agency, sharing, shared_with or [],
                previous.get(document_key(digests[path]), []), home, report)
        if on_file is not None:
            on_file(path)
    for facts in extracted_documents(texts, agency, sharing, shared_with or [], workers, home, report, on_file):
        facts.replaces = previous.get(facts.key, [])
        batch.append(facts)
        load += facts.mention_count + len(facts.transfers)
        if len(batch) >= batch_size or load >= BATCH_MENTIONS:
            flush()
    if batch:
        flush()
    report.ingested = report.written.documents
    report.replaced = report.written.replaced
    if link:
        report.linked = link_pending(driver, database)
    return report
