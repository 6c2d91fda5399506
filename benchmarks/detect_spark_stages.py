"""Spark's fixed cost per detection run: jobs, stages and tasks, with the wall time beside networkx's.

Up to a few million transfers a Spark run's time is mostly a fixed cost per stage; this counts them
(`casegraph.detect.spark.job_count`) on small ledgers, where nothing else costs: the tests' day-only
ledger (written by `tests/test_detect_spark.py`'s helper) and the outside AMLSim sample, or the files
given. One Spark session for the whole run; its start-up is printed apart.

    nice python benchmarks/detect_spark_stages.py [--master 'local[2]'] [LEDGER ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _default_ledgers(work: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_detect_spark import AMLSIM, _day_only_ledger

    return [_day_only_ledger(work / "days.csv"), AMLSIM]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("ledgers", type=Path, nargs="*")
    args = parser.parse_args()
    from casegraph.detect.params import DetectionParams
    from casegraph.detect.rings import find_rings
    from casegraph.detect.spark.engine import ledger_rings
    from casegraph.detect.spark.session import spark_session
    from casegraph.graph.projection import from_ledgers

    with tempfile.TemporaryDirectory() as work:
        ledgers = args.ledgers or _default_ledgers(Path(work))
        started = time.perf_counter()
        with spark_session(args.master) as spark:
            print(f"session start-up {time.perf_counter() - started:.1f} s ({args.master})", flush=True)
            for ledger in ledgers:
                began = time.perf_counter()
                expected = find_rings(from_ledgers([ledger]), DetectionParams())
                networkx_s = time.perf_counter() - began
                began = time.perf_counter()
                got = ledger_rings(spark, [ledger], None, DetectionParams())
                spark_s = time.perf_counter() - began
                counts = got.counts
                same = sorted(r.id for r in got.rings) == sorted(r.id for r in expected.rings)
                print(f"{ledger.name}: {counts['transfers_read']:,} transfers, {counts['spark_jobs']} jobs, "
                      f"{counts['spark_stages']} stages, {counts['spark_tasks']} tasks; spark {spark_s:.1f} s, "
                      f"networkx {networkx_s:.2f} s; to driver {counts['transfers_to_driver']:,}; "
                      f"same rings: {same}", flush=True)


if __name__ == "__main__":
    main()
