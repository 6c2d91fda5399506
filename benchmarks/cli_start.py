"""How fast the CLI starts (issue 24): `casegraph --help` and `casegraph db status`, wall time and peak
memory of the process, median of N runs in one go.

    PYTHONPATH=. python benchmarks/cli_start.py --repeat 7

`db status` answers against the configured server (start one with `casegraph db start` for the figure the
issue means; without one it measures the failed probe).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def run(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one run of `command`; on a loaded machine the CPU
    seconds are what an idle one would take."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    casegraph = shutil.which("casegraph") or os.path.join(os.path.dirname(sys.executable), "casegraph")
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    print(f"{'command':<24} {'median s':>9} {'min s':>7} {'CPU s':>7} {'max RSS MB':>11}  target")
    for label, command, target in (("casegraph --help", [casegraph, "--help"], "< 0.3 s, < 80 MB"),
                                   ("casegraph db status", [casegraph, "db", "status"], "< 0.5 s")):
        run(command)  # warm the file cache
        runs = [run(command) for _ in range(args.repeat)]
        walls = [w for w, _, _ in runs]
        cpu = statistics.median(c for _, c, _ in runs)
        print(f"{label:<24} {statistics.median(walls):>9.3f} {min(walls):>7.3f} {cpu:>7.3f} "
              f"{max(r for _, _, r in runs):>11.1f}  {target}")


if __name__ == "__main__":
    main()
