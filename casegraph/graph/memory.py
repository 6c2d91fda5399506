"""How much memory the local Neo4j takes: chosen from the machine and the store, as Neo4j's own
`neo4j-admin server memory-recommendation` does, but for a server that shares its machine.

Neo4j's recommendation assumes a dedicated database host. The local server shares the machine with
casegraph's API processes and extraction workers (spaCy, ~300 MB each), so it is given a share of
the machine's memory (`CASEGRAPH_NEO4J_MEMORY_SHARE`, half by default) and splits it as Neo4j advises:
the page cache holds the store (with room to grow) and the heap takes what transactions need; the
transaction memory pool stays at Neo4j's default of 70 % of the heap, so a large retraction or ledger
batch that fits the heap is not refused by a pool sized for a 1 GB heap. Explicit settings win.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

MB = 1024 * 1024
GB = 1024 * MB
# The JVM's compressed object pointers stop at 32 GB: a larger heap holds fewer objects.
MAX_HEAP = 31 * GB
MIN_HEAP = 1 * GB
MIN_PAGECACHE = 128 * MB
# Neo4j's own default for dbms.memory.transaction.total.max is 70 % of the heap.
TX_SHARE_OF_HEAP = 0.7
# The store grows after the start: the page cache keeps this much room above its current size.
STORE_HEADROOM = 1.2
STORE_SLACK = 512 * MB


@dataclass(frozen=True)
class MemoryPlan:
    heap_mb: int
    pagecache_mb: int
    tx_max_mb: int
    machine_mb: int
    store_mb: int
    chosen: tuple[str, ...]  # which of the three were chosen here rather than set explicitly

    @property
    def heap_flag(self) -> str:
        return f"{self.heap_mb}m"

    def describe(self) -> str:
        from casegraph.i18n import gettext

        text = gettext("heap {heap} MB, page cache {cache} MB, transaction memory {tx} MB, of {machine} GB on this "
                       "machine; store {store} MB")
        return text.format(heap=self.heap_mb, cache=self.pagecache_mb, tx=self.tx_max_mb,
                           machine=f"{self.machine_mb / 1024:.1f}", store=self.store_mb)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def machine_memory() -> int:
    """Bytes of memory this process may use: the cgroup limit when one is set, else MemTotal."""
    for limit_file in (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes")):
        try:
            text = limit_file.read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:
            return int(text)
    try:
        meminfo = Path("/proc/meminfo").read_text()
    except OSError:
        return 8 * GB  # not Linux: a modest machine
    match = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else 8 * GB


def store_size(data_dir: Path) -> int:
    """Bytes of the store files (databases and transaction logs) under the server's data folder."""
    total = 0
    for root, _dirs, files in os.walk(data_dir / "data"):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue
    return total


def parse_size(text: str) -> int:
    """`1g`, `512m`, `2048` (MB) -> bytes."""
    match = re.fullmatch(r"\s*(\d+)\s*([mgMG]?)\s*", text)
    if not match:
        raise ValueError(f"not a memory size: {text!r} (use e.g. 512m or 4g)")
    value, unit = int(match.group(1)), match.group(2).lower()
    return value * (GB if unit == "g" else MB)


def plan_memory(machine: int, store: int, share: float = 0.5, heap: int | None = None,
                pagecache: int | None = None, tx_max: int | None = None) -> MemoryPlan:
    """The local server's heap, page cache and transaction memory for a machine of `machine` bytes
    holding a store of `store` bytes; explicit values are kept as given."""
    budget = max(int(machine * share), MIN_HEAP + MIN_PAGECACHE)
    chosen: list[str] = []
    wanted_cache = int(store * STORE_HEADROOM) + STORE_SLACK
    if heap is None:
        chosen.append("heap")
        # The page cache is served first up to what the store needs, but never more than half the
        # budget: the heap carries the transactions, the query plans and Bolt.
        cache_part = min(wanted_cache, budget // 2) if pagecache is None else pagecache
        # A quarter of the machine at most: beyond what transactions need, a larger heap only delays
        # collections (the young generation is half the heap) while other processes need the memory.
        heap = min(MAX_HEAP, machine // 4, max(MIN_HEAP, budget - cache_part))
        heap = max(heap, MIN_HEAP)
        heap -= heap % (256 * MB) if heap > MIN_HEAP else 0
    if pagecache is None:
        chosen.append("page cache")
        pagecache = max(MIN_PAGECACHE, min(wanted_cache, budget - heap))
    if tx_max is None:
        chosen.append("transaction memory")
        tx_max = int(heap * TX_SHARE_OF_HEAP)
    return MemoryPlan(heap // MB, pagecache // MB, tx_max // MB, machine // MB, store // MB, tuple(chosen))
