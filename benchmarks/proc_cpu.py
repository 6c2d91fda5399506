"""CPU seconds of other processes (the Neo4j server, the API), read from /proc.

On a shared machine wall time says as much about the neighbours as about the code, so the
benchmarks print the CPU the measured processes spent beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def process_cpu(pid: int | None) -> float:
    """User + system CPU seconds of one process so far (all its threads); 0.0 when unknown."""
    ticks = _ticks(pid) if pid is not None else None
    return (ticks or 0) / _TICKS


def _process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
    return pids


def process_tree_cpu(pid: int | None) -> float:
    """User + system CPU seconds of a process and its children now alive (0.0 when unknown)."""
    if pid is None:
        return 0.0
    return sum(_ticks(p) or 0 for p in _process_tree(pid)) / _TICKS
