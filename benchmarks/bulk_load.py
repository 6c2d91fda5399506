"""Bulk first load (`casegraph load`) against the transactional `ingest`, on one generated corpus, in one run.

Both paths start from an emptied graph with the corpus's agencies registered and take every agency
folder in truth.json's order with the same extraction workers. Printed: each path's end-to-end
wall time and their ratio, the load's stages (extraction, the fold into one graph, resolution in
memory, CSV, Neo4j's importer, the switch with migrations, the linker's pass on the new store), the
store-writing rate (entity mentions per second of the CSV stage, of the importer's own work as it
reports it, without its JVM's start, and of the two together), and peak memory (this process; the largest child: an
extraction worker or the importer's JVM).

It empties and replaces the local server's store (CASEGRAPH_HOME, CASEGRAPH_NEO4J_PORT): run it
against a scratch server only.
Run: PYTHONPATH=. python benchmarks/bulk_load.py --corpus /tmp/corpus-medium [--skip-ingest]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.ingest import bench_corpus, empty, register_corpus_agencies
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.ingest.bulk import LoadReport, bulk_load
from casegraph.ingest.run import default_workers
from casegraph.ingest.stage_clock import StageClock
from casegraph.settings import load_settings


def run_load(corpus: Path, workers: int) -> tuple[float, LoadReport]:
    settings = load_settings()
    driver = get_driver(settings)
    empty(driver, settings.neo4j_database)
    agency_ids = register_corpus_agencies(driver, settings.neo4j_database, corpus)
    folders = [corpus / agency_id for agency_id in agency_ids if (corpus / agency_id).is_dir()]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as home:
        report = bulk_load(settings, folders, None, Path(home), workers=workers)
    return time.perf_counter() - start, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus-medium"))
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--skip-ingest", action="store_true", help="the bulk load alone (e.g. the large corpus)")
    args = parser.parse_args()
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, load average {os.getloadavg()}")
    ingest_s = None
    settings = load_settings()
    whole = StageClock(LocalServer(settings)._pid)
    if not args.skip_ingest:
        with whole.stage("ingest"):
            ingest_s = bench_corpus(get_driver(settings), settings.neo4j_database, args.corpus, args.workers)
    with whole.stage("load"):
        load_s, report = run_load(args.corpus, args.workers)
    workers = args.workers
    print(f"bulk load ({args.corpus.name}, {args.workers} extraction workers): {report.loaded} documents, "
          f"{len(report.quarantined)} quarantined, {report.transactions} ledger rows, "
          f"{report.mentions} entity mentions, {report.nodes} nodes, {report.relationships} relationships, "
          f"{report.linked.merges} merges in {load_s:.1f} s")
    print("  stages, wall: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.seconds.items()))
    print("  stages, CPU s (this process + its workers/importer + the server): " + ", ".join(
        f"{stage} {c.own:.1f}+{c.children:.1f}+{c.server:.1f}" for stage, c in report.cpu.items()))
    extract = report.cpu["extract"]
    print(f"  extraction: {extract.own + extract.children:.1f} CPU s in {report.seconds['extract']:.1f} wall s = "
          f"{(extract.own + extract.children) / report.seconds['extract']:.2f} cores busy of {workers} workers")
    print("  switch: " + ", ".join(f"{part} {seconds:.1f} s" for part, seconds in report.switch_parts.items()))
    csv_s, importer = report.seconds["csv"], report.seconds["import"]
    work = report.importer_work or importer
    print(f"  store writing: CSV {report.mentions / csv_s:,.0f} entity mentions/s "
          f"({(report.nodes + report.relationships) / csv_s:,.0f} rows/s); importer's own work "
          f"{report.mentions / work:,.0f} mentions/s ({work:.1f} s of its {importer:.1f} s with the JVM's start); "
          f"CSV + importer's work {report.mentions / (csv_s + work):,.0f} mentions/s")
    print(f"  resolution in memory: {report.linked.merges} merges, {report.linked.candidates} candidates in "
          f"{report.seconds['resolve']:.1f} s; the linker's pass on the new store: {report.relinked.merges} merges")
    if ingest_s is not None:
        ingest_cpu, load_cpu = whole.cpu["ingest"], whole.cpu["load"]
        print(f"  end to end: ingest {ingest_s:.1f} s / load {load_s:.1f} s = {ingest_s / load_s:.2f}x wall; CPU "
              f"(this process + workers/importer + server) ingest {ingest_cpu.own:.1f}+{ingest_cpu.children:.1f}"
              f"+{ingest_cpu.server:.1f} = {ingest_cpu.total:.1f} s / load {load_cpu.own:.1f}+{load_cpu.children:.1f}"
              f"+{load_cpu.server:.1f} = {load_cpu.total:.1f} s = {ingest_cpu.total / load_cpu.total:.2f}x")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak memory: this process {own:.0f} MB, largest child {children:.0f} MB")


if __name__ == "__main__":
    main()
