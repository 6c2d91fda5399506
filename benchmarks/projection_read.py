"""Projection read rate from Neo4j (`from_neo4j`): relationships/s for the admin and for one agency.

    PYTHONPATH=. python benchmarks/projection_read.py --transfers 600000 --documents 3000 --repeat 5

Starts a throw-away local Neo4j (the same LocalServer as the tests; jars from $CASEGRAPH_HOME),
loads a synthetic money-flow graph of its own - Account nodes, TRANSFERRED relationships with one or
two source documents each (the two banks' statements), ISO `at` strings as the ledger writer stores
them - and times `from_neo4j`:

(a) agency=None, the local admin's run (no visibility predicate);
(b) agency `bench-reader`, whose view mixes its own documents with other agencies' shared,
    restricted (named or not) and sealed ones, so the predicate really drops sources and facts.

Each is timed on both read paths (`--paths`): `procedure`, the local server's
casegraph.projection.stream, and `cypher`, the Cypher-only fallback for servers without it.
Prints the first read of each path and agency apart (on a fresh server it pays the JIT and the
page cache's faults), then medians of --repeat warm reads: wall seconds, CPU seconds of this
process (the Python client) and of the Neo4j server process (from /proc), relationships/s, and
the load average. On a loaded
machine wall time is mostly waiting for a core, so the rate per busiest-process CPU second
(facts / max(client CPU, server CPU): what the read takes when client and server each have a core,
as they stream in parallel) is printed beside the wall rate. `--data DIR
--keep` keeps the database between runs (loading is skipped when DIR already holds the graph).
The loading Cypher is inline here: it is benchmark scaffolding, not part of the application.
`measure` is the entry point benchmarks/detect.py uses to load a ledger corpus instead.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import socket
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import networkx as nx
from neo4j import Driver

from benchmarks.proc_cpu import process_cpu
from casegraph.graph.connection import get_driver
from casegraph.graph.ledgers import CHINA_TZ
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.projection import ReadStats, from_neo4j
from casegraph.settings import Settings

LOAD_CHUNK = 20_000
READER = "bench-reader"
OTHER_AGENCIES = ("cq-police", "sc-police", "cq-regulator", "sc-procuratorate", "cq-court")
EPOCH_2023 = 1_672_502_400.0  # 2023-01-01 Beijing time


@dataclass
class BenchGraph:
    """What gets loaded: documents with their sharing, accounts with sources, transfers."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)

    def visible_to(self, agency: str | None) -> set[str]:
        """The benchmark's own statement of the sharing rules, to check the read's counts."""
        return {d["key"] for d in self.documents
                if agency is None or d["agency"] == agency or d["sharing"] == "shared"
                or (d["sharing"] == "restricted" and agency in d["shared_with"])}

    def expected_facts(self, agency: str | None) -> int:
        visible = self.visible_to(agency)
        return sum(1 for t in self.transfers if any(s in visible for s in t["sources"]))


def _doc_key(name: str) -> str:
    return "doc:" + hashlib.sha256(name.encode()).hexdigest()


def _sharing_mix(index: int, rng: random.Random) -> dict[str, Any]:
    """10% the reader's own, 65% shared, 15% restricted (a third naming the reader), 10% sealed."""
    bucket = index % 20
    if bucket < 2:
        return {"agency": READER, "sharing": "sealed", "shared_with": []}
    owner = rng.choice(OTHER_AGENCIES)
    if bucket < 15:
        return {"agency": owner, "sharing": "shared", "shared_with": []}
    if bucket < 18:
        named = [READER] if bucket == 15 else [rng.choice(OTHER_AGENCIES)]
        return {"agency": owner, "sharing": "restricted", "shared_with": named}
    return {"agency": owner, "sharing": "sealed", "shared_with": []}


