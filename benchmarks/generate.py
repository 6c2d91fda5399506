"""Time the corpus generator at the medium and large scales.

Usage: PYTHONPATH=. python benchmarks/generate.py [--scales medium,large] [--repeat 1]
       [--workers auto|1,2] [--keep DIR]

Prints, per scale (and worker count), the wall-clock seconds of each run and their median,
with persons, documents, ledger rows and rows per second. With several worker counts the runs
alternate, so the ratio compares runs under the same machine load. Output goes to a temporary
folder that is removed afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from casegraph.demo.generator import generate
from casegraph.demo.scales import parse_scale


def _cpu() -> float:
    """CPU seconds of this process and its finished children (worker processes)."""
    usage = os.times()
    return usage.user + usage.system + usage.children_user + usage.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="medium,large")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--workers", default="auto", help="auto, or worker counts to compare, e.g. 1,2")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    counts: list[int | None] = [None] if args.workers == "auto" else [int(w) for w in args.workers.split(",")]
    for name in args.scales.split(","):
        scale = parse_scale(name)
        seconds: dict[int | None, list[float]] = {w: [] for w in counts}
        cpu: dict[int | None, list[float]] = {w: [] for w in counts}
        summary: dict[str, object] = {}
        for _ in range(args.repeat):
            for workers in counts:
                root = Path(tempfile.mkdtemp(prefix=f"casegraph-{name}-"))
                started, cpu_started = time.perf_counter(), _cpu()
                summary = generate(root / "corpus", scale, args.seed, workers=workers)
                seconds[workers].append(time.perf_counter() - started)
                cpu[workers].append(_cpu() - cpu_started)
                if args.keep:
                    shutil.rmtree(args.keep / name, ignore_errors=True)
                    shutil.move(str(root / "corpus"), args.keep / name)
                shutil.rmtree(root, ignore_errors=True)
        rows = int(str(summary["ledger_rows"]))
        medians = {w: statistics.median(s) for w, s in seconds.items()}
        for workers, median in medians.items():
            label = "auto" if workers is None else str(workers)
            print(f"{name} (workers {label}): median {median:.1f} s over {len(seconds[workers])} run(s) "
                  f"{[round(s, 1) for s in seconds[workers]]}; persons {summary['persons']}, "
                  f"documents {summary['documents']}, ledgers {summary['ledgers']}, ledger rows {rows}, "
                  f"{rows / median:,.0f} rows/s overall; CPU median {statistics.median(cpu[workers]):.1f} s "
                  f"(wall/CPU shows how loaded the shared machine was)")
        if len(counts) == 2:
            a, b = counts
            print(f"{name}: ratio workers {a} / workers {b} = {medians[a] / medians[b]:.2f}")


if __name__ == "__main__":
    main()
