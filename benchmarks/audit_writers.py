"""The audit log alone under API-like load: W writers (one per API process), each with T callers.

Each writer is an AuditLog on its own driver and its own spool journal (in a temporary directory),
as each uvicorn worker has; each caller appends in a closed loop, as a request in flight does; the
clock stops once every writer has flushed its spool into Neo4j. Prints records/s, the local Neo4j's
CPU per record, and the shipped batches: records per commit and how many commits found the head
moved by another writer. (The writers share this process's GIL, so the Python CPU figure is not an
API's.)

    PYTHONPATH=. python benchmarks/audit_writers.py [--writers 1,2] [--callers 4] [--records 400] [--ship-ms 200]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.proc_cpu import process_cpu
from casegraph.graph.audit_log import AuditLog, AuditRecord
from casegraph.graph.connection import _new_driver
from casegraph.graph.local_server import LocalServer
from casegraph.settings import load_settings


def _record() -> AuditRecord:  # a record per call: each has its own id
    return AuditRecord(user="bench", agency="bench", role="investigator", action="lookup", method="GET",
                       path="/v1/lookup", params={"identifier": "13800000000", "purpose": "川检刑诉(2023)17号"},
                       purpose="川检刑诉(2023)17号", returned=["phone:13800000000", "case:cq-police:x"], status=200)


def run(writers: int, callers: int, records: int, ship_s: float, spool: Path) -> dict[str, float]:
    settings = load_settings()
    pid = int(LocalServer(settings).pid_file.read_text().strip())
    logs = [AuditLog(_new_driver(settings), settings.neo4j_database, spool, ship_s=ship_s) for _ in range(writers)]
    for log in logs:
        log.append(_record())  # start the writer and find the head
        log.flush()
        log.stats.update(batches=0, records=0, stale=0)
    per_caller = max(1, records // (writers * callers))

    def caller(log: AuditLog) -> None:
        for _ in range(per_caller):
            log.append(_record())

    threads = [threading.Thread(target=caller, args=(log,)) for log in logs for _ in range(callers)]
    cpu0, wall0, own0 = process_cpu(pid), time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for log in logs:
        log.flush()
    cpu1, wall1, own1 = process_cpu(pid), time.perf_counter(), time.process_time()
    total = per_caller * len(threads)
    batches = sum(log.stats["batches"] for log in logs)
    stale = sum(log.stats["stale"] for log in logs)
    for log in logs:
        log.close()
        log._driver.close()
    return {"records": total, "rps": total / (wall1 - wall0), "neo4j_ms": (cpu1 - cpu0) * 1000 / total,
            "python_ms": (own1 - own0) * 1000 / total, "per_batch": total / max(1, batches),
            "stale": stale / max(1, batches)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="1,2")
    parser.add_argument("--callers", type=int, default=4, help="callers per writer (requests in flight per API)")
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--ship-ms", type=float, default=200.0)
    args = parser.parse_args()
    spool = Path(tempfile.mkdtemp(prefix="audit-writers-"))
    for _ in range(args.repeat):
        for writers in (int(w) for w in args.writers.split(",")):
            r = run(writers, args.callers, args.records, args.ship_ms / 1000, spool)
            print(f"writers {writers} x callers {args.callers}: {r['rps']:6.0f} records/s  Neo4j CPU "
                  f"{r['neo4j_ms']:.2f} ms/record  this process {r['python_ms']:.2f} ms/record  "
                  f"{r['per_batch']:.1f} records/commit  stale head {100 * r['stale']:.0f} % of commits  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
