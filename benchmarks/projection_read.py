"""Projection read rate from Neo4j (`from_neo4j`), used by benchmarks/detect.py --neo4j-transfers N.

Starts a throw-away local Neo4j (the same LocalServer as the tests) in a temp folder, loads N
transfers of the ledger projection as Account nodes and TRANSFERRED relationships with their
source documents (one shared Document per ledger), then times `from_neo4j` for an agency (the
visibility predicate is evaluated as in production). The loading Cypher is inline here: it is
benchmark scaffolding, not part of the application.
"""

from __future__ import annotations

import hashlib
import socket
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import networkx as nx

from casegraph.graph.connection import get_driver
from casegraph.graph.ledgers import CHINA_TZ
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.projection import ReadStats, from_neo4j
from casegraph.settings import Settings

LOAD_CHUNK = 20_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _doc_key(source: str) -> str:
    return "doc:" + hashlib.sha256(source.split("#row", 1)[0].encode()).hexdigest()


def measure(graph: nx.MultiDiGraph, transfers: int, repeat: int) -> None:
    edges = [(u, v, d) for u, v, d in graph.edges(data=True)][:transfers]
    data = Path(tempfile.mkdtemp(prefix="casegraph-bench-neo4j-"))
    settings = Settings(  # type: ignore[call-arg]
        CASEGRAPH_NEO4J_PORT=_free_port(), CASEGRAPH_NEO4J_DATA=data, NEO4J_PASSWORD="casegraph-bench-pw",
        CASEGRAPH_NEO4J_HEAP="2g", CASEGRAPH_NEO4J_PAGECACHE_MB=1024, CASEGRAPH_NEO4J_START_TIMEOUT=600)
    server = LocalServer(settings)
    server.start()
    try:
        driver = get_driver(settings)
        db = settings.neo4j_database
        migrate(driver, db)
        docs = sorted({_doc_key(s) for _u, _v, d in edges for s in d["sources"]})
        driver.execute_query("UNWIND $keys AS k CREATE (:Document {key: k, agency: 'bench-owner', "
                             "sharing: 'shared'})", keys=docs, database_=db)
        accounts: dict[str, set[str]] = {}
        for u, v, d in edges:
            for key in (u, v):
                accounts.setdefault(key, set()).update(_doc_key(s) for s in d["sources"])
        rows = [{"key": k, "number": k[5:], "sources": sorted(s)} for k, s in accounts.items()]
        loaded = time.perf_counter()
        for start in range(0, len(rows), LOAD_CHUNK):
            driver.execute_query("UNWIND $rows AS r CREATE (:Account {key: r.key, number: r.number, "
                                 "sources: r.sources})", rows=rows[start:start + LOAD_CHUNK], database_=db)
        rels = [{"f": u, "t": v, "fid": d.get("tx_id") or f"{u}>{v}@{d['at']}", "amount": d["amount"],
                 "at": datetime.fromtimestamp(d["at"], CHINA_TZ).isoformat(), "tx_id": d.get("tx_id"),
                 "sources": sorted({_doc_key(s) for s in d["sources"]})} for u, v, d in edges]
        for start in range(0, len(rels), LOAD_CHUNK):
            driver.execute_query("UNWIND $rows AS r MATCH (a:Account {key: r.f}) MATCH (b:Account {key: r.t}) "
                                 "CREATE (a)-[:TRANSFERRED {fid: r.fid, amount: r.amount, at: r.at, "
                                 "tx_id: r.tx_id, sources: r.sources}]->(b)",
                                 rows=rels[start:start + LOAD_CHUNK], database_=db)
        print(f"neo4j load: {len(rows)} accounts, {len(rels)} transfers, {len(docs)} documents in "
              f"{time.perf_counter() - loaded:.1f} s")
        walls, cpus = [], []
        for _ in range(repeat):
            stats = ReadStats()
            cpu = time.process_time()
            from_neo4j(driver, db, "bench-reader", stats)
            cpus.append(time.process_time() - cpu)
            walls.append(stats.seconds)
            assert stats.relationships == len(rels), (stats.relationships, len(rels))
        wall, cpu_s = statistics.median(walls), statistics.median(cpus)
        print(f"from_neo4j (agency filter on): median {wall:.2f} s wall, {cpu_s:.2f} s CPU in this process, "
              f"{len(rels) / wall:,.0f} relationships/s wall ({len(rels) / cpu_s:,.0f}/s per client CPU second), "
              f"{stats.nodes} entities")
        driver.close()
    finally:
        server.stop()
