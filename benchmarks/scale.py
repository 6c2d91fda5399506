"""Growth curves: each stage's time and peak memory at several corpus sizes, and its fitted exponent.

For each corpus given (generated ones, e.g. small, medium, large), in this order:
- ingest: every agency folder through the transactional `ingest` (skipped above --ingest-max-docs);
- load: the same folders through `casegraph load` (Neo4j's importer), which leaves the graph for:
- lookups: --lookups identifier lookups (phones and accounts drawn from the graph) as an investigator,
  through `graph.lookups.lookup` (the API's query, without HTTP): median milliseconds per lookup;
- detection: ring detection on the whole graph (`detect_on_graph`: projection read plus find_rings).
Each stage runs in a forked child, so its peak resident memory (`wait4`) is its own; extraction
workers and the Neo4j server are other processes and not in it. The exponent k of time ~ n^k is
the least-squares slope of log(time) on log(documents) over the sizes measured. n log n over a
10x step shows as k ≈ 1.1; a stage well above that grows faster than n log n.

It empties and replaces the local server's store: run it against a scratch server only.
Run: PYTHONPATH=. python benchmarks/scale.py --corpora /tmp/corpus-small,/tmp/corpus-medium,/tmp/corpus-large
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGES = ("ingest", "load", "lookups", "detection")


def _in_child(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `work` in a forked child; its result plus the child's peak RSS in MB."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no driver or pool inherited in use (the parent opens none)
        os.close(read)
        try:
            result = work()
        except BaseException as exc:  # reported to the parent, which prints it
            result = {"error": repr(exc)}
        with os.fdopen(write, "w") as out:
            out.write(json.dumps(result))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    _, _, usage = os.wait4(pid, 0)
    return json.loads(text or '{"error": "no result"}') | {"peak_mb": usage.ru_maxrss / 1024}


def _ingest(corpus: Path, workers: int) -> dict[str, Any]:
    from benchmarks.ingest import bench_corpus
    from casegraph.graph.connection import get_driver
    from casegraph.settings import load_settings

    settings = load_settings()
    return {"seconds": bench_corpus(get_driver(settings), settings.neo4j_database, corpus, workers)}


def _load(corpus: Path, workers: int) -> dict[str, Any]:
    from benchmarks.bulk_load import run_load

    seconds, report = run_load(corpus, workers)
    return {"seconds": seconds, "documents": report.loaded, "mentions": report.mentions, "stages": report.seconds,
            "importer_work": report.importer_work,
            "cpu": {stage: round(c.total, 1) for stage, c in report.cpu.items()}, "switch_parts": report.switch_parts,
            "nodes": report.nodes, "relationships": report.relationships,
            "merges": report.linked.merges, "candidates": report.linked.candidates,
            "merges_after_switch": report.relinked.merges}


def _lookups(count: int) -> dict[str, Any]:
    from casegraph.access.caller import Caller
    from casegraph.errors import InvalidInput
    from casegraph.graph.connection import get_driver
    from casegraph.graph.lookups import lookup
    from casegraph.settings import load_settings

    settings = load_settings()
    driver = get_driver(settings)
    records, _, _ = driver.execute_query("MATCH (n) WHERE n:Phone OR n:Account RETURN n.key AS key",
                                         database_=settings.neo4j_database)
    keys = [r["key"] for r in records]
    random.Random(1).shuffle(keys)
    caller = Caller("scale-bench", "cq-police", "investigator", "scale")
    times = []
    refused = 0
    for key in keys:
        if len(times) == count:
            break
        start = time.perf_counter()
        try:
            lookup(driver, settings.neo4j_database, caller, key.split(":", 1)[1])
        except InvalidInput:  # a ledger's short account number: no identifier an investigator can look up
            refused += 1
            continue
        times.append(time.perf_counter() - start)
    return {"seconds": sum(times), "median_ms": statistics.median(times) * 1000, "lookups": len(times),
            "refused": refused}


def _detection() -> dict[str, Any]:
    from casegraph.detect.jobs import detect_on_graph
    from casegraph.detect.params import DetectionParams
    from casegraph.graph.connection import get_driver
    from casegraph.settings import load_settings

    settings = load_settings()
    start = time.perf_counter()
    graph, result, stats = detect_on_graph(get_driver(settings), settings.neo4j_database, None, DetectionParams())
    return {"seconds": time.perf_counter() - start, "read_s": stats.seconds, "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(), "rings": len(result.rings)}


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) on log(x)."""
    points = [(x, y) for x, y in points if x > 0 and y > 0]
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    from casegraph.ingest.run import default_workers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", required=True, help="comma-separated generated corpus folders, small to large")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--ingest-max-docs", type=int, default=3000,
                        help="skip the transactional ingest of larger corpora (it takes ~1 h on `large` here)")
    args = parser.parse_args()
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, load average {os.getloadavg()}")
    rows: list[dict[str, Any]] = []
    for folder in args.corpora.split(","):
        corpus = Path(folder)
        documents = sum(1 for p in corpus.rglob("*") if p.is_file() and p.name != "truth.json")
        row: dict[str, Any] = {"corpus": corpus.name, "documents": documents}
        if documents <= args.ingest_max_docs:
            row["ingest"] = _in_child(lambda corpus=corpus: _ingest(corpus, args.workers))
        row["load"] = _in_child(lambda corpus=corpus: _load(corpus, args.workers))
        row["lookups"] = _in_child(lambda: _lookups(args.lookups))
        row["detection"] = _in_child(_detection)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n| stage | {' | '.join(r['corpus'] + ' (' + str(r['documents']) + ' files)' for r in rows)} | exponent |")
    print("| --- |" + " --- |" * (len(rows) + 1))
    for stage in STAGES:
        cells = []
        points = []
        for r in rows:
            m = r.get(stage)
            if m is None or "error" in m:
                cells.append("–" if m is None else f"error: {m['error'][:60]}")
                continue
            extra = f", {m['median_ms']:.1f} ms/lookup" if stage == "lookups" else ""
            cells.append(f"{m['seconds']:.1f} s, {m['peak_mb']:.0f} MB{extra}")
            # Lookups: the per-lookup time is what grows (their number is fixed).
            points.append((r["documents"], m["median_ms"] if stage == "lookups" else m["seconds"]))
        k = exponent(points)
        print(f"| {stage} | {' | '.join(cells)} | {'–' if k is None else f'{k:.2f}'} |")
    _load_stages(rows)


