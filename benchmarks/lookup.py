"""Identifier lookups through the real HTTP stack, with sharing and audit on, and off.

Usage (a local Neo4j holding an ingested corpus, e.g. the medium one):
    PYTHONPATH=. python benchmarks/lookup.py [--requests 4000] [--concurrency 8] [--repeat 3]
        [--rate R] [--workers 1] [--mix 0.6,0.3,0.1] [--seed 1] [--modes ceiling,off,on] [--client go|python]

"on": the casegraph API as served (API key, rate limit, stated purpose, the sharing predicate
inside the query, masking, one audit record per call, durable in the API's spool before the answer
and shipped to Neo4j in batches). "off": a bare app with the same
identifier parsing and the same lookup query without the sharing predicate, and no auth or audit.
"on-ref": "on" served from another source tree (--ref-tree), for before/after figures from one
run. "ceiling": a trivial endpoint (no database) in the same uvicorn, through the same client: the most
this client and server stack can do on this machine. All run in uvicorn in a subprocess on
127.0.0.1.

The client is the Go load generator in benchmarks/loadgen (standard library only, built here with
/usr/local/go/bin/go or the `go` on PATH): closed loop, --concurrency connections with one request
each in flight, costing tens of microseconds of CPU per request. A closed loop at full speed gives
the most requests/s and the latency at saturation, where the client's own requests queue behind
each other. --rate R runs it as an open loop instead: R requests/s whatever the answers, each timed
from when it was due (no coordinated omission), over --concurrency connections (give it room, e.g.
32): the latency percentiles at that load. Without Go it falls back to httpx
in this process, which costs ~5 ms of CPU per request and so measures itself as much as the server
on a 2-core machine; the output says which client ran. Each run reports CPU milliseconds per request
of the client, the API server (all its processes) and the local Neo4j (when it is the one casegraph
started), read from /proc, since on a shared machine wall time says as much about the neighbours as
about the code. Before the runs the documents get random sharing levels (--mix: shares of shared,
restricted, sealed; seeded) so the predicate has real work. Prints requests/s and p50/p99 latency
per run, their medians, and the ratios on/off measured in this run; and the audit log alone:
appends/s one at a time (an fsync of the spool each) and with 16 waiting at once (group commit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from benchmarks.proc_cpu import process_tree_cpu
from casegraph.graph import users
from casegraph.graph.audit_log import AuditLog, AuditRecord
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.lookups import identifier_key
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.graph.quick_read import read_records
from casegraph.settings import load_settings

PURPOSE = "川检刑诉(2023)17号"


def baseline_app() -> FastAPI:
    """The lookup with no sharing, auth, audit or masking: what access control is measured against."""
    settings = load_settings()
    driver = get_driver(settings, retry_s=2.0)
    app = FastAPI()

    def run(identifier: str) -> dict[str, Any] | None:
        label, key = identifier_key(identifier)
        # The same one-round-trip read as the real lookup, so the ratio measures access control only.
        records = read_records(driver, settings.neo4j_database, cypher("entity_with_cases", label=label), key=key)
        return dict(records[0]) if records else None

    @app.get("/v1/lookup")
    async def lookup(identifier: str = Query(...)) -> JSONResponse:
        found = await run_in_threadpool(run, identifier)
        if found is None:
            return JSONResponse({"error": {"code": "not_found", "message": identifier}}, status_code=404)
        return JSONResponse({"key": found["entity"]["key"], "properties": found["entity"], "cases": found["cases"],
                             "documents": found["documents"]})

    return app


def ceiling_app() -> FastAPI:
    """No database, no dependencies: what the client, uvicorn and FastAPI cost by themselves."""
    app = FastAPI()
    body = {"hit": True, "visible": True, "key": "phone:13800000000", "cases": [], "documents": []}

    @app.get("/v1/lookup")
    async def lookup(identifier: str = Query(...)) -> JSONResponse:
        return JSONResponse(body)

    return app


def _neo4j_pid() -> int | None:
    settings = load_settings()
    if not settings.uses_local_server:
        return None
    try:
        return int(LocalServer(settings).pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


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


def _serve(target: str, port: int, workers: int, tree: str | None = None) -> subprocess.Popen[bytes]:
    """uvicorn serving `target`, importing casegraph from `tree` (another checkout) or this one."""
    # Throughput at saturation, as before shedding existed (issue 22): no bound on calls in flight
    # unless the caller sets one (benchmarks/overload.py measures the bound).
    env = dict(os.environ, CASEGRAPH_API_RATE_PER_S="1000000", CASEGRAPH_API_RATE_BURST="1000000",
               CASEGRAPH_API_MAX_IN_FLIGHT=os.environ.get("CASEGRAPH_API_MAX_IN_FLIGHT", "1000000"),
               PYTHONPATH=os.pathsep.join([tree or os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1",
                                "--port", str(port), "--workers", str(workers), "--log-level", "warning",
                                "--timeout-keep-alive", "60",
                                "--no-access-log"], env=env, cwd=tree)  # `python -m` puts the cwd first on sys.path
    deadline = time.monotonic() + 300  # a loaded shared machine takes minutes to import and start
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


LOADGEN_SOURCE = Path(__file__).resolve().parent / "loadgen"


def build_loadgen(out_dir: Path) -> Path | None:
    """The Go load generator, built into `out_dir`; None when no Go toolchain is found."""
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if go is None:
        return None
    binary = out_dir / "loadgen"
    # GOTOOLCHAIN=local: never download another toolchain; the generator needs the standard library only.
    subprocess.run([go, "build", "-o", str(binary), "."], cwd=LOADGEN_SOURCE, check=True,
                   env=dict(os.environ, GOTOOLCHAIN="local", GOFLAGS="-mod=mod"))
    return binary


class GoClient:
    """Runs the load generator as a subprocess; its CPU comes from its own getrusage report."""

    name = "go loadgen (benchmarks/loadgen)"

    def __init__(self, binary: Path, identifiers: list[str], work_dir: Path) -> None:
        self.binary = binary
        self.ids_file = work_dir / "identifiers.txt"
        self.ids_file.write_text("\n".join(identifiers) + "\n", encoding="utf-8")

    def run(self, base: str, headers: dict[str, str], total: int, concurrency: int,
            rate: float = 0) -> dict[str, Any]:
        command = [str(self.binary), "-url", f"{base}/v1/lookup", "-ids", str(self.ids_file), "-n", str(total),
                   "-c", str(concurrency), "-rate", str(rate), "-query", urllib.parse.urlencode({"purpose": PURPOSE})]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        out = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        return {"rps": out["rps"], "p50": out["p50_ms"], "p99": out["p99_ms"], "client_cpu_s": out["client_cpu_s"],
                "statuses": {int(k): v for k, v in out["statuses"].items()}}


class PythonClient:
    """The fallback: httpx in this process (~5 ms of CPU per request: it competes with the server)."""

    name = "python httpx (fallback: no Go toolchain; its CPU competes with the server's)"

    def __init__(self, identifiers: list[str]) -> None:
        self.identifiers = identifiers

    def run(self, base: str, headers: dict[str, str], total: int, concurrency: int,
            rate: float = 0) -> dict[str, Any]:
        if rate:
            raise SystemExit("--rate needs the Go load generator (no Go toolchain found)")
        cpu0 = time.process_time()
        rps, latencies, statuses = asyncio.run(_load(base, headers, self.identifiers, total, concurrency))
        return {"rps": rps, "p50": _percentile(latencies, 0.5) * 1000, "p99": _percentile(latencies, 0.99) * 1000,
                "client_cpu_s": time.process_time() - cpu0, "statuses": statuses}


def _measured_run(client: GoClient | PythonClient, base: str, headers: dict[str, str], total: int,
                  concurrency: int, server_pid: int, neo4j_pid: int | None, rate: float) -> dict[str, Any]:
    """One run: throughput, latency percentiles, and CPU ms per request of client, server and Neo4j."""
    cpu0 = (process_tree_cpu(server_pid), process_tree_cpu(neo4j_pid))
    run = client.run(base, headers, total, concurrency, rate)
    cpu1 = (process_tree_cpu(server_pid), process_tree_cpu(neo4j_pid))
    server, neo4j = ((b - a) * 1000 / total for a, b in zip(cpu0, cpu1, strict=True))
    return {**run, "client_cpu": run["client_cpu_s"] * 1000 / total, "server_cpu": server, "neo4j_cpu": neo4j}


def audit_append_rates(appends: int = 400, concurrency: int = 16) -> tuple[float, float]:
    """Audit appends/s one at a time (an fsync of the spool each) and with `concurrency` threads (group commit)."""
    settings = load_settings()
    log = AuditLog(get_driver(settings), settings.neo4j_database, settings.audit_spool)
    def record() -> AuditRecord:  # a record per call: each has its own id
        return AuditRecord(user="bench", agency="bench", role="investigator", action="lookup", method="GET",
                           path="/v1/lookup", params={"identifier": "13800000000"}, purpose=PURPOSE,
                           returned=["phone:13800000000"], status=200)

    try:
        log.append(record())  # start the writer thread and warm the statements
        started = time.perf_counter()
        for _ in range(appends // 4):
            log.append(record())
        serial = (appends // 4) / (time.perf_counter() - started)

        def worker(n: int) -> None:
            for _ in range(n):
                log.append(record())

        threads = [threading.Thread(target=worker, args=(appends // concurrency,)) for _ in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        grouped = (appends // concurrency * concurrency) / (time.perf_counter() - started)
    finally:
        log.close()
    return serial, grouped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=8,
                        help="connections of the closed-loop client, each with one request in flight")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0,
                        help="open loop at this many requests/s (latency from each request's due time); "
                             "0: closed loop at full speed")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--mix", default="0.6,0.3,0.1", help="shares of shared,restricted,sealed documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", default="ceiling,off,on",
                        help="which of ceiling, off, on, on-ref to run, in order; a mode named again runs again "
                             "(on-ref,on,on-ref,on interleaves them) and its runs are pooled")
    parser.add_argument("--ref-tree", help="mode on-ref: the API as served from this other source tree "
                                           "(e.g. `git worktree add /tmp/ref main`), for before/after in one run")
    parser.add_argument("--client", choices=["go", "python"], default="go",
                        help="go: benchmarks/loadgen (falls back to python when Go is missing)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lookup-bench-") as work_dir:
        _run(args, Path(work_dir))


def _run(args: argparse.Namespace, work_dir: Path) -> None:
    mix = [float(x) for x in args.mix.split(",")]
    key, identifiers = _prepare(mix, args.seed, sample=500)
    binary = build_loadgen(work_dir) if args.client == "go" else None
    client: GoClient | PythonClient = (GoClient(binary, identifiers, work_dir) if binary is not None
                                       else PythonClient(identifiers))
    print(f"client: {client.name}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; "
          f"{len(identifiers)} identifiers, {args.requests} requests x {args.repeat}, "
          f"concurrency {args.concurrency}, "
          f"{f'open loop at {args.rate:g} req/s' if args.rate else 'closed loop'}, "
          f"uvicorn workers {args.workers}, sharing mix {args.mix}")
    serial, grouped = audit_append_rates()
    print(f"audit log alone: {serial:.0f} appends/s one at a time, {grouped:.0f} appends/s with 16 waiting "
          f"(group commit), load {os.getloadavg()[0]:.1f}")
    known = {"ceiling": ("benchmarks.lookup:ceiling_app", {}),
             "off": ("benchmarks.lookup:baseline_app", {}),
             "on": ("casegraph.api.app:create_app", {"Authorization": f"Bearer {key}"}),
             "on-ref": ("casegraph.api.app:create_app", {"Authorization": f"Bearer {key}"})}
    neo4j_pid = _neo4j_pid()
    results: dict[str, list[dict[str, Any]]] = {}
    for mode in args.modes.split(","):
        target, headers = known[mode]
        port = _free_port()
        server = _serve(target, port, args.workers, args.ref_tree if mode == "on-ref" else None)
        try:
            base = f"http://127.0.0.1:{port}"
            client.run(base, headers, min(500, args.requests), args.concurrency)  # warm-up
            runs = results.setdefault(mode, [])  # a mode named twice (on-ref,on,on-ref,on) interleaves
            for _ in range(args.repeat):
                run = _measured_run(client, base, headers, args.requests, args.concurrency, server.pid, neo4j_pid,
                                    args.rate)
                runs.append(run)
                print(f"{mode:>7} run {len(runs)}: {run['rps']:7.1f} req/s  p50 {run['p50']:6.1f} ms  "
                      f"p99 {run['p99']:6.1f} ms  CPU ms/request: client {run['client_cpu']:.2f} "
                      f"server {run['server_cpu']:.2f} neo4j {run['neo4j_cpu']:.2f}  "
                      f"load {os.getloadavg()[0]:.1f}  statuses {dict(sorted(run['statuses'].items()))}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (status 0: dropped connection)")

    def median(mode: str, figure: str) -> float:
        return statistics.median(r[figure] for r in results[mode])

    for mode in results:
        print(f"{mode:>7} median: {median(mode, 'rps'):7.1f} req/s  p50 {median(mode, 'p50'):6.1f} ms  "
              f"p99 {median(mode, 'p99'):6.1f} ms  CPU ms/request: client {median(mode, 'client_cpu'):.2f} "
              f"server {median(mode, 'server_cpu'):.2f} neo4j {median(mode, 'neo4j_cpu'):.2f}")
    if "on" in results and "on-ref" in results:
        print(f"ratio on/on-ref: throughput {median('on', 'rps') / median('on-ref', 'rps'):.2f}x, "
              f"server CPU {median('on', 'server_cpu') / median('on-ref', 'server_cpu'):.2f}x, "
              f"Neo4j CPU {median('on', 'neo4j_cpu') / max(median('on-ref', 'neo4j_cpu'), 1e-9):.2f}x")
    if "on" in results and "off" in results:
        print(f"ratio on/off: throughput {median('on', 'rps') / median('off', 'rps'):.2f}x, "
              f"p50 {median('on', 'p50') / median('off', 'p50'):.2f}x, "
              f"p99 {median('on', 'p99') / median('off', 'p99'):.2f}x, "
              f"server CPU {median('on', 'server_cpu') / median('off', 'server_cpu'):.2f}x")


if __name__ == "__main__":
    main()
