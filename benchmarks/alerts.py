"""Watches and alerts (issue 19): what 10,000 watches cost the ingest, and the alert stream under
200 connected clients, against the configured Neo4j (the local server by default).

1. Ingest with and without watches: a generated corpus (default /tmp/alerts-medium; `--files N`
   takes the first N files of each agency folder) ingested into an emptied graph, alternately
   without watches and with `--watches` entity watches (keys the corpus names, so they do fire,
   spread over its agencies, half agency-wide and half per user): median seconds of each, the ratio,
   and the alerts raised. Target: with 10,000 watches at most 10 % slower.
   Generate the corpus with `casegraph demo generate --out /tmp/alerts-medium --seed 1 --scale medium`.
2. The stream: `casegraph serve` in a subprocess, `--clients` users of one agency connected to
   GET /v1/alerts/stream, an agency watch on a person, and another agency's document naming him
   written: every client must get the event; prints the delivery latency from the commit (median,
   p95, max) and the API process's CPU seconds while the clients sat idle for 10 s.

The graph is emptied before each measurement: run it against a scratch database only.
3. With `--detect`, after the last ingest (with its watches): two detection runs over the whole
   graph written back with their ring alerts; the second finds the same rings and raises none.
Run: PYTHONPATH=. python benchmarks/alerts.py [--corpus DIR] [--files N] [--repeat 3] [--clients 200] [--detect]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from neo4j import Driver

from benchmarks.ingest import add_server_pid_option, empty
from benchmarks.proc_cpu import process_cpu
from casegraph.alerts.watches import watch_spec
from casegraph.graph import alert_store, users
from casegraph.graph.connection import get_driver
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.graph.writer import write_documents
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.run import default_workers, ingest
from casegraph.settings import Settings, load_settings

KINDS = {"police": "police", "procuratorate": "procuratorate", "regulator": "regulator", "court": "court"}


def register(driver: Driver, db: str, agencies: list[str]) -> None:
    for agency in agencies:
        region, _, kind = agency.partition("-")
        driver.execute_query(cypher("agency_upsert"), id=agency, kind=KINDS.get(kind, kind), region=region.upper(),
                             name=agency, default_sharing="shared", database_=db)


def corpus_files(corpus: Path, per_agency: int | None) -> dict[str, list[Path]]:
    out = {}
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        files = sorted(iter_case_files([folder]))
        out[folder.name] = files[:per_agency] if per_agency else files
    return out


def ingest_all(driver: Driver, db: str, files: dict[str, list[Path]], home: Path) -> float:
    started = time.perf_counter()
    for agency, paths in files.items():
        ingest(driver, db, paths, agency, home, workers=default_workers())
    return time.perf_counter() - started


def entity_keys(driver: Driver, db: str, n: int, seed: int) -> list[tuple[str, str]]:
    records, _, _ = driver.execute_query(
        "MATCH (x) WHERE (x:Person OR x:Phone OR x:Account OR x:Organization) AND x.key IS NOT NULL "
        "RETURN x.key AS key", database_=db)
    keys = [r["key"] for r in records if not r["key"].startswith(("mention:", "split:"))]
    random.Random(seed).shuffle(keys)
    return [(k, "entity") for k in keys[:n]]


def add_watches(driver: Driver, db: str, keys: list[tuple[str, str]], agencies: list[str], seed: int) -> int:
    rng = random.Random(seed)
    batch = []
    for i, (key, _) in enumerate(keys):
        agency = rng.choice(agencies)
        batch.append((watch_spec("entity", key, agency), agency, None if i % 2 else f"{agency}-user{i % 7}"))
    return alert_store.add_entity_watches(driver, db, "benchmark", batch)


def own_cpu() -> float:
    """CPU seconds of this process and its reaped children (the extraction workers of each ingest)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def alert_count(driver: Driver, db: str) -> int:
    records, _, _ = driver.execute_query("MATCH (a:Alert) RETURN count(a) AS n", database_=db)
    return int(records[0]["n"])


