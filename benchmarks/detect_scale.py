"""Ring detection at scale: networkx vs Spark on generated ledgers of growing size.

For each size it writes a ledger corpus with `benchmarks/ledger_corpus.py` (cached under --work),
then runs each engine in a fresh process (`--run-one`), measuring wall time, CPU time (the process
tree, sampled from /proc with the memory: Spark's JVM included) and the peak memory of the whole process tree
(sampled from /proc every 0.2 s: for Spark the driver, its JVM and, in local mode, the executors).
Spark's fixed start-up (session and JVM) is timed apart. At the end: each engine's growth exponent
(least squares of log wall time over log transfers) and whether the rings were the same.

    nice python benchmarks/detect_scale.py --sizes 1000000,5000000 --engines networkx,spark --master 'local[2]'
    # the `large` corpus' ledgers (1.66M transfers): casegraph demo generate --scale large --out /tmp/large
    nice python benchmarks/detect_scale.py --ledgers $(find /tmp/large -name 'ledger_*')
    # 20M and up: --sizes 20000000,50000000 on a machine with the memory (networkx needs about
    # 1 KB per transfer), --driver-memory to what the driver may hold; --master spark://host:7077
    # (or yarn) for a cluster, where the executors' memory is the cluster's

Spark's driver JVM gets --driver-memory (default 3g: with the Python driver the run stays under 6 GB).
Each Spark run prints its jobs and stages (`job_count`: the fixed cost that dominates up to millions of
transfers) and its CPU split: the Python driver, the JVM (driver and, in local mode, executors), and
pyspark's Python workers.

A run past --limit-gb of memory is stopped and reported as not completed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


_TICK = os.sysconf("SC_CLK_TCK")


def _tree_rss(pid: int, cpu: dict[int, float], kinds: dict[int, str]) -> int:
    """Resident bytes of `pid` and all its descendants; each one's CPU seconds so far into `cpu`
    (a JVM that pyspark starts is killed, never waited for: getrusage would not count it), and
    what each process is into `kinds`: the driver (`pid`), the JVM (in local mode it runs the
    executors too), or pyspark's Python workers (the ledger reader in Spark tasks)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, ()))
        try:
            stat = (Path("/proc") / str(current) / "stat").read_text().rsplit(")", 1)[1].split()
            cpu[current] = (int(stat[11]) + int(stat[12])) / _TICK  # utime, stime
            if current not in kinds:
                name = (Path("/proc") / str(current) / "comm").read_text().strip()
                kinds[current] = "driver" if current == pid else "jvm" if name == "java" else "workers"
            for line in (Path("/proc") / str(current) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _corpus(work: Path, transfers: int) -> list[Path]:
    folder = work / f"ledgers-{transfers}"
    if not (folder / "truth.json").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ledger_corpus.py"), "--out", str(folder),
                        "--transfers", str(transfers), "--rings", str(max(40, transfers // 25_000))], check=True)
    return sorted(folder.rglob("*.csv"))


def _measure(engine: str, ledgers: list[Path], master: str, limit: int, out: Path,
             driver_memory: str) -> dict[str, Any]:
    started = time.perf_counter()
    cpu: dict[int, float] = {}
    kinds: dict[int, str] = {}
    process = subprocess.Popen([sys.executable, __file__, "--run-one", engine, "--master", master, "--out", str(out),
                                "--driver-memory", driver_memory, *map(str, ledgers)])
    peak, stopped = 0, False
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid, cpu, kinds))
        if peak > limit:
            process.kill()
            stopped = True
        time.sleep(0.2)
    wall = time.perf_counter() - started
    result = json.loads(out.read_text()) if out.exists() and process.returncode == 0 else {}
    split = {f"cpu_{kind}_s": sum(s for p, s in cpu.items() if kinds.get(p) == kind)
             for kind in ("driver", "jvm", "workers")}
    return {"engine": engine, "wall_s": wall, "cpu_s": sum(cpu.values()), **split, "peak_gb": peak / 2**30,
            "completed": not stopped and process.returncode == 0, **result}


def _run_one(engine: str, master: str, out: Path, ledgers: list[str], driver_memory: str) -> None:
    from casegraph.detect.params import DetectionParams

    started = time.perf_counter()
    if engine == "networkx":
        from casegraph.detect.rings import find_rings
        from casegraph.graph.projection import from_ledgers

        result = find_rings(from_ledgers(ledgers), DetectionParams())
        startup = 0.0
    else:
        from casegraph.detect.spark.engine import ledger_rings
        from casegraph.detect.spark.session import spark_session

        with spark_session(master, {"spark.driver.memory": driver_memory}) as spark:
            startup = time.perf_counter() - started
            result = ledger_rings(spark, ledgers, None, DetectionParams())
    out.write_text(json.dumps({"startup_s": startup, "detect_s": time.perf_counter() - started - startup,
                               "rings": sorted(r.id for r in result.rings),
                               "to_driver": result.counts.get("transfers_to_driver"),
                               "jobs": result.counts.get("spark_jobs"), "stages": result.counts.get("spark_stages"),
                               "read": result.counts.get("transfers_read")}))


def _exponent(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs, ys = [math.log(n) for n, _ in points], [math.log(w) for _, w in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--engines", default="networkx,spark")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/casegraph-detect-scale"))
    parser.add_argument("--limit-gb", type=float, default=20.0)
    parser.add_argument("--driver-memory", default="3g", help="spark.driver.memory of the Spark runs")
    parser.add_argument("--ledgers", type=Path, nargs="*", help="measure these ledger files instead of generating")
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        _run_one(args.run_one, args.master, args.out, args.files, args.driver_memory)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    from casegraph.detect.engines import ledger_rows

    corpora = [(ledger_rows(args.ledgers), list(args.ledgers))] if args.ledgers else \
        [(int(size), _corpus(args.work, int(size))) for size in args.sizes.split(",")]
    for size, ledgers in corpora:
        for engine in args.engines.split(","):
            out = args.work / f"{engine}-{size}.json"
            row = _measure(engine, ledgers, args.master, int(args.limit_gb * 2**30), out, args.driver_memory)
            rows.append({"transfers": size, **row})
            print(f"{size:>10} {engine:<9} wall {row['wall_s']:8.1f} s  cpu {row['cpu_s']:8.1f} s  "
                  f"peak {row['peak_gb']:5.2f} GB  start-up {row.get('startup_s', 0):5.1f} s  "
                  f"rings {len(row.get('rings', []))}  {'ok' if row['completed'] else 'NOT COMPLETED'}"
                  + (f"  to driver {row['to_driver']:,} of {row['read']:,}; cpu driver {row['cpu_driver_s']:.1f} s, "
                     f"jvm {row['cpu_jvm_s']:.1f} s, python workers {row['cpu_workers_s']:.1f} s; "
                     f"{row['jobs']} jobs, {row['stages']} stages" if row.get("read") else ""), flush=True)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; master {args.master}")
    for engine in args.engines.split(","):
        done = [(r["transfers"], r["wall_s"]) for r in rows if r["engine"] == engine and r["completed"]]
        slope = _exponent(done)
        print(f"{engine}: growth exponent of wall time {slope:.2f}" if slope is not None else
              f"{engine}: growth exponent needs two completed sizes")
    for size in sorted({r["transfers"] for r in rows}):
        pair = {r["engine"]: r for r in rows if r["transfers"] == size and r["completed"]}
        if "networkx" in pair and "spark" in pair:
            same = pair["networkx"]["rings"] == pair["spark"]["rings"]
            ratio = pair["spark"]["wall_s"] / pair["networkx"]["wall_s"]
            print(f"{size}: spark/networkx wall {ratio:.2f}x (without start-up "
                  f"{(pair['spark']['wall_s'] - pair['spark']['startup_s']) / pair['networkx']['wall_s']:.2f}x), "
                  f"same rings: {same}")


if __name__ == "__main__":
    main()
