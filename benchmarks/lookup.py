"""Identifier lookups through the real HTTP stack, with sharing and audit on, and off.

Usage (a local Neo4j holding an ingested corpus, e.g. the medium one):
    PYTHONPATH=. python benchmarks/lookup.py [--requests 3000] [--concurrency 16] [--repeat 3]
        [--workers 1] [--mix 0.6,0.3,0.1] [--seed 1]

"on": the casegraph API as served (API key, rate limit, stated purpose, the sharing predicate
inside the query, masking, one audit record committed per call). "off": a bare app with the same
identifier parsing and the same lookup query without the sharing predicate, and no auth or audit.
Both run in uvicorn in a subprocess on 127.0.0.1; the client is httpx with a bounded number of
requests in flight. Before the runs the documents get random sharing levels (--mix: shares of
shared, restricted, sealed; seeded) so the predicate has real work. Prints requests/s and
p50/p99 latency per run, their medians, and the ratios on/off measured in this run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
from fastapi import FastAPI, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from casegraph.graph import users
from casegraph.graph.connection import get_driver
from casegraph.graph.lookups import identifier_key
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.settings import load_settings

PURPOSE = "川检刑诉(2023)17号"


def baseline_app() -> FastAPI:
    """The lookup with no sharing, auth, audit or masking: what access control is measured against."""
    settings = load_settings()
    driver = get_driver(settings, retry_s=2.0)
    app = FastAPI()

    def run(identifier: str) -> dict[str, Any] | None:
        label, key = identifier_key(identifier)
        records, _, _ = driver.execute_query(cypher("entity_with_cases", label=label), key=key,
                                             database_=settings.neo4j_database)
        return dict(records[0]) if records else None

    @app.get("/v1/lookup")
    async def lookup(identifier: str = Query(...)) -> JSONResponse:
        found = await run_in_threadpool(run, identifier)
        if found is None:
            return JSONResponse({"error": {"code": "not_found", "message": identifier}}, status_code=404)
        return JSONResponse({"key": found["entity"]["key"], "properties": found["entity"], "cases": found["cases"],
                             "documents": found["documents"]})

    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(mix: list[float], seed: int, sample: int) -> tuple[str, list[str]]:
    """Random sharing levels, a benchmark user (its key), and identifiers to look up."""
    settings = load_settings()
    driver = get_driver(settings)
    db = settings.neo4j_database
    migrate(driver, db)  # the key constraints and lookup indexes the lookups seek on
    records, _, _ = driver.execute_query("MATCH (d:Document) RETURN d.key AS key ORDER BY key", database_=db)
    agencies = [r["id"] for r in driver.execute_query("MATCH (a:Agency) RETURN a.id AS id ORDER BY id",
                                                      database_=db).records]
    rng = random.Random(seed)
    rows = []
    for r in records:
        level = rng.choices(["shared", "restricted", "sealed"], weights=mix)[0]
        rows.append({"key": r["key"], "level": level,
                     "with": rng.sample(agencies, k=min(2, len(agencies))) if level == "restricted" else []})
    driver.execute_query("UNWIND $rows AS row MATCH (d:Document {key: row.key}) "
                         "SET d.sharing = row.level, d.shared_with = row.with", rows=rows, database_=db)
    found = driver.execute_query(
        "MATCH (n) WHERE (n:Phone OR n:Account OR (n:Person AND n.ric IS NOT NULL)) AND n.sources IS NOT NULL "
        "RETURN coalesce(n.number, n.ric) AS value LIMIT $n", n=sample * 5, database_=db).records
    identifiers = [r["value"] for r in found]
    rng.shuffle(identifiers)
    _, key = users.add_user(driver, db, f"bench-{os.getpid()}-{rng.randrange(10**9)}", agencies[0],
                            "investigator", created_by="benchmarks/lookup.py")
    return key, identifiers[:sample]


def _serve(target: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CASEGRAPH_API_RATE_PER_S="1000000", CASEGRAPH_API_RATE_BURST="1000000",
               PYTHONPATH=os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1",
                                "--port", str(port), "--workers", str(workers), "--log-level", "warning",
                                "--timeout-keep-alive", "60",
                                "--no-access-log"], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1.0)
            return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"{target} did not start on port {port}")


async def _load(base: str, headers: dict[str, str], identifiers: list[str], total: int,
                concurrency: int) -> tuple[float, list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(identifiers[i % len(identifiers)])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30.0) as client:
        async def worker() -> None:
            while True:
                try:
                    identifier = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                started = time.perf_counter()
                try:
                    response = await client.get("/v1/lookup", params={"identifier": identifier, "purpose": PURPOSE})
                    status = response.status_code
                except httpx.TransportError:  # counted, not retried: a dropped connection is a failed request
                    status = 0
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return total / elapsed, latencies, statuses


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--mix", default="0.6,0.3,0.1", help="shares of shared,restricted,sealed documents")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    mix = [float(x) for x in args.mix.split(",")]
    key, identifiers = _prepare(mix, args.seed, sample=500)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; "
          f"{len(identifiers)} identifiers, {args.requests} requests x {args.repeat}, "
          f"concurrency {args.concurrency}, uvicorn workers {args.workers}, sharing mix {args.mix}")
    modes = {"on": ("casegraph.api.app:create_app", {"Authorization": f"Bearer {key}"}),
             "off": ("benchmarks.lookup:baseline_app", {})}
    results: dict[str, dict[str, list[float]]] = {}
    for mode, (target, headers) in modes.items():
        port = _free_port()
        server = _serve(target, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(_load(base, headers, identifiers, min(300, args.requests), args.concurrency))  # warm-up
            runs: dict[str, list[float]] = {"rps": [], "p50": [], "p99": []}
            for i in range(args.repeat):
                rps, latencies, statuses = asyncio.run(_load(base, headers, identifiers, args.requests,
                                                             args.concurrency))
                p50, p99 = _percentile(latencies, 0.5) * 1000, _percentile(latencies, 0.99) * 1000
                runs["rps"].append(rps)
                runs["p50"].append(p50)
                runs["p99"].append(p99)
                print(f"{mode} run {i + 1}: {rps:7.1f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
                      f"statuses {dict(sorted(statuses.items()))}")
            results[mode] = runs
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (status 0: dropped connection)")
    for mode, runs in results.items():
        print(f"{mode:>3} median: {statistics.median(runs['rps']):7.1f} req/s  "
              f"p50 {statistics.median(runs['p50']):6.1f} ms  p99 {statistics.median(runs['p99']):6.1f} ms")
    on, off = results["on"], results["off"]
    print(f"ratio on/off: throughput {statistics.median(on['rps']) / statistics.median(off['rps']):.2f}x, "
          f"p50 {statistics.median(on['p50']) / statistics.median(off['p50']):.2f}x, "
          f"p99 {statistics.median(on['p99']) / statistics.median(off['p99']):.2f}x")


if __name__ == "__main__":
    main()
