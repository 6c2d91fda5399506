"""A hub's neighbour pages, statement against statement: page 1 and page 20 of one account with many
links, by this tree's `entity_neighbors_page.cypher` and, with --ref-tree, by another tree's (main's
offset pages take `skip`, the keyset pages `after`), alternated in one process so that the machine's
load falls on both alike. Prints the medians of the Neo4j server's CPU and of the wall time per page.

Usage (a local Neo4j holding the hub, e.g. after `benchmarks/ui.py --hub 50000`):
    PYTHONPATH=. python benchmarks/hub_pages.py [--key acct:6222990000000000009] [--ref-tree /work/main] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any, LiteralString, cast

from benchmarks.proc_cpu import process_cpu
from benchmarks.ui import HUB_NUMBER
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.queries import cypher
from casegraph.settings import load_settings

PAGE = 300
FAR = 20
STATEMENT = Path("casegraph/cypher/queries/entity_neighbors_page.cypher")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", default=f"acct:{HUB_NUMBER}")
    parser.add_argument("--ref-tree", type=Path, help="another checkout whose statement to time beside this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--agency", default="cq-police")
    args = parser.parse_args()
    settings = load_settings()
    driver, db = get_driver(settings), settings.neo4j_database
    pid = LocalServer(settings).status().pid if settings.uses_local_server else None
    eid = driver.execute_query("MATCH (n {key: $key}) RETURN elementId(n) AS eid", key=args.key,
                               database_=db).records[0]["eid"]
    base: dict[str, Any] = {"frontier": [eid], "limit": PAGE, "types": None, "rel_types": None, "since": None,
                            "until": None, "agency": args.agency}
    this = cypher("entity_neighbors_page")
    after = None
    for _ in range(FAR - 1):  # walk this tree's cursor to page FAR, as a user clicking "+N more" would
        rows = driver.execute_query(cast(LiteralString, this), **base, after=after, database_=db).records
        after = max(r["row"]["k"] for r in rows)
    cases: dict[str, tuple[str, dict[str, Any]]] = {"this tree, page 1": (this, {"after": None}),
                                                    f"this tree, page {FAR}": (this, {"after": after})}
    if args.ref_tree:
        ref = (args.ref_tree / STATEMENT).read_text(encoding="utf-8")
        cases = {"reference, page 1": (ref, {"skip": 0, "after": None}),
                 f"reference, page {FAR}": (ref, {"skip": PAGE * (FAR - 1), "after": None}), **cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    wall: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, (statement, extra) in cases.items():
            before, started = process_cpu(pid), time.perf_counter()
            driver.execute_query(cast(LiteralString, statement), **base, **extra, database_=db)
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((process_cpu(pid) - before) * 1000)
    print(f"hub {args.key}; {args.rounds} rounds; load {os.getloadavg()[0]:.1f}")
    print("| page | Neo4j CPU ms (median) | wall ms (median) |")
    print("| --- | ---: | ---: |")
    for name in cases:
        print(f"| {name} | {statistics.median(cpu[name]):.0f} | {statistics.median(wall[name]):.0f} |")


if __name__ == "__main__":
    main()
