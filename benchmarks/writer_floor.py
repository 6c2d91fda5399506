"""The floor of transactional Cypher here: what plain statements write per second on this server.

Issue 5 asks the writer for 20,000 entity mentions/s and 50,000 ledger rows/s. Before cutting the
writer's own cost this measures the simplest Cypher that does the same work, on the same server
and schema (the migrations applied), so the targets can be set against what the database itself
can do on this machine:
- ledger: 50,000 relationships between 3,000 existing accounts found by key, in statements of
  --chunk rows, one transaction: (a) no properties, (b) amount only, (c) the writer's transfer
  properties (fid, tx_id, amount, at, sources) without the TRANSFERRED(fid) index, (d) the same
  with it, and (w) the writer itself (`write_documents` on one ledger document of the same rows);
- mentions: 20,000 mentions of people, phones, accounts and addresses (a pool of 50,000 each, so
  entities recur) in documents of 40, one transaction: (e1) MERGE the node by key and CREATE one
  MENTIONED_IN to its document, a row per mention, no properties, (e2) the people with a name
  (the full-text index `entity_names` does work), (e3) e2 without the full-text index, (e4) e2
  with it eventually consistent (updated after the commit, awaited inside the timing), and (w) the
  writer on the same documents.
Each figure is the median of --repeat runs on an emptied graph; wall rows/s and rows per second of
server CPU (/proc). The script drops and restores two indexes: run it on a scratch database only.

Statements here are measurement probes, not the product's, so they are inline like `empty()`.

    PYTHONPATH=. python benchmarks/writer_floor.py [--repeat 3] [--chunk 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from neo4j import Driver, ManagedTransaction

from benchmarks.ingest import add_server_pid_option, empty, ledger_documents, mention_documents, scratch_database
from benchmarks.proc_cpu import process_cpu
from casegraph.graph import writer
from casegraph.graph.facts import DocumentFacts
from casegraph.graph.migrate import migrate

ACCOUNTS = 3_000

LEDGER_PROBES = {
    "(a) CREATE, no properties": """
        UNWIND $rows AS row
        MATCH (a:Account {key: row.f}) MATCH (b:Account {key: row.t})
        CREATE (a)-[:TRANSFERRED]->(b)""",
    "(b) CREATE, amount only": """
        UNWIND $rows AS row
        MATCH (a:Account {key: row.f}) MATCH (b:Account {key: row.t})
        CREATE (a)-[:TRANSFERRED {amount: row.amount}]->(b)""",
    "(c) CREATE, transfer properties, no fid index": """
        UNWIND $rows AS row
        MATCH (a:Account {key: row.f}) MATCH (b:Account {key: row.t})
        CREATE (a)-[:TRANSFERRED {fid: row.fid, tx_id: row.tx_id, amount: row.amount, at: row.at,
                                  sources: row.sources}]->(b)""",
    "(d) CREATE, transfer properties + fid index": """
        UNWIND $rows AS row
        MATCH (a:Account {key: row.f}) MATCH (b:Account {key: row.t})
        CREATE (a)-[:TRANSFERRED {fid: row.fid, tx_id: row.tx_id, amount: row.amount, at: row.at,
                                  sources: row.sources}]->(b)""",
}

MENTION_PROBE = """
    UNWIND $rows AS row
    MERGE (n:{label} {{key: row.key}})
    SET n.name = row.name
    WITH n, row
    MATCH (d:Document {{key: row.doc}})
    CREATE (n)-[:MENTIONED_IN]->(d)"""

FULLTEXT = ("DROP INDEX entity_names IF EXISTS",
            "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Person|Organization) ON EACH [n.name, n.aliases] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: %s}}")
FID_INDEX = ("DROP INDEX transferred_fid IF EXISTS",
             "CREATE INDEX transferred_fid IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() ON (r.fid)")


def timed(pid: int | None, repeat: int, setup: Callable[[], None], run: Callable[[], None]) -> tuple[float, float]:
    walls, servers = [], []
    for _ in range(repeat):
        setup()
        cpu, wall = process_cpu(pid), time.perf_counter()
        run()
        walls.append(time.perf_counter() - wall)
        servers.append(process_cpu(pid) - cpu)
    return statistics.median(walls), statistics.median(servers)


def report(label: str, rows: int, wall: float, server: float) -> None:
    per_cpu = f"{rows / server:>9,.0f} per server CPU s ({server:5.2f} s)" if server > 0 else "server CPU unknown"
    print(f"  {label:<48} {rows / wall:>9,.0f} rows/s wall ({wall:5.2f} s), {per_cpu}"
          f"  load {os.getloadavg()[0]:.1f}", flush=True)


def schema(driver: Driver, database: str, statement: str) -> None:
    driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)


def ledger_setup(driver: Driver, database: str) -> Callable[[], None]:
    def setup() -> None:
        empty(driver, database)
        driver.execute_query("UNWIND range(0, $n - 1) AS i CREATE (:Account {key: 'acct:6217' + "
                             "right('00000000000000' + toString(i), 15)})", n=ACCOUNTS, database_=database)
    return setup


def ledger_rows(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    accounts = [f"acct:6217{i:015d}" for i in range(ACCOUNTS)]
    rows = []
    for i in range(n):
        a, b = rng.sample(accounts, 2)
        rows.append({"f": a, "t": b, "fid": f"{seed}-{i}", "tx_id": f"{seed}-{i}",
                     "amount": round(rng.uniform(1, 50_000), 2), "at": "2023-02-04T10:00:00",
                     "sources": ["doc:ledger-floor"]})
    return rows


def in_one_transaction(driver: Driver, database: str, statement: str, rows: list[dict[str, Any]],
                       chunk: int) -> Callable[[], None]:
    def work(tx: ManagedTransaction) -> None:
        for start in range(0, len(rows), chunk):
            tx.run(statement, rows=rows[start:start + chunk]).consume()

    def run() -> None:
        with driver.session(database=database) as session:
            session.execute_write(work)
    return run


def bench_ledger(driver: Driver, database: str, pid: int | None, repeat: int, n: int, chunk: int) -> None:
    print(f"ledger: {n} relationships among {ACCOUNTS} accounts, statements of {chunk} rows, one transaction, "
          f"median of {repeat}")
    rows = ledger_rows(n, seed=7)
    setup = ledger_setup(driver, database)
    for label, statement in LEDGER_PROBES.items():
        without_index = label.startswith(("(a)", "(b)", "(c)"))
        schema(driver, database, FID_INDEX[0] if without_index else FID_INDEX[1])
        report(label, n, *timed(pid, repeat, setup, in_one_transaction(driver, database, statement, rows, chunk)))
    schema(driver, database, FID_INDEX[1])
    docs = ledger_documents(n, n, seed=7)

    def write() -> None:
        writer.write_documents(driver, database, docs)
    report("(w) the writer (write_documents, one ledger)", n, *timed(pid, repeat, lambda: empty(driver, database),
                                                                     write))


def mention_rows(docs: list[DocumentFacts]) -> dict[str, list[dict[str, Any]]]:
    by_label: dict[str, list[dict[str, Any]]] = {}
    for facts in docs:
        for node in facts.nodes:
            by_label.setdefault(node.label, []).append(
                {"key": node.key, "doc": facts.key, "name": node.props.get("name")})
    return by_label


def bench_mentions(driver: Driver, database: str, pid: int | None, repeat: int, n: int) -> None:
    per_doc = 40
    print(f"mentions: {n} in documents of {per_doc}, one transaction, median of {repeat}")
    docs = mention_documents(n // per_doc, per_doc, seed=11)
    documents = [f.document for f in docs]
    by_label = mention_rows(docs)
    no_names = {label: [r | {"name": None} for r in rows] for label, rows in by_label.items()}

    def run_probe(rows_by_label: dict[str, list[dict[str, Any]]]) -> Callable[[], None]:
        def work(tx: ManagedTransaction) -> None:
            tx.run("UNWIND $rows AS row CREATE (d:Document) SET d = row", rows=documents).consume()
            for label, rows in rows_by_label.items():
                tx.run(MENTION_PROBE.format(label=label), rows=rows).consume()

        def run() -> None:
            with driver.session(database=database) as session:
                session.execute_write(work)
        return run

    def setup() -> None:
        empty(driver, database)
    report("(e1) MERGE node + CREATE mention, no names", n, *timed(pid, repeat, setup, run_probe(no_names)))
    report("(e2) e1 + people's names (full-text index)", n, *timed(pid, repeat, setup, run_probe(by_label)))
    schema(driver, database, FULLTEXT[0])
    report("(e3) e2 without the full-text index", n, *timed(pid, repeat, setup, run_probe(by_label)))
    schema(driver, database, FULLTEXT[1] % "true")
    probe = run_probe(by_label)

    def then_refresh() -> None:
        # The index is updated after the commit: wait for it inside the timing, so its cost counts.
        probe()
        driver.execute_query("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()", database_=database)
    report("(e4) e2, the full-text index eventually consistent", n, *timed(pid, repeat, setup, then_refresh))
    schema(driver, database, FULLTEXT[0])
    schema(driver, database, FULLTEXT[1] % "false")

    def write() -> None:
        writer.write_documents(driver, database, docs)
    report("(w) the writer (write_documents, one batch)", n, *timed(pid, repeat, setup, write))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=10_000, help="ledger rows per statement")
    parser.add_argument("--warm", type=int, default=1, help="untimed passes first: a fresh JVM compiles for minutes")
    add_server_pid_option(parser)
    args = parser.parse_args()
    driver, db, pid = scratch_database(args.server_pid)
    print(f"server pid {pid}, load average {os.getloadavg()}")
    migrate(driver, db)
    for _ in range(args.warm):
        print("warm-up (not counted):")
        bench_ledger(driver, db, pid, 1, args.rows, args.chunk)
        bench_mentions(driver, db, pid, 1, args.mentions)
    bench_ledger(driver, db, pid, args.repeat, args.rows, args.chunk)
    bench_mentions(driver, db, pid, args.repeat, args.mentions)


if __name__ == "__main__":
    main()