def bench_ingest(driver: Driver, db: str, corpus: Path, per_agency: int | None, n_watches: int, repeat: int,
                 server_pid: int | None) -> None:
    files = corpus_files(corpus, per_agency)
    agencies = list(files)
    total = sum(len(v) for v in files.values())
    without: list[float] = []
    with_watches: list[float] = []
    cpu: dict[bool, list[float]] = {False: [], True: []}  # the server's CPU seconds: less load-dependent
    client: dict[bool, list[float]] = {False: [], True: []}  # casegraph's own (extraction, writer)
    keys: list[tuple[str, str]] = []
    alerts = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat):
            # Alternating which goes first, so that neither profits from the other's warm caches.
            for watched in ((False, True) if run % 2 == 0 else (True, False)):
                empty(driver, db)
                register(driver, db, agencies)
                if watched:
                    add_watches(driver, db, keys, agencies, seed=run)
                server_cpu, own = process_cpu(server_pid), own_cpu()
                seconds = ingest_all(driver, db, files, Path(tmp) / f"home{run}{watched}")
                cpu[watched].append(process_cpu(server_pid) - server_cpu)
                client[watched].append(own_cpu() - own)
                if watched:
                    with_watches.append(seconds)
                    alerts = alert_count(driver, db)
                else:
                    without.append(seconds)
                    keys = keys or entity_keys(driver, db, n_watches, seed=1)
                print(f"  run {run + 1} {'with' if watched else 'without'} watches: {seconds:.1f} s, "
                      f"server CPU {cpu[watched][-1]:.1f} s, casegraph CPU {client[watched][-1]:.1f} s", flush=True)
    a, b = statistics.median(without), statistics.median(with_watches)
    ca, cb = statistics.median(cpu[False]), statistics.median(cpu[True])
    oa, ob = statistics.median(client[False]), statistics.median(client[True])
    print(json.dumps({"files": total, "watches": len(keys), "without_s": round(a, 1), "with_s": round(b, 1),
                      "ratio": round(b / a, 3), "server_cpu_without_s": round(ca, 1), "server_cpu_with_s": round(cb, 1),
                      "casegraph_cpu_without_s": round(oa, 1), "casegraph_cpu_with_s": round(ob, 1),
                      "alerts": alerts, "repeat": repeat,
                      "load_avg": os.getloadavg()[0]}, ensure_ascii=False))
    if ca:
        print(f"| Neo4j CPU of that ingest | {ca:.1f} s -> {cb:.1f} s, x{cb / ca:.3f} | <= x1.10 | "
              f"{'met' if cb / ca <= 1.10 else 'NOT met'} |")
    print(f"| casegraph CPU of that ingest (extraction, writer) | {oa:.1f} s -> {ob:.1f} s, x{ob / oa:.3f} | "
          f"<= x1.10 | {'met' if ob / oa <= 1.10 else 'NOT met'} |")
    print(f"| ingest of {total} files, {len(keys)} watches vs none (median of {repeat}) | {a:.1f} s -> {b:.1f} s, "
          f"x{b / a:.3f} ({alerts} alerts) | <= x1.10 | {'met' if b / a <= 1.10 else 'NOT met'} |")


