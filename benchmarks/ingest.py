"""Ingest throughput against the configured Neo4j (the local server by default).

Three figures, each the median of --repeat runs on an emptied graph, with the CPU seconds the
server process spent meanwhile (read from /proc/<pid>/stat, when the server is the local one or
--server-pid names it) and the load average, since on a shared machine wall time says more about
the neighbours than about the writer:
- writer alone: synthetic documents of people (with IDs), phones, accounts and addresses, written
  with `write_documents` at several mentions-per-transaction sizes (entity mentions/s);
- ledger rows: synthetic transfers among a few thousand accounts, written as ledger documents at
  several rows-per-statement sizes (rows/s);
- end to end: a generated corpus (default /tmp/corpus-medium), every agency folder ingested with
  parallel extraction and the linker (files/s, seconds). Generate it with
  `casegraph demo generate --out /tmp/corpus-medium --seed 1 --scale medium`.

The graph is emptied before each measurement: run it against a scratch database only.
Run: PYTHONPATH=. python benchmarks/ingest.py [--corpus /tmp/corpus-medium] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from neo4j import Driver

from benchmarks.proc_cpu import process_cpu
from casegraph.graph import writer
from casegraph.graph.connection import get_driver
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow, TransferRow
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.ingest.run import default_workers, ingest
from casegraph.settings import load_settings


def empty(driver: Driver, database: str) -> None:
    # In slices, relationships first: 20,000 nodes of a loaded corpus hold millions of relationships (a
    # document's mentions), more than a 1 GB heap's transaction memory (medium, 2026-12-07).
    for statement in ("MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r RETURN count(*) AS c",
                      "MATCH (n) WHERE NOT n:SchemaMigration WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS c"):
        while True:
            records, _, _ = driver.execute_query(statement, database_=database)
            if records[0]["c"] == 0:
                break


def mention_documents(n_docs: int, per_doc: int, seed: int) -> list[DocumentFacts]:
    """Documents of `per_doc` entity mentions each: person (ID key), phone, account, address in turn,
    drawn from a pool so that entities recur across documents, as in a real corpus."""
    rng = random.Random(seed)
    docs = []
    for d in range(n_docs):
        key = f"doc:bench{seed}-{d:06d}"
        facts = DocumentFacts({"key": key, "sha256": key[4:], "agency": "cq-police", "path": f"/bench/{d}.txt",
                               "kind": "judgment", "sharing": "shared"})
        for m in range(per_doc):
            i = rng.randrange(50_000)
            label, node_key = [("Person", f"ric:bench{i:012d}"), ("Phone", f"phone:1380{i:07d}"),
                               ("Account", f"acct:62220{i:014d}"), ("Address", f"addr:重庆市渝中区{i}号")][m % 4]
            facts.nodes.append(NodeRow(label, node_key, {"name": f"P{i}"} if label == "Person" else {}, ["CQ"]))
            facts.rels.append(RelRow("MENTIONED_IN", label, node_key, "Document", key, str(m * 10),
                                     {"start": m * 10, "end": m * 10 + 4, "text": "x"}))
        docs.append(facts)
    return docs


def ledger_documents(rows: int, per_doc: int, seed: int) -> list[DocumentFacts]:
    rng = random.Random(seed)
    accounts = [f"acct:6217{n:015d}" for n in range(3_000)]
    docs = []
    for d in range(0, rows, per_doc):
        key = f"doc:ledger{seed}-{d:08d}"
        facts = DocumentFacts({"key": key, "sha256": key[4:], "agency": "cq-police", "path": f"/bench/l{d}.csv",
                               "kind": "ledger", "sharing": "shared"})
        used = set()
        for r in range(min(per_doc, rows - d)):
            a, b = rng.sample(accounts, 2)
            used.update((a, b))
            facts.transfers.append(TransferRow(a, b, f"{seed}-{d + r}", round(rng.uniform(1, 50_000), 2),
                                               "2023-02-04T10:00:00", f"{seed}-{d + r}"))
        for account in sorted(used):
            facts.nodes.append(NodeRow("Account", account, {"number": account[5:]}))
            facts.rels.append(RelRow("MENTIONED_IN", "Account", account, "Document", key, "ledger"))
        docs.append(facts)
    return docs


class Measure:
    """Median wall seconds, client CPU seconds and server CPU seconds of repeated runs."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid

    def median_of(self, repeat: int, setup: Callable[[], None], run: Callable[[], None]) -> tuple[float, float, float]:
        walls, clients, servers = [], [], []
        for _ in range(repeat):
            setup()
            server, client, wall = process_cpu(self.server_pid), time.process_time(), time.perf_counter()
            run()
            walls.append(time.perf_counter() - wall)
            clients.append(time.process_time() - client)
            servers.append(process_cpu(self.server_pid) - server)
        return statistics.median(walls), statistics.median(clients), statistics.median(servers)


