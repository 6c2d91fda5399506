"""Shedding under overload (issue 22): lookups offered at 1x, 4x and 16x the measured capacity.

Usage (a local Neo4j holding an ingested corpus, as for benchmarks/lookup.py):
    PYTHONPATH=. python benchmarks/overload.py [--seconds 30] [--levels 1,4,16] [--connections 512]

First the capacity: a closed loop at full speed (16 connections) against `casegraph serve`'s app with no bound
(API key, purpose, sharing, masking, audit; the per-key rate limit lifted, so one key can offer
the load). Then for each level an open loop (benchmarks/loadgen: each request timed from when it
was due, no coordinated omission) at level x capacity for --seconds. Per level it prints what was
answered (2xx) and its p50/p99, the share shed (503 `overloaded`), any other 5xx (the target is 0),
and the slowest /health answer seen while the load ran (health is never shed), the API server's CPU
seconds, and from the two levels that shed most the server's CPU per answered and per shed call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx

from benchmarks.lookup import PURPOSE, _free_port, _prepare, _serve, build_loadgen
from benchmarks.proc_cpu import process_tree_cpu
from casegraph.settings import Settings


def _loadgen(binary: Path, ids: Path, base: str, key: str, total: int, connections: int,
             rate: float) -> dict[str, Any]:
    command = [str(binary), "-url", f"{base}/v1/lookup", "-ids", str(ids), "-n", str(total), "-c", str(connections),
               "-rate", str(rate), "-timeout", "10s", "-query", urllib.parse.urlencode({"purpose": PURPOSE}),
               "-H", f"Authorization: Bearer {key}"]
    out: dict[str, Any] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return out


class HealthProbe(threading.Thread):
    """GET /health every 100 ms while the load runs; keeps the slowest answer and any failure."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.slowest_ms, self.failures, self.done = base, 0.0, 0, threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                try:
                    ok = client.get(f"{self.base}/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.slowest_ms = max(self.slowest_ms, (time.perf_counter() - started) * 1000)
                self.failures += not ok
                self.done.wait(0.1)


def _call_costs(costs: list[tuple[int, int, float]]) -> str:
    """The API server's CPU per answered and per shed call, from the two levels that shed the most
    (CPU = a x answered + b x shed, solved for a and b): what a shed call costs against a lookup."""
    (a1, s1, c1), (a2, s2, c2) = sorted(costs, key=lambda c: c[1])[-2:]
    det = a1 * s2 - a2 * s1
    if not det:
        return "server CPU per call: not separable from these levels"
    per_answered, per_shed = (c1 * s2 - c2 * s1) / det, (a1 * c2 - a2 * c1) / det
    return (f"server CPU per call (solved from the two levels that shed most): answered {per_answered * 1000:.2f} ms, "
            f"shed {per_shed * 1000:.3f} ms (ratio {per_answered / per_shed if per_shed > 0 else float('nan'):.0f})")


def _capacity(binary: Path, ids: Path, key: str) -> dict[str, Any]:
    """The closed loop at full speed against a server with no bound at all (no goal, no ceiling).

    Measured on the bounded server, a closed loop measures the bound instead: once the bound is below
    the loop's 16 connections, the others get an instant 503 and loop again, so 3,000 calls end in a
    fraction of a second with a handful answered (36/s on an idle machine that answers 450/s).
    """
    saved = {name: os.environ.pop(name, None) for name in ("CASEGRAPH_API_LATENCY_GOAL_MS",
                                                            "CASEGRAPH_API_MAX_IN_FLIGHT")}
    port = _free_port()
    server = _serve("casegraph.api.app:create_app", port, workers=1)
    try:
        base = f"http://127.0.0.1:{port}"
        _loadgen(binary, ids, base, key, 400, 16, 0)  # warm-up: caches, JIT, the page cache
        return _loadgen(binary, ids, base, key, 3000, 16, 0)
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.environ.update({name: value for name, value in saved.items() if value is not None})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--connections", type=int, default=512, help="open-loop connections of the load generator")
    args = parser.parse_args()
    # The served app's bound: the setting's default unless the environment sets one.
    os.environ.setdefault("CASEGRAPH_API_MAX_IN_FLIGHT", str(Settings.model_fields["api_max_in_flight"].default))
    with tempfile.TemporaryDirectory(prefix="overload-bench-") as work:
        binary = build_loadgen(Path(work))
        if binary is None:
            raise SystemExit("benchmarks/overload.py needs Go for benchmarks/loadgen")
        key, identifiers = _prepare([0.6, 0.3, 0.1], seed=1, sample=500)
        ids = Path(work) / "identifiers.txt"
        ids.write_text("\n".join(identifiers) + "\n", encoding="utf-8")
        closed = _capacity(binary, ids, key)
        # what was answered, not what was offered: a 503 is no capacity
        capacity = dict(closed, rps=closed["statuses"].get("200", 0) / closed["seconds"])
        port = _free_port()
        server = _serve("casegraph.api.app:create_app", port, workers=1)
        base = f"http://127.0.0.1:{port}"
        try:
            _loadgen(binary, ids, base, key, 400, 16, 0)  # warm-up
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
                  f"load average {os.getloadavg()[0]:.1f}; "
                  f"in-flight ceiling {os.environ['CASEGRAPH_API_MAX_IN_FLIGHT']}, "
                  f"latency goal {os.environ.get('CASEGRAPH_API_LATENCY_GOAL_MS', 'off')} ms")
            print(f"capacity (closed loop, 16 connections, unbounded server): {capacity['rps']:.0f} req/s, "
                  f"p99 {capacity['p99_ms']:.0f} ms, statuses {capacity['statuses']}")
            if not capacity["rps"]:
                raise SystemExit("no call answered in the capacity run (all shed): too loaded a machine to measure")
            print("level  offered/s  answered/s  answered p50  answered p99  shed 503  other 5xx  "
                  "health slowest  load  server CPU")
            costs: list[tuple[int, int, float]] = []  # (answered, shed, server CPU s) per level
            for level in (float(x) for x in args.levels.split(",")):
                rate = level * capacity["rps"]
                probe = HealthProbe(base)
                probe.start()
                cpu_before = process_tree_cpu(server.pid)
                run = _loadgen(binary, ids, base, key, int(rate * args.seconds), args.connections, rate)
                cpu = process_tree_cpu(server.pid) - cpu_before
                probe.done.set()
                probe.join()
                statuses = {int(k): v for k, v in run["statuses"].items()}
                answered = sum(v for k, v in statuses.items() if 200 <= k < 300)
                costs.append((answered, statuses.get(503, 0), cpu))
                other_5xx = sum(v for k, v in statuses.items() if k >= 500 and k != 503) + statuses.get(0, 0)
                failed = f" (failed {probe.failures})" if probe.failures else ""
                print(f"{level:>4g}x  {rate:9.0f}  {answered / run['seconds']:10.0f}  "
                      f"{run['ok_p50_ms']:9.1f} ms  {run['ok_p99_ms']:9.1f} ms  "
                      f"{statuses.get(503, 0) / run['requests']:7.1%}  {other_5xx:9d}  "
                      f"{probe.slowest_ms:9.0f} ms{failed}  "
                      f"{os.getloadavg()[0]:.1f}  {cpu:6.1f} s   statuses {dict(sorted(statuses.items()))}")
            print(_call_costs(costs))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
