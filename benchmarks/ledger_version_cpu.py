"""CPU seconds of writing versions of a large ledger, step by step (issue 24).

Usage:
    PYTHONPATH=. python benchmarks/ledger_version_cpu.py [--rows 60000] [--versions A,B] [--work DIR]
    PYTHONPATH=/work/main python benchmarks/ledger_version_cpu.py ...   # the same on another tree

Against the configured Neo4j (emptied first: a scratch server only). Each version of one account's
statement (benchmarks/replace_ledger.py's, written once into --work) is ingested in this process, in
turn at the same path, so each after the first replaces the one before. Prints per version: wall
seconds, this process's and the server's CPU seconds, and the server's and client's CPU of the steps
(the parts, the Document with its mentions, the retraction of the replaced version). On a shared
machine the CPU seconds are the figures; run two trees one after the other, twice, and compare the
second rounds (the first run on a fresh server pays the JIT's warm-up).
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.proc_cpu import process_cpu
from benchmarks.replace_ledger import write_statement
from casegraph.graph import retraction, writer
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.ingest import ledger_ingest
from casegraph.ingest.run import ingest
from casegraph.settings import load_settings

Totals = defaultdict[str, list[float]]


def measured(module: Any, name: str, label: str, pid: int | None, totals: Totals) -> None:
    """Wrap module.name so that its server and client CPU seconds add up under `label`."""
    original: Callable[..., Any] = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        server, client = process_cpu(pid), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            entry = totals[label]
            entry[0] += process_cpu(pid) - server
            entry[1] += time.process_time() - client

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--versions", default="A,B")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ledger-version-cpu"))
    args = parser.parse_args()
    settings = load_settings()
    driver = get_driver(settings)
    db = settings.neo4j_database
    pid = LocalServer(settings).status().pid if settings.uses_local_server else None
    totals: Totals = defaultdict(lambda: [0.0, 0.0])
    measured(ledger_ingest, "write_ledger_part", "parts", pid, totals)
    measured(ledger_ingest, "write_ledger_document", "Document, mentions and retraction", pid, totals)
    measured(writer, "retract_retired", "  of which the retraction", pid, totals)
    migrate(driver, db)
    retraction.retract_retired(driver, db)
    with driver.session(database=db) as session:  # auto-commit: CALL IN TRANSACTIONS commits as it goes
        session.run("MATCH (n) WHERE NOT n:SchemaMigration CALL (n) { DETACH DELETE n } "
                    "IN TRANSACTIONS OF 10000 ROWS").consume()
    driver.execute_query(cypher("agency_upsert"), id="cq-police", kind="police", region="CQ", name="cq-police",
                         default_sharing="restricted", database_=db)
    folder = args.work / f"rows-{args.rows}"
    (folder / "cq-police").mkdir(parents=True, exist_ok=True)
    statement = folder / "cq-police" / "owner-statement.csv"
    for version in args.versions.split(","):
        source = folder / f"statement-{version}.csv"
        if not source.exists():
            write_statement(source, version, args.rows)
        statement.write_bytes(source.read_bytes())
        totals.clear()
        server, client, wall = process_cpu(pid), time.process_time(), time.perf_counter()
        ingest(driver, db, [statement], "cq-police", folder / "home", link=False)
        server, client = process_cpu(pid) - server, time.process_time() - client
        per = 1e5 / args.rows
        print(f"version {version}: {time.perf_counter() - wall:6.1f} s wall; CPU server {server:6.1f} s, "
              f"client {client:6.1f} s; per 100k rows server {server * per:5.1f} s, client {client * per:5.1f} s",
              flush=True)
        for label, (step_server, step_client) in totals.items():
            print(f"    {label:<36} server {step_server:6.1f} s  client {step_client:6.1f} s")


if __name__ == "__main__":
    main()
