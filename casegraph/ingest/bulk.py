"""`casegraph load`: the first load of an archive into an empty database, by Neo4j's own importer.

The same extraction and resolution as `ingest` (the same worker function, across cores), the same
fold of facts into one row per node and fact (`batch_rows`, as if the whole archive were one
batch), then, instead of `MERGE` statements, CSV files that Neo4j's importer turns into a new
store. What the serving store already holds (agencies, users, the audit chain) is carried into
the new one. The cross-document linker runs before the CSV, on the fold held in memory
(`MemoryGraph`, the same rules as after an ingest), so the importer writes resolved people and
organisations. The server is switched to the new store at the end (`BulkStore.switch`), the
migrations create the indexes and constraints, and the linker's pass on the graph finds nothing
left. So the result equals an `ingest` of the same files, and later ingests go on transactionally.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from casegraph.errors import ConfigError, InvalidInput
from casegraph.graph.batch_rows import batch_rows
from casegraph.graph.bulk_store import BulkStore
from casegraph.graph.connection import close_drivers, get_driver
from casegraph.graph.import_csv import CsvWriter
from casegraph.graph.linking import rejected_pairs
from casegraph.graph.local_server import LocalServer
from casegraph.graph.memory_graph import MemoryGraph
from casegraph.graph.memory_links import MemoryLinks
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.resolution.document import document_key
from casegraph.ingest.resolution.linker import LinkReport, link_pending, link_store
from casegraph.ingest.run import (
    ExtractionCounts,
    ExtractionTask,
    agency_default_sharing,
    extracted_tasks,
    get_agency,
)
from casegraph.ingest.stage_clock import StageClock, StageCpu
from casegraph.settings import Settings


@dataclass
class LoadReport(ExtractionCounts):
    files: int = 0
    loaded: int = 0
    duplicates: int = 0
    mentions: int = 0
    nodes: int = 0
    relationships: int = 0
    linked: LinkReport = field(default_factory=LinkReport)  # in memory, before the import
    relinked: LinkReport = field(default_factory=LinkReport)  # on the new store, after the switch
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall time
    cpu: dict[str, StageCpu] = field(default_factory=dict)  # stage -> CPU seconds (this process, children, server)
    switch_parts: dict[str, float] = field(default_factory=dict)  # the switch's parts -> wall time
    importer_work: float | None = None  # of the import stage, what the importer says its work took (no JVM start)


def _carry(driver: Driver, database: str, csv: CsvWriter) -> dict[str, tuple[str, dict[str, Any]]]:
    """Copy the serving store's nodes and relationships into the CSV; Agency id -> (import id, properties)."""
    agencies: dict[str, tuple[str, dict[str, Any]]] = {}
    records, _, _ = driver.execute_query(cypher("bulk_carry_nodes"), database_=database)
    for r in records:
        ident = f"carried:{r['id']}"
        csv.node(ident, r["labels"], dict(r["props"]))
        if "Agency" in r["labels"]:
            agencies[r["props"]["id"]] = (ident, dict(r["props"]))
    records, _, _ = driver.execute_query(cypher("bulk_carry_rels"), database_=database)
    for r in records:
        csv.rel(f"carried:{r['start']}", f"carried:{r['end']}", r["type"], dict(r["props"]))
    return agencies


def graph_to_csv(graph: MemoryGraph, transfers: list[dict[str, Any]], agencies: dict[str, str],
                  csv: CsvWriter) -> None:
    """The resolved graph's nodes and facts, and the ledgers' transfers between accounts present.
    A node's import id is `label|key` (an agency's, the carried node's); built inline, once per row."""
    for (label, key), props in graph.nodes.items():
        csv.node(agencies[key] if label == "Agency" else label + "|" + key, [label], props)
    for key, props in graph.key_aliases.items():
        csv.node("KeyAlias|" + key, ["KeyAlias"], props)
    for (rel_type, (start_label, start), (end_label, end), _), props in graph.rels.items():
        csv.rel(agencies[start] if start_label == "Agency" else start_label + "|" + start,
                agencies[end] if end_label == "Agency" else end_label + "|" + end, rel_type, props)
    nodes = graph.nodes
    for t in transfers:
        if ("Account", t["f"]) in nodes and ("Account", t["t"]) in nodes:
            csv.rel("Account|" + t["f"], "Account|" + t["t"], "TRANSFERRED", {
                "fid": t["fid"], "tx_id": t["tx_id"], "amount": t["amount"], "at": t["at"], "sources": t["sources"],
                "debit_seen": t.get("debit"), "credit_seen": t.get("credit")})


