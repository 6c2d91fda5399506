"""The API process's own CPU per lookup, without HTTP or a load generator: the ASGI app called directly.

On a shared machine wall-time throughput swings by ±20 % between runs, too much to see a change of
a tenth of the API's CPU. This drives `create_app()` (auth, sharing, masking, audit: all real, the
local Neo4j real) from the same event loop with --concurrency callers in a closed loop, and
reports CPU milliseconds of this process (event loop, driver and audit threads) per call; a tree
that spools its audit records ships them all (flush) before the clock stops.
Run it from two trees in turn for a before/after:

    PYTHONPATH=. python benchmarks/api_cpu.py --key <api key> [--calls 1000] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import urllib.parse
from pathlib import Path
from typing import Any

from benchmarks.lookup import PURPOSE, _neo4j_pid
from benchmarks.proc_cpu import process_cpu
from casegraph.api.app import create_app


async def _call(app: Any, query: str, headers: list[tuple[bytes, bytes]]) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/v1/lookup", "raw_path": b"/v1/lookup", "root_path": "", "query_string": query.encode(),
             "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}, "app": app}
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def run(key: str, identifiers: list[str], calls: int, concurrency: int) -> dict[str, float]:
    app = create_app()
    headers = [(b"authorization", f"Bearer {key}".encode()), (b"host", b"bench")]
    queries = [urllib.parse.urlencode({"identifier": i, "purpose": PURPOSE}) for i in identifiers]
    statuses: dict[int, int] = {}
    async with app.router.lifespan_context(app):
        for q in queries[:50]:  # warm the key cache, the driver's pool and the statements
            await _call(app, q, headers)
        counter = iter(range(calls))

        async def caller() -> None:
            for n in counter:
                status = await _call(app, queries[n % len(queries)], headers)
                statuses[status] = statuses.get(status, 0) + 1

        stats = getattr(app.state.audit_log, "stats", {})  # trees before the counters have none
        stats.update(batches=0, records=0, stale=0)
        neo4j_pid = _neo4j_pid()
        cpu0, neo0, wall0 = time.process_time(), process_cpu(neo4j_pid), time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        flush = getattr(app.state.audit_log, "flush", None)  # a spooling tree: its Neo4j work is counted too
        if flush is not None:
            await asyncio.to_thread(flush)
        cpu1, neo1, wall1 = time.process_time(), process_cpu(neo4j_pid), time.perf_counter()
    return {"cpu_ms": (cpu1 - cpu0) * 1000 / calls, "neo4j_cpu_ms": (neo1 - neo0) * 1000 / calls,
            "rps": calls / (wall1 - wall0),
            "records_per_commit": stats.get("records", 0) / max(1, stats.get("batches", 0)),
            "statuses": statuses}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", required=True)
    parser.add_argument("--identifiers", required=True, help="a file of identifiers, one a line")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    identifiers = [line.strip() for line in Path(args.identifiers).read_text(encoding="utf-8").splitlines()
                   if line.strip()]
    result = asyncio.run(run(args.key, identifiers, args.calls, args.concurrency))
    print(json.dumps({**result, "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
