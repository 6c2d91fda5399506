"""Wall and CPU seconds of a command's stages, the CPU split by who spent it.

A stage's CPU is this process's, its reaped children's (extraction workers, Neo4j's importer) and the
local server's (read from /proc, since a server the load did not start is no child of it). On a
machine shared with other work the wall time includes waiting for a core; the CPU seconds do not,
so they are the figures to compare between runs.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int | None) -> float:
    """User + system seconds of process `pid` so far (0 when it is gone or not readable)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime and stime, fields 14 and 15 of stat


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class StageCpu:
    own: float = 0.0  # this process
    children: float = 0.0  # its finished children: extraction workers, the importer
    server: float = 0.0  # the local Neo4j server

    @property
    def total(self) -> float:
        return self.own + self.children + self.server


@dataclass
class StageClock:
    server_pid: Callable[[], int | None] = lambda: None
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall seconds
    cpu: dict[str, StageCpu] = field(default_factory=dict)  # stage -> CPU seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        # The server may be replaced during a stage (a stop and a start): its CPU is counted per pid.
        pid = self.server_pid()
        wall, own, children, server = time.perf_counter(), time.process_time(), _children_cpu(), process_cpu(pid)
        try:
            yield
        finally:
            after = self.server_pid()
            server_cpu = (process_cpu(pid) - server) if after == pid else process_cpu(after)
            self.seconds[name] = time.perf_counter() - wall
            self.cpu[name] = StageCpu(time.process_time() - own, _children_cpu() - children, max(0.0, server_cpu))