def bulk_load(settings: Settings, paths: Iterable[Path], agency_id: str | None, home: Path,
              sharing: str | None = None, shared_with: list[str] | None = None, workers: int = 1,
              on_file: Callable[[Path], None] | None = None) -> LoadReport:
    """Load `paths` as `agency_id`'s files; with no agency, each path is a folder named by its agency's id
    (a generated corpus's layout), loaded in the order given, as one `ingest` per folder would be."""
    if not settings.uses_local_server:
        raise ConfigError("`casegraph load` writes the local server's store with Neo4j's importer; against "
                          f"{settings.neo4j_uri} use `casegraph ingest`")
    if sharing not in (None, "shared", "restricted", "sealed"):
        raise InvalidInput(f"unknown sharing level {sharing!r} (shared, restricted or sealed)")
    database = settings.neo4j_database
    store = BulkStore(LocalServer(settings), database)
    store.recover()
    store.server.start()
    report = LoadReport()
    clock = StageClock(store.server._pid, report.seconds, report.cpu)
    with clock.stage("extract"):
        driver = get_driver(settings)
        migrate(driver, database)
        paths = list(paths)
        parts = [(paths, agency_id)] if agency_id is not None else [([path], path.name) for path in paths]
        agencies = {name: get_agency(driver, database, name) for _, name in parts}  # all registered, before any work
        records, _, _ = driver.execute_query(cypher("bulk_documents_present"), database_=database)
        if records and records[0]["present"]:
            raise InvalidInput("the database already holds case documents: `casegraph load` makes the first load "
                               "only; add files with `casegraph ingest`")
        seen: set[str] = set()
        tasks: list[ExtractionTask] = []
        for part_paths, name in parts:
            files = [path.resolve() for path in iter_case_files(part_paths)]
            report.files += len(files)
            level = sharing or agency_default_sharing(driver, database, name)
            for path in files:
                key = document_key(hashlib.sha256(path.read_bytes()).hexdigest())
                if key in seen:  # the same bytes twice count once, as in `ingest`
                    report.duplicates += 1
                    continue
                seen.add(key)
                tasks.append(ExtractionTask(path, agencies[name], level, shared_with or []))
        # One pool for every folder: the workers load the pipeline once per load, not once per agency.
        facts = list(extracted_tasks(tasks, workers, home, report, on_file, largest_first=True))
        report.loaded = len(facts)

    with clock.stage("fold"):
        csv = CsvWriter(store.work / "csv")
        carried = _carry(driver, database, csv)
        rows = batch_rows(facts, fresh_documents={f.key for f in facts})
        report.mentions = rows.mentions
        graph = MemoryGraph.from_rows([f.document for f in facts], rows, {k: p for k, (_, p) in carried.items()})
        del facts

    with clock.stage("resolve"):
        report.linked = link_store(MemoryLinks(graph, rejected_pairs(driver, database)))

    with clock.stage("csv"):
        graph_to_csv(graph, rows.transfers, {k: ident for k, (ident, _) in carried.items()}, csv)
        del graph, rows
        report.nodes, report.relationships = csv.node_count, csv.rel_count
        args = csv.write()

    with clock.stage("import"):
        report.importer_work = store.import_csv(args, multiline=csv.multiline)
        shutil.rmtree(csv.folder)

    with clock.stage("switch"):
        close_drivers(settings)  # the server goes away: no pooled connection may outlive it
        store.switch(report.switch_parts)
        driver = get_driver(settings)
        part = time.perf_counter()
        migrate(driver, database)
        report.switch_parts["migrate"] = time.perf_counter() - part
        part = time.perf_counter()
        if csv.empty_node_lists:
            driver.execute_query(cypher("bulk_empty_lists"), database_=database)
        if csv.empty_rel_lists:
            driver.execute_query(cypher("bulk_empty_rel_lists"), database_=database)
        report.switch_parts["empty lists"] = time.perf_counter() - part

    with clock.stage("link"):
        # Resolved before the import: nothing is pending unless the store held something the memory did not.
        report.relinked = link_pending(driver, database)
    return report