def _load_stages(rows: list[dict[str, Any]]) -> None:
    """The load's own stages (wall seconds) with their exponents, and `ingest`/`load` per size."""
    loads = [(r, r["load"]) for r in rows if "load" in r and "error" not in r["load"]]
    if not loads:
        return
    for stage in loads[0][1]["stages"]:
        points = [(r["documents"], m["stages"][stage]) for r, m in loads]
        k = exponent(points)
        cpu_points = [(r["documents"], m["cpu"][stage]) for r, m in loads]
        cpu_k = exponent(cpu_points)
        cells = " | ".join(f"{y:.1f} s ({c:.1f} CPU s)" for (_, y), (_, c) in zip(points, cpu_points, strict=True))
        fitted = f"{'–' if k is None else f'{k:.2f}'} (CPU {'–' if cpu_k is None else f'{cpu_k:.2f}'})"
        print(f"| load: {stage} | {cells} | {fitted} |")
    for r, m in loads:
        ingest = r.get("ingest")
        if ingest is not None and "error" not in ingest:
            print(f"{r['corpus']}: ingest {ingest['seconds']:.1f} s / load {m['seconds']:.1f} s = "
                  f"{ingest['seconds'] / m['seconds']:.2f}x; {m['mentions']} mentions, CSV "
                  f"{m['mentions'] / m['stages']['csv']:,.0f} mentions/s wall")


if __name__ == "__main__":
    main()
