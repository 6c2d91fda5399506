"""The ingest run: files → extraction → resolution → one writer, with a report at the end.

A file whose bytes are already in the graph is skipped (re-ingest is a no-op); a file that cannot
be read is quarantined with its reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from neo4j import Driver

from casegraph.errors import NotFound, UnreadableFile
from casegraph.graph.queries import cypher
from casegraph.graph.writer import WriteStats, existing_documents, write_documents
from casegraph.ingest.document_text import document_text_props
from casegraph.ingest.extract import extract_file
from casegraph.ingest.resolve import AgencyRef, DocumentFacts, document_key, resolve_document

SUPPORTED_SUFFIXES = frozenset({".txt", ".json", ".docx", ".pdf", ".csv", ".xlsx"})
# The generator's ground truth sits beside its documents; it is not a case file.
_NOT_CASE_FILES = frozenset({"truth.json"})


@dataclass
class Quarantined:
    path: str
    reason: str


@dataclass
class IngestReport:
    files: int = 0
    ingested: int = 0
    unchanged: int = 0
    entities: int = 0
    relations: int = 0
    written: WriteStats = field(default_factory=WriteStats)
    quarantined: list[Quarantined] = field(default_factory=list)


def iter_case_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and child.name not in _NOT_CASE_FILES:
                    yield child
        elif path.is_file():
            yield path
        else:
            raise NotFound(f"{path}: no such file or folder")


def get_agency(driver: Driver, database: str, agency_id: str) -> AgencyRef:
    records, _, _ = driver.execute_query(cypher("agency_get"), id=agency_id, database_=database)
    if not records:
        raise NotFound(f"agency {agency_id!r} is not registered; add it with `casegraph agency add`")
    agency = records[0]["agency"]
    return AgencyRef(agency["id"], agency["region"])


def _quarantine(home: Path, path: Path, reason: str) -> None:
    folder = home / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    if path.exists():
        shutil.copyfile(path, folder / f"{digest}-{path.name}")
    with (folder / "quarantine.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"path": str(path), "reason": reason, "copy": f"{digest}-{path.name}",
                              "at": datetime.now(UTC).isoformat(timespec="seconds")}, ensure_ascii=False) + "\n")


def ingest(driver: Driver, database: str, paths: Iterable[Path], agency_id: str, home: Path,
           sharing: str = "shared", shared_with: list[str] | None = None, batch_size: int = 50,
           on_file: Callable[[Path], None] | None = None) -> IngestReport:
    agency = get_agency(driver, database, agency_id)
    report = IngestReport()
    files = list(iter_case_files(paths))
    report.files = len(files)
    digests = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    present = existing_documents(driver, database, [document_key(d) for d in digests.values()])
    batch: list[DocumentFacts] = []
    for path in files:
        if on_file is not None:
            on_file(path)
        if document_key(digests[path]) in present:
            report.unchanged += 1
            continue
        try:
            doc = extract_file(path)
        except UnreadableFile as exc:
            report.quarantined.append(Quarantined(str(path), exc.reason))
            _quarantine(home, path, exc.reason)
            continue
        report.entities += len(doc.entities)
        report.relations += len(doc.relations)
        facts = resolve_document(doc, agency, sharing, shared_with)
        facts.document.update(document_text_props(doc))  # quoted by case-assist bundles
        batch.append(facts)
        present.add(document_key(doc.sha256))  # the same bytes twice in one run count once
        if len(batch) >= batch_size:
            report.written.add(write_documents(driver, database, batch))
            batch = []
    report.written.add(write_documents(driver, database, batch))
    report.ingested = report.written.documents
    return report
