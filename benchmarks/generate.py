"""Time the corpus generator at the medium and large scales.

Usage: PYTHONPATH=. python benchmarks/generate.py [--scales medium,large] [--repeat 1] [--keep DIR]

Prints, per scale, the wall-clock seconds of each run and their median, with persons,
documents, ledger rows and rows per second of the median run. Output goes to a temporary
folder that is removed afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from casegraph.demo.generator import generate
from casegraph.demo.scales import parse_scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="medium,large")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    for name in args.scales.split(","):
        scale = parse_scale(name)
        seconds: list[float] = []
        summary: dict[str, object] = {}
        for _ in range(args.repeat):
            root = Path(tempfile.mkdtemp(prefix=f"casegraph-{name}-"))
            started = time.perf_counter()
            summary = generate(root / "corpus", scale, args.seed)
            seconds.append(time.perf_counter() - started)
            if args.keep:
                shutil.rmtree(args.keep / name, ignore_errors=True)
                shutil.move(str(root / "corpus"), args.keep / name)
            shutil.rmtree(root, ignore_errors=True)
        median = statistics.median(seconds)
        rows = int(str(summary["ledger_rows"]))
        print(f"{name}: median {median:.1f} s over {len(seconds)} run(s) {[round(s, 1) for s in seconds]}; "
              f"persons {summary['persons']}, documents {summary['documents']}, "
              f"ledgers {summary['ledgers']}, ledger rows {rows}, {rows / median:,.0f} rows/s overall")


if __name__ == "__main__":
    main()