def line(label: str, work: int, unit: str, wall: float, client: float, server: float) -> str:
    text = f"  {label}: {wall:6.2f} s wall, {work / wall:>9,.0f} {unit}/s wall; client CPU {client:5.2f} s"
    if server > 0:
        text += f", server CPU {server:5.2f} s, {work / server:>9,.0f} {unit} per server CPU s"
    return text + f"  (load {os.getloadavg()[0]:.1f})"


def bench_writer(driver: Driver, database: str, measure: Measure, repeat: int, total: int, sizes: list[int]) -> None:
    per_doc = 40
    print(f"writer alone: {total} entity mentions in documents of {per_doc}, median of {repeat}")
    for size in sizes:
        docs_per_batch = max(1, size // per_doc)

        docs = mention_documents(total // per_doc, per_doc, seed=size)

        def run(docs: list[DocumentFacts] = docs, docs_per_batch: int = docs_per_batch) -> None:
            for i in range(0, len(docs), docs_per_batch):
                writer.write_documents(driver, database, docs[i:i + docs_per_batch])

        figures = measure.median_of(repeat, lambda: empty(driver, database), run)
        print(line(f"{size:>6} mentions/transaction", total, "mentions", *figures), flush=True)


def bench_ledger(driver: Driver, database: str, measure: Measure, repeat: int, rows: int, sizes: list[int]) -> None:
    print(f"ledger rows: {rows} transfers among 3,000 accounts, ledgers of 50,000 rows (one transaction each), "
          f"median of {repeat}")
    for size in sizes:
        docs = ledger_documents(rows, 50_000, seed=size)

        def run(docs: list[DocumentFacts] = docs, size: int = size) -> None:
            writer.TRANSFER_CHUNK = size
            for doc in docs:
                writer.write_documents(driver, database, [doc])

        figures = measure.median_of(repeat, lambda: empty(driver, database), run)
        print(line(f"{size:>6} rows/statement", rows, "rows", *figures), flush=True)


def register_corpus_agencies(driver: Driver, database: str, corpus: Path) -> list[str]:
    """The generated corpus's agencies, registered; their ids, in truth.json's order."""
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=database)
    return [agency["id"] for agency in truth["agencies"]]


def bench_corpus(driver: Driver, database: str, corpus: Path, workers: int) -> float:
    """Every agency folder ingested, as `casegraph ingest` does; the wall seconds."""
    empty(driver, database)
    agency_ids = register_corpus_agencies(driver, database, corpus)
    files = merges = rows = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as home:
        for agency_id in agency_ids:
            folder = corpus / agency_id
            if folder.is_dir():
                report = ingest(driver, database, [folder], agency_id, Path(home), workers=workers)
                files += report.files
                merges += report.linked.merges
                rows += report.transactions
    seconds = time.perf_counter() - start
    print(f"end to end ({corpus.name}, {workers} extraction workers): {files} files, {rows} ledger rows, "
          f"{merges} merges in {seconds:.1f} s: {files / seconds:.2f} files/s")
    return seconds


def add_server_pid_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server-pid", type=int, help="the server's pid, for its CPU time (default: the local one)")


def scratch_database(server_pid: int | None) -> tuple[Driver, str, int | None]:
    """The driver and database the benchmark writes to, and the server's pid (for its CPU time)."""
    settings = load_settings()
    pid = server_pid or (LocalServer(settings).status().pid if settings.uses_local_server else None)
    return get_driver(settings), settings.neo4j_database, pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus-medium"))
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--mention-sizes", default="1000,5000,20000", help="mentions per transaction")
    parser.add_argument("--row-sizes", default="2000,10000,50000", help="ledger rows per statement")
    add_server_pid_option(parser)
    args = parser.parse_args()
    driver, db, pid = scratch_database(args.server_pid)
    measure = Measure(pid)
    print(f"server pid {pid}, load average {os.getloadavg()}")
    migrate(driver, db)  # the key constraints: without them every MERGE is a label scan
    if args.mentions:
        bench_writer(driver, db, measure, args.repeat, args.mentions, [int(n) for n in args.mention_sizes.split(",")])
    if args.rows:
        bench_ledger(driver, db, measure, args.repeat, args.rows, [int(n) for n in args.row_sizes.split(",")])
    if not args.skip_corpus:
        bench_corpus(driver, db, args.corpus, args.workers)


if __name__ == "__main__":
    main()