def synthetic_graph(transfers: int, documents: int, seed: int = 7) -> BenchGraph:
    """A ledger-like graph: ~6 transfers per account, each account's statement is one document."""
    rng = random.Random(seed)
    bench = BenchGraph()
    bench.documents = [{"key": _doc_key(f"ledger-{i}"), **_sharing_mix(i, rng)} for i in range(documents)]
    n_accounts = max(2, transfers // 6)
    numbers = [f"62{rng.randrange(10**15):015d}{i % 10}" for i in range(n_accounts)]
    statement = [bench.documents[i % documents]["key"] for i in range(n_accounts)]
    sources: list[set[str]] = [set() for _ in range(n_accounts)]
    for i in range(transfers):
        payer = rng.randrange(n_accounts)
        payee = int(rng.paretovariate(1.2) * 37 + payer) % n_accounts  # some hub payees
        docs = {statement[payer], statement[payee]} if rng.random() < 0.5 else {statement[payer]}
        sources[payer].update(docs)
        sources[payee].update(docs)
        at = datetime.fromtimestamp(EPOCH_2023 + rng.randrange(3 * 365 * 86400), CHINA_TZ).isoformat()
        bench.transfers.append({"f": "acct:" + numbers[payer], "t": "acct:" + numbers[payee], "fid": f"TX{i:09d}",
                                "tx_id": f"TX{i:09d}", "amount": round(rng.lognormvariate(8, 1.5), 2), "at": at,
                                "sources": sorted(docs)})
    bench.accounts = [{"key": "acct:" + n, "number": n, "sources": sorted(s)}
                      for n, s in zip(numbers, sources, strict=True) if s]
    return bench


def ledger_graph(graph: nx.MultiDiGraph, transfers: int, seed: int = 7) -> BenchGraph:
    """A ledger corpus (from_ledgers) as a BenchGraph: one document per ledger file, with the same
    sharing mix as the synthetic graph, so that `bench-reader`'s read really drops sources and facts."""
    bench = BenchGraph()
    edges = list(itertools.islice(graph.edges(data=True), transfers))
    docs: set[str] = set()
    accounts: dict[str, set[str]] = {}
    for u, v, d in edges:
        keys = sorted({_doc_key(s.split("#row", 1)[0]) for s in d["sources"]})
        docs.update(keys)
        for end in (u, v):
            accounts.setdefault(end, set()).update(keys)
        bench.transfers.append({"f": u, "t": v, "fid": d.get("tx_id") or f"{u}>{v}@{d['at']}", "tx_id": d.get("tx_id"),
                                "amount": d["amount"], "sources": keys,
                                "at": datetime.fromtimestamp(d["at"], CHINA_TZ).isoformat()})
    rng = random.Random(seed)
    bench.documents = [{"key": k, **_sharing_mix(i, rng)} for i, k in enumerate(sorted(docs))]
    bench.accounts = [{"key": k, "number": k[5:], "sources": sorted(s)} for k, s in accounts.items()]
    return bench


def load(driver: Driver, db: str, bench: BenchGraph) -> float:
    started = time.perf_counter()
    driver.execute_query("UNWIND $rows AS r CREATE (:Document {key: r.key, agency: r.agency, sharing: r.sharing, "
                         "shared_with: r.shared_with})", rows=bench.documents, database_=db)
    for start in range(0, len(bench.accounts), LOAD_CHUNK):
        driver.execute_query("UNWIND $rows AS r CREATE (:Account {key: r.key, number: r.number, sources: r.sources})",
                             rows=bench.accounts[start:start + LOAD_CHUNK], database_=db)
    for start in range(0, len(bench.transfers), LOAD_CHUNK):
        if start and start % (10 * LOAD_CHUNK) == 0:
            print(f"  loaded {start:,} transfers in {time.perf_counter() - started:.0f} s", flush=True)
        driver.execute_query("UNWIND $rows AS r MATCH (a:Account {key: r.f}) MATCH (b:Account {key: r.t}) "
                             "CREATE (a)-[:TRANSFERRED {fid: r.fid, amount: r.amount, at: r.at, tx_id: r.tx_id, "
                             "sources: r.sources}]->(b)", rows=bench.transfers[start:start + LOAD_CHUNK], database_=db)
    return time.perf_counter() - started


def _loaded_transfers(driver: Driver, db: str) -> int:
    records = driver.execute_query("MATCH ()-[r:TRANSFERRED]->() RETURN count(r) AS n", database_=db).records
    return int(records[0]["n"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def scratch_server(data: Path | None, keep: bool) -> Iterator[tuple[Driver, str, int | None]]:
    data = data or Path(tempfile.mkdtemp(prefix="casegraph-bench-neo4j-"))
    data.mkdir(parents=True, exist_ok=True)
    port_file = data / "bench-port"
    port = int(port_file.read_text()) if port_file.exists() else _free_port()
    port_file.write_text(str(port))
    settings = Settings(  # type: ignore[call-arg]
        CASEGRAPH_NEO4J_PORT=port, CASEGRAPH_NEO4J_DATA=data, NEO4J_PASSWORD="casegraph-bench-pw",
        CASEGRAPH_NEO4J_HEAP="2g", CASEGRAPH_NEO4J_PAGECACHE_MB=1024, CASEGRAPH_NEO4J_START_TIMEOUT=600)
    server = LocalServer(settings)
    status = server.start()
    driver = get_driver(settings)
    try:
        migrate(driver, settings.neo4j_database)
        yield driver, settings.neo4j_database, status.pid
    finally:
        driver.close()
        if not keep:
            server.stop()


def _one_read(driver: Driver, db: str, agency: str | None, expected: int, server_pid: int | None,
              use_procedure: bool) -> tuple[float, float, float, int]:
    """One `from_neo4j`: wall seconds, client CPU, server CPU, entities read."""
    stats = ReadStats()
    cpu, server_cpu = time.process_time(), process_cpu(server_pid)
    from_neo4j(driver, db, agency, stats, use_procedure=use_procedure)
    figures = (stats.seconds, time.process_time() - cpu, process_cpu(server_pid) - server_cpu, stats.nodes)
    if stats.relationships != expected:
        raise AssertionError(f"agency {agency}: read {stats.relationships} facts, expected {expected}")
    return figures


def time_reads(driver: Driver, db: str, agency: str | None, expected: int, repeat: int,
               server_pid: int | None, use_procedure: bool = True) -> dict[str, float]:
    """The first read of this path and agency (reported apart: on a fresh server it pays plan
    compilation and JIT), then the median of `repeat` warm reads, each with client and server CPU."""
    path = "procedure" if use_procedure else "cypher"
    first = _one_read(driver, db, agency, expected, server_pid, use_procedure)
    print(f"  first read: {first[0]:.2f} s wall = {expected / first[0]:,.0f} rel/s, client CPU {first[1]:.2f} s, "
          f"server CPU {first[2]:.2f} s, load {_load()}", flush=True)
    walls, cpus, server_cpus = [], [], []
    for _ in range(repeat):
        wall, cpu, server_cpu, nodes = _one_read(driver, db, agency, expected, server_pid, use_procedure)
        walls.append(wall)
        cpus.append(cpu)
        server_cpus.append(server_cpu)
        print(f"  warm read: {wall:.2f} s wall = {expected / wall:,.0f} rel/s, client CPU {cpu:.2f} s, "
              f"server CPU {server_cpu:.2f} s, load {_load()}", flush=True)
    wall = statistics.median(walls)
    figures = {"wall": wall, "cpu": statistics.median(cpus), "server_cpu": statistics.median(server_cpus),
               "rate": expected / wall, "facts": expected, "nodes": nodes, "first_wall": first[0]}
    busiest = max(figures["cpu"], figures["server_cpu"])
    print(f"from_neo4j {path} agency={agency}: {expected:,} facts, {nodes:,} entities; first read "
          f"{first[0]:.2f} s; median of {repeat} warm: {wall:.2f} s wall = {figures['rate']:,.0f} relationships/s "
          f"(range {expected / max(walls):,.0f}-{expected / min(walls):,.0f}); client CPU {figures['cpu']:.2f} s "
          f"({expected / figures['cpu']:,.0f}/s per client CPU second); server CPU {figures['server_cpu']:.2f} s; "
          f"{expected / busiest:,.0f} relationships/s per busiest-process CPU second; load {_load()}", flush=True)
    return figures


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(bench: BenchGraph, repeat: int, data: Path | None = None, keep: bool = False, read: bool = True,
        paths: tuple[str, ...] = ("procedure", "cypher")) -> None:
    with scratch_server(data, keep) as (driver, db, pid):
        loaded = _loaded_transfers(driver, db)
        if loaded == 0:
            seconds = load(driver, db, bench)
            print(f"neo4j load: {len(bench.accounts):,} accounts, {len(bench.transfers):,} transfers, "
                  f"{len(bench.documents):,} documents in {seconds:.1f} s (load {_load()})")
        elif loaded != len(bench.transfers):
            raise SystemExit(f"{data} holds {loaded} transfers, not {len(bench.transfers)}: use another --data")
        for path in paths if read else ():
            for agency in (None, READER):
                time_reads(driver, db, agency, bench.expected_facts(agency), repeat, pid, path == "procedure")


def measure(graph: nx.MultiDiGraph, transfers: int, repeat: int, data: Path | None = None,
            keep: bool = False, paths: tuple[str, ...] = ("procedure", "cypher")) -> None:
    """benchmarks/detect.py --neo4j-transfers N: the ledger corpus's first N transfers."""
    run(ledger_graph(graph, transfers), repeat, data, keep, paths=paths)


def main() -> None:
    parser = argparse.ArgumentParser(description="from_neo4j read rate")
    parser.add_argument("--transfers", type=int, default=600_000)
    parser.add_argument("--documents", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=5, help="warm reads per path and agency, after the first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=None, help="database folder, reused when it holds the graph")
    parser.add_argument("--keep", action="store_true", help="leave the server running (stop: casegraph db stop)")
    parser.add_argument("--load-only", action="store_true", help="load the graph, time no reads (with --data --keep)")
    parser.add_argument("--paths", default="procedure,cypher", help="read paths to time, comma-separated")
    args = parser.parse_args()
    started = time.process_time()
    bench = synthetic_graph(args.transfers, args.documents, args.seed)
    print(f"synthetic graph: {len(bench.transfers):,} transfers, {len(bench.accounts):,} accounts, "
          f"{len(bench.documents):,} documents ({time.process_time() - started:.1f} s CPU); reader sees "
          f"{len(bench.visible_to(READER)):,} documents")
    run(bench, args.repeat, args.data, args.keep, read=not args.load_only, paths=tuple(args.paths.split(",")))


if __name__ == "__main__":
    main()
