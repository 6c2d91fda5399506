"""Money cycles: transfers that leave an account and come back to it, in time order, within a window.

The search is temporal and bounded: from every transfer a->b at time t0 it follows only later
transfers, only while the clock stays within t0 + window and the amount stays roughly what came
in, and never deeper than `cycle_max_length` hops. A cycle is found only from its earliest
transfer, so each is reported once. This is the same set as `nx.simple_cycles(G, length_bound)`
on the account graph, filtered to time-respecting, amount-conserving paths, but it never
enumerates the (huge) number of untimed cycles of a dense transfer graph.
"""

from __future__ import annotations

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.params import DetectionParams
from casegraph.detect.transfers import Transfer, TransferIndex

__all__ = ["find_cycles"]


def find_cycles(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Time-ordered, amount-conserving cycles of `cycle_min_length`..`cycle_max_length` accounts.

    Cycles over the same set of accounts (repeated rounds) are merged into one finding.
    """
    window = params.window_hours * 3600.0
    keep, gain = 1.0 - params.hop_tolerance, 1.0 + params.hop_gain
    min_len, max_len = params.cycle_min_length, params.cycle_max_length
    by_members: dict[frozenset[str], Finding] = {}

    def extend(path: list[Transfer], visited: set[str], deadline: float) -> None:
        last = path[-1]
        # Amounts may shrink hop by hop (fees), but the whole way round keeps most of the start.
        floor = keep * path[0].amount
        for nxt in index.out_between(last.dst, last.at, deadline, open_start=not params.same_time_ties):
            if not keep * last.amount <= nxt.amount <= gain * last.amount or nxt.amount < floor:
                continue
            if nxt.dst == path[0].src:
                if len(path) + 1 >= min_len:
                    _record(by_members, [*path, nxt])
            elif nxt.dst not in visited and len(path) + 1 < max_len:
                visited.add(nxt.dst)
                path.append(nxt)
                extend(path, visited, deadline)
                path.pop()
                visited.discard(nxt.dst)

    for first in index.transfers:
        if first.src in index.hubs or first.dst in index.hubs:
            continue
        extend([first], {first.src, first.dst}, first.at + window)
    return list(by_members.values())


def _record(by_members: dict[frozenset[str], Finding], path: list[Transfer]) -> None:
    members = frozenset(tx.src for tx in path)
    edges: list[EdgeRef] = [(tx.src, tx.dst, tx.key) for tx in path]
    found = by_members.get(members)
    if found is None:
        by_members[members] = Finding("cycle", members, edges, sum(tx.amount for tx in path),
                                      f"{len(path)}-hop cycle")
    else:
        known = set(found.edges)
        found.edges.extend(e for e in edges if e not in known)
        found.amount += sum(tx.amount for tx in path if (tx.src, tx.dst, tx.key) not in known)
