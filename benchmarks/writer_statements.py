"""Where the writer's server time goes: server CPU and wall time per statement of real batches.

Writes --warm batches first (so keys recur and the graph is not empty), then --measure batches
(mentions) and --ledgers ledger documents with every statement of the writer timed: the server's
CPU seconds (/proc, all its threads) and wall seconds around each `tx.run`, summed by statement
name, plus the commit. On a shared machine the server CPU figure is the one to read.

Run against a scratch server only (it empties the graph):
    PYTHONPATH=. python benchmarks/writer_statements.py [--batch 20000] [--measure 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from neo4j import Driver, Transaction

from benchmarks.ingest import empty, ledger_documents, mention_documents
from benchmarks.proc_cpu import process_cpu
from casegraph.graph import writer
from casegraph.graph.connection import get_driver
from casegraph.graph.facts import DocumentFacts
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.settings import load_settings


class _Fetched:
    """A result read to its end inside the timing, so the statement's whole cost is counted."""

    def __init__(self, records: list[Any]) -> None:
        self.records = records

    def __iter__(self) -> Iterator[Any]:
        return iter(self.records)

    def single(self) -> Any:
        return self.records[0] if self.records else None

    def consume(self) -> None:
        return None


class NamedStatement(str):
    """Statement text that remembers its file name (and labels), so its runs are booked by name."""

    name: str


def named_cypher(name: str, **slots: str | int) -> str:
    text = NamedStatement(cypher(name, **slots))
    text.name = name + "".join(f" {v}" for v in slots.values())
    return text


class TimedTx:
    """Stands in for the managed transaction: runs each statement and books its cost by name."""

    def __init__(self, tx: Transaction, pid: int | None, book: dict[str, list[float]]) -> None:
        self.tx, self.pid, self.book = tx, pid, book

    def run(self, query: str, **params: Any) -> _Fetched:
        server, wall = process_cpu(self.pid), time.perf_counter()
        records = list(self.tx.run(query, **params))
        entry = self.book[getattr(query, "name", "?")]
        entry[0] += process_cpu(self.pid) - server
        entry[1] += time.perf_counter() - wall
        entry[2] += sum(len(v) for v in params.values() if isinstance(v, list))
        return _Fetched(records)


def timed_write(driver: Driver, database: str, batch: Sequence[DocumentFacts], pid: int | None,
                book: dict[str, list[float]]) -> None:
    with driver.session(database=database) as session:
        tx = session.begin_transaction()
        writer._write(TimedTx(tx, pid, book), batch)  # type: ignore[arg-type]
        server, wall = process_cpu(pid), time.perf_counter()
        tx.commit()
        book["(commit)"][0] += process_cpu(pid) - server
        book["(commit)"][1] += time.perf_counter() - wall


def report(title: str, book: dict[str, list[float]], work: int, unit: str) -> None:
    total_cpu = sum(v[0] for v in book.values())
    total_wall = sum(v[1] for v in book.values())
    print(f"{title}: {work} {unit}, server CPU {total_cpu:.2f} s ({work / max(total_cpu, 1e-9):,.0f} {unit}"
          f" per server CPU s), wall {total_wall:.2f} s (load {os.getloadavg()[0]:.1f})")
    for name, (cpu, wall, rows) in sorted(book.items(), key=lambda kv: -kv[1][0]):
        print(f"  {name:<32} server CPU {cpu:6.2f} s {100 * cpu / max(total_cpu, 1e-9):5.1f} %  "
              f"wall {wall:6.2f} s  rows {int(rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=20_000, help="mentions per transaction")
    parser.add_argument("--warm", type=int, default=2, help="batches written before measuring")
    parser.add_argument("--measure", type=int, default=3, help="mention batches measured")
    parser.add_argument("--ledgers", type=int, default=2, help="ledger documents of 50,000 rows measured")
    args = parser.parse_args()
    settings = load_settings()
    driver = get_driver(settings)
    db = settings.neo4j_database
    pid = LocalServer(settings).status().pid if settings.uses_local_server else None
    migrate(driver, db)
    empty(driver, db)
    writer.cypher = named_cypher  # type: ignore[assignment]
    per_doc = 40
    docs = mention_documents((args.warm + args.measure) * args.batch // per_doc, per_doc, seed=7)
    step = args.batch // per_doc
    for i in range(args.warm):
        writer.write_documents(driver, db, docs[i * step:(i + 1) * step])
    book: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for i in range(args.warm, args.warm + args.measure):
        timed_write(driver, db, docs[i * step:(i + 1) * step], pid, book)
    report(f"mentions, {args.batch} per transaction", book, args.measure * args.batch, "mentions")
    if args.ledgers:
        book = defaultdict(lambda: [0.0, 0.0, 0.0])
        for doc in ledger_documents(args.ledgers * 50_000, 50_000, seed=3):
            timed_write(driver, db, [doc], pid, book)
        report("ledger rows, 50,000 per document", book, args.ledgers * 50_000, "rows")


if __name__ == "__main__":
    main()
