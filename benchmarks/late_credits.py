"""What joining late credits costs: ring detection's ledger read, and the ingest writer.

`projection.from_ledgers` on statement files, with this checkout's code and with a baseline
checkout's (`--baseline-src`, e.g. the main branch before the change), alternated in fresh
processes; then, when `--ingest` files are given and CASEGRAPH_TEST_NEO4J_URI points at a server,
ingesting them with the late-credit pass and with it switched off, alternated in this process.
Medians of wall and CPU seconds and their ratios, one run.

    PYTHONPATH=. .venv/bin/python benchmarks/late_credits.py --ledgers /tmp/v/millions-seconds-statements/*.csv \
        --baseline-src /work/main --ingest /tmp/v/millions-seconds-statements/statement_bank2.csv
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_READ = """
import json, sys, time
from casegraph.graph.projection import from_ledgers
wall, cpu = time.perf_counter(), time.process_time()
g = from_ledgers(sys.argv[1:])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "edges": g.number_of_edges()}))
"""


def _read(src: str, ledgers: list[str]) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=src)
    done = subprocess.run([sys.executable, "-c", _READ, *ledgers], env=env, capture_output=True, text=True,
                          check=True, cwd=src)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ingest(files: list[Path], fold: bool) -> dict[str, float]:
    from casegraph.graph import writer
    from casegraph.graph.connection import get_driver
    from casegraph.graph.late_credits import fold_late_credits
    from casegraph.graph.migrate import migrate
    from casegraph.graph.queries import cypher
    from casegraph.ingest.run import ingest
    from casegraph.settings import Settings

    settings = Settings(NEO4J_URI=os.environ["CASEGRAPH_TEST_NEO4J_URI"],
                        NEO4J_PASSWORD=os.environ.get("CASEGRAPH_TEST_NEO4J_PASSWORD"))
    driver = get_driver(settings)
    db = settings.neo4j_database
    migrate(driver, db)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    driver.execute_query(cypher("agency_upsert"), id="cq-police", kind="police", region="CQ", name="重庆市公安局",
                         default_sharing="shared", database_=db)
    writer.fold_late_credits = fold_late_credits if fold else (lambda tx, rows: 0)  # type: ignore[assignment]
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        with tempfile.TemporaryDirectory() as home:
            ingest(driver, db, files, "cq-police", Path(home), link=False)
        result = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    finally:
        writer.fold_late_credits = fold_late_credits
    result["transfers"] = driver.execute_query("MATCH ()-[r:TRANSFERRED]->() RETURN count(r) AS n",
                                               database_=db).records[0]["n"]
    return result


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledgers", nargs="*", default=[])
    parser.add_argument("--baseline-src")
    parser.add_argument("--ingest", nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    ledgers = [str(Path(p).resolve()) for p in args.ledgers]
    print("| measure | this checkout | baseline | ratio |\n| --- | --- | --- | --- |")
    if ledgers and args.baseline_src:
        mine, base = [], []
        for _ in range(args.repeat):
            mine.append(_read(here, ledgers))
            base.append(_read(args.baseline_src, ledgers))
        for key in ("wall", "cpu"):
            a, b = _median(mine, key), _median(base, key)
            print(f"| from_ledgers {key} s (median of {args.repeat}) | {a:.2f} | {b:.2f} | {a / b:.3f} |")
        print(f"| transfers read | {mine[0]['edges']:.0f} | {base[0]['edges']:.0f} | |")
    if args.ingest and os.environ.get("CASEGRAPH_TEST_NEO4J_URI"):
        files = [Path(p) for p in args.ingest]
        on, off = [], []
        for _ in range(args.repeat):
            on.append(_ingest(files, True))
            off.append(_ingest(files, False))
        for key in ("wall", "cpu"):
            a, b = _median(on, key), _median(off, key)
            print(f"| ingest {key} s, late credits joined vs not (median of {args.repeat}) | {a:.2f} | {b:.2f} | "
                  f"{a / b:.3f} |")
        if not on[0]["transfers"]:
            raise SystemExit("nothing was ingested: see the quarantine of the files given")
        print(f"| TRANSFERRED after ingest | {on[0]['transfers']:.0f} | {off[0]['transfers']:.0f} | |")


if __name__ == "__main__":
    main()
