"""The local server's memory follows the machine and the store (issue 24); explicit settings win."""

from __future__ import annotations

import pytest

from casegraph.graph.memory import GB, MB, parse_size, plan_memory


@pytest.mark.parametrize("machine_gb", [2, 4, 8, 24, 64, 256])
@pytest.mark.parametrize("store_gb", [0, 1, 10, 100])
def test_plan_fits_the_machine_and_grows_with_it(machine_gb: int, store_gb: int) -> None:
    plan = plan_memory(machine_gb * GB, store_gb * GB)
    assert plan.heap_mb >= 1024 and plan.pagecache_mb >= 128
    assert plan.heap_mb <= 31 * 1024
    assert plan.heap_mb + plan.pagecache_mb <= max(machine_gb * 1024 // 2, 1024 + 128)
    assert plan.tx_max_mb == int(plan.heap_mb * MB * 0.7) // MB
    assert plan.chosen == ("heap", "page cache", "transaction memory")
    bigger = plan_memory(machine_gb * 2 * GB, store_gb * GB)
    assert bigger.heap_mb >= plan.heap_mb and bigger.pagecache_mb >= plan.pagecache_mb


def test_page_cache_follows_the_store_with_headroom() -> None:
    small, large = plan_memory(24 * GB, 1 * GB), plan_memory(24 * GB, 4 * GB)
    assert small.pagecache_mb < large.pagecache_mb
    assert large.pagecache_mb >= 4 * 1024  # the whole store fits
    assert plan_memory(24 * GB, 0).pagecache_mb == 512  # an empty store needs little


def test_explicit_settings_are_kept() -> None:
    plan = plan_memory(24 * GB, 0, heap=parse_size("1g"), pagecache=256 * MB)
    assert (plan.heap_mb, plan.pagecache_mb, plan.tx_max_mb) == (1024, 256, 716)
    assert plan.chosen == ("transaction memory",)
    assert plan_memory(24 * GB, 0, tx_max=300 * MB).tx_max_mb == 300
    with pytest.raises(ValueError, match="not a memory size"):
        parse_size("lots")