def bench_detection(driver: Driver, db: str, server_pid: int | None) -> None:
    """On the graph the last ingest left (with its watches): two detection runs over the whole graph,
    each written back with its ring alerts; the second finds the same rings and must raise none."""
    from datetime import UTC, datetime

    from casegraph.detect import DetectionParams
    from casegraph.detect.jobs import detect_on_graph, write_run

    for attempt in ("first", "again"):
        started = datetime.now(UTC)
        projection, result, stats = detect_on_graph(driver, db, None, DetectionParams())
        server_cpu, clock = process_cpu(server_pid), time.perf_counter()
        raised = write_run(driver, db, f"run-bench-{attempt}-{time.time_ns()}", None, projection, result, stats,
                           started)
        seconds, cpu = time.perf_counter() - clock, process_cpu(server_pid) - server_cpu
        print(f"| detection write-back ({attempt}): {len(result.rings)} rings, "
              f"{len(result.above_threshold())} reported | {seconds:.1f} s, Neo4j CPU {cpu:.1f} s | "
              f"{raised} ring alerts |", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _listen(base: str, key: str, got: dict[str, float], ready: asyncio.Event, connected: list[int]) -> None:
    async with httpx.AsyncClient(timeout=None) as client, client.stream(
            "GET", f"{base}/v1/alerts/stream", headers={"Authorization": f"Bearer {key}"}) as response:
        assert response.status_code == 200, response.status_code
        async for line in response.aiter_lines():
            if line.startswith(": connected"):
                connected.append(1)
                ready.set()
            if line.startswith("data: "):
                got[key] = time.monotonic()
                return


def _penalty(target: str) -> DocumentFacts:
    key = "doc:" + "b" * 64
    facts = DocumentFacts({"key": key, "sha256": "b" * 64, "agency": "sc-regulator", "path": "/bench/p.txt",
                           "filename": "p.txt", "kind": "penalty_decision", "sharing": "shared"})
    facts.nodes.append(NodeRow("Person", target, {"name": "张伟"}, ["CQ"]))
    facts.rels.append(RelRow("MENTIONED_IN", "Person", target, "Document", key, "0", {"start": 0, "end": 2}))
    return facts


async def _stream(settings: Settings, driver: Driver, db: str, n_clients: int) -> None:
    empty(driver, db)
    register(driver, db, ["cq-police", "sc-regulator"])
    keys = [users.add_user(driver, db, f"bench-{i}", "cq-police", "investigator", created_by="benchmark")[1]
            for i in range(n_clients)]
    target = "ric:500103198503124515"
    caller_key = keys[0]
    port = _free_port()
    env = {**os.environ, "CASEGRAPH_API_PORT": str(port), "NEO4J_URI": settings.uri,
           "NEO4J_PASSWORD": settings.neo4j_password or "", "CASEGRAPH_API_RATE_BURST": "100000"}
    server = subprocess.Popen([sys.executable, "-m", "casegraph.cli", "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                try:
                    if (await client.get(f"{base}/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
            created = await client.post(f"{base}/v1/watches", json={"kind": "entity", "value": target,
                                                                     "for_agency": True},
                                        headers={"Authorization": f"Bearer {caller_key}"})
            assert created.status_code == 201, created.text
        got: dict[str, float] = {}
        connected: list[int] = []
        ready = asyncio.Event()
        tasks = [asyncio.create_task(_listen(base, key, got, ready, connected)) for key in keys]
        while len(connected) < n_clients:
            await asyncio.sleep(0.1)
        idle_cpu = process_cpu(server.pid)
        await asyncio.sleep(10)
        idle_cpu = process_cpu(server.pid) - idle_cpu
        await asyncio.to_thread(write_documents, driver, db, [_penalty(target)])
        committed = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
        latencies = sorted(t - committed for t in got.values())
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        median = statistics.median(latencies)
        print(json.dumps({"clients": n_clients, "delivered": len(got), "median_s": round(median, 3),
                          "p95_s": round(p95, 3), "max_s": round(latencies[-1], 3),
                          "idle_api_cpu_s_per_10s": round(idle_cpu, 3)}))
        print(f"| stream: {n_clients} clients connected, one alert for all | {len(got)}/{n_clients} delivered, "
              f"median {statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s after the "
              f"commit; API CPU {idle_cpu:.2f} s per 10 s idle | all, within 5 s | "
              f"{'met' if len(got) == n_clients and latencies[-1] <= 5 else 'NOT met'} |")
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/alerts-medium"))
    parser.add_argument("--files", type=int, default=None, help="the first N files of each agency folder")
    parser.add_argument("--watches", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--detect", action="store_true", help="then two detection runs with their ring alerts")
    add_server_pid_option(parser)
    args = parser.parse_args()
    settings = load_settings()
    driver = get_driver(settings)
    db = settings.neo4j_database
    migrate(driver, db)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')} UTC")
    if not args.skip_ingest:
        bench_ingest(driver, db, args.corpus, args.files, args.watches, args.repeat, args.server_pid)
        if args.detect:
            bench_detection(driver, db, args.server_pid)
    if not args.skip_stream:
        asyncio.run(_stream(settings, driver, db, args.clients))


if __name__ == "__main__":
    main()
