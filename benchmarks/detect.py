"""Ring detection timings on a ledger corpus: projection rate, each stage, and networkx vs igraph.

    PYTHONPATH=. python benchmarks/detect.py --corpus /tmp/corpus-large [--repeat 3]

Prints CPU seconds of this process (single-threaded; the machine is shared, so wall time would
count other people's work), stage wall times inside find_rings, and:
- ledger read + projection (`from_ledgers`): seconds and ledger rows/s;
- with --neo4j-transfers N: the read from Neo4j (`from_neo4j`, see benchmarks/projection_read.py) of the
  corpus's first N transfers (all: 1664631 on `large`), first read apart, then --neo4j-reads warm ones;
  --neo4j-data DIR --neo4j-keep keep the loaded database for the next run (--neo4j-only: nothing else);
- `from_records` build rate in relationships/s (median of --repeat runs), fed with the graph's own
  edges as plain dicts, once with epoch floats and once with ISO strings (what Neo4j gives);
- every stage of `find_rings` and the total;
- weakly connected components on the account graph, networkx vs python-igraph (conversion timed
  apart), and bounded cycle search (3..6) on the large-transfer subgraph: `nx.simple_cycles`
  with `length_bound` vs igraph `simple_cycles`, with the ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx

from casegraph.detect import DetectionParams, find_rings
from casegraph.graph.ledgers import CHINA_TZ
from casegraph.graph.projection import from_ledgers, from_records


def clock(run: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of this process (the machine is shared: wall time includes other people's work)."""
    started = time.process_time()
    value = run()
    return time.process_time() - started, value


def median_time(run: Callable[[], Any], repeat: int) -> float:
    return statistics.median(clock(run)[0] for _ in range(repeat))


def edge_records(graph: nx.MultiDiGraph, iso: bool) -> list[dict[str, Any]]:
    records = []
    for src, dst, data in graph.edges(data=True):
        record = dict(data)
        record["from"], record["to"] = src, dst
        if iso:
            record["at"] = datetime.fromtimestamp(data["at"], CHINA_TZ).isoformat()
        records.append(record)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description="ring detection benchmark")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--min-cycle-amount", type=float, default=20_000.0,
                        help="transfers at least this large form the cycle-comparison subgraph")
    parser.add_argument("--neo4j-transfers", type=int, default=0,
                        help="also load this many transfers into a throw-away Neo4j and time from_neo4j")
    parser.add_argument("--neo4j-reads", type=int, default=5,
                        help="warm from_neo4j reads per path and agency, after the first (reported apart)")
    parser.add_argument("--neo4j-paths", default="procedure,cypher", help="from_neo4j read paths, comma-separated")
    parser.add_argument("--neo4j-data", type=Path, default=None,
                        help="database folder for --neo4j-transfers, reused when it already holds them")
    parser.add_argument("--neo4j-keep", action="store_true", help="leave that server running")
    parser.add_argument("--neo4j-only", action="store_true", help="stop after the from_neo4j figures")
    args = parser.parse_args()
    ledgers = sorted(p for p in args.corpus.rglob("ledger_*") if p.suffix in (".csv", ".xlsx"))
    rows = sum(1 for p in ledgers if p.suffix == ".csv" for _ in p.open("rb")) - len(ledgers)
    print(f"corpus {args.corpus}: {len(ledgers)} ledgers, ~{rows} csv data rows")

    seconds, graph = clock(lambda: from_ledgers(ledgers))
    edges = graph.number_of_edges()
    print(f"from_ledgers: {seconds:.1f} s, {rows / seconds:,.0f} ledger rows/s, "
          f"{graph.number_of_nodes()} accounts, {edges} transfers after dedupe")

    if args.neo4j_transfers:
        from benchmarks.projection_read import measure
        measure(graph, args.neo4j_transfers, args.neo4j_reads, args.neo4j_data, args.neo4j_keep,
                tuple(args.neo4j_paths.split(",")))
        if args.neo4j_only:
            return

    for iso in (False, True):
        times, plain = [], []
        for _ in range(args.repeat):
            batch = edge_records(graph, iso)
            times.append(clock(lambda b=batch: from_records([], b))[0])  # type: ignore[misc]
            if not iso:  # the same edges through networkx's own bulk call, for the ratio
                triples = [(r.pop("from"), r.pop("to"), r) for r in edge_records(graph, iso)]
                plain.append(clock(lambda t=triples: nx.MultiDiGraph().add_edges_from(t))[0])  # type: ignore[misc]
            del batch
        label = "ISO strings" if iso else "epoch floats"
        line = (f"from_records ({label}): median {statistics.median(times):.2f} s, "
                f"{edges / statistics.median(times):,.0f} relationships/s")
        if plain:
            line += (f"; nx add_edges_from {edges / statistics.median(plain):,.0f}/s, "
                     f"ratio {statistics.median(plain) / statistics.median(times):.2f}x")
        print(line)

    wall_started = time.perf_counter()
    total, result = clock(lambda: find_rings(graph, DetectionParams()))
    wall = time.perf_counter() - wall_started
    for stage, spent in result.timings.items():
        print(f"  stage {stage:18s} {spent:8.2f} s")
    print(f"find_rings total: {total:.1f} s CPU ({wall:.1f} s wall), {len(result.rings)} rings, "
          f"{len(result.above_threshold())} above threshold")

    simple = nx.DiGraph(graph)
    nx_cc = median_time(lambda: sum(1 for _ in nx.weakly_connected_components(simple)), args.repeat)
    convert, igraph = clock(lambda: ig.Graph.from_networkx(simple))
    ig_cc = median_time(lambda: len(igraph.connected_components(mode="weak")), args.repeat)
    print(f"weak components: networkx {nx_cc:.3f} s, igraph {ig_cc:.3f} s (+{convert:.1f} s conversion), "
          f"ratio nx/igraph {nx_cc / ig_cc:.1f}")

    floor = args.min_cycle_amount
    big = nx.DiGraph((u, v) for u, v, a in graph.edges(data="amount") if a >= floor and u != v)
    nx_cycles_time, nx_cycles = clock(
        lambda: sum(1 for c in nx.simple_cycles(big, length_bound=6) if len(c) >= 3))
    big_ig = ig.Graph.from_networkx(big)
    ig_cycles_time, ig_cycles = clock(lambda: len(big_ig.simple_cycles(min=3, max=6)))
    print(f"bounded cycles (3..6) on {big.number_of_nodes()} accounts / {big.number_of_edges()} pairs "
          f">= {args.min_cycle_amount:,.0f} yuan: networkx {nx_cycles_time:.2f} s ({nx_cycles} cycles), "
          f"igraph {ig_cycles_time:.2f} s ({ig_cycles} cycles), ratio nx/igraph "
          f"{nx_cycles_time / max(ig_cycles_time, 1e-6):.1f}; temporal search in find_rings "
          f"{result.timings['cycle']:.2f} s on all transfers")


if __name__ == "__main__":
    main()
