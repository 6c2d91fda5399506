"""Small hand-made projection graphs for the detection tests (built through `from_records`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from casegraph.graph.projection import from_records

DAY = 86400.0
HOUR = 3600.0
T0 = 1_700_000_000.0  # 2023-11-14, an arbitrary quiet Tuesday


def tx(src: str, dst: str, amount: float, at: float, tx_id: str | None = None,
       memo: str | None = None) -> dict[str, Any]:
    """A TRANSFERRED edge record between account numbers."""
    return {"from": f"acct:{src}", "to": f"acct:{dst}", "type": "TRANSFERRED", "amount": amount,
            "at": at, "tx_id": tx_id or f"T{src}-{dst}-{int(at)}", "memo": memo,
            "sources": [f"ledger.csv#row{int(at) % 100000}"]}


def link(src: str, dst: str, edge_type: str, source: str = "doc:abc") -> dict[str, Any]:
    return {"from": src, "to": dst, "type": edge_type, "sources": [source]}


def graph(edges: Iterable[dict[str, Any]], nodes: Iterable[dict[str, Any]] = ()) -> nx.MultiDiGraph:
    # from_records takes the edge dicts over, so hand it copies: tests reuse their edge lists
    return from_records(list(nodes), [dict(edge) for edge in edges])


def cycle_edges(accounts: list[str], amount: float, start: float, step: float = 6 * HOUR,
                fee: float = 0.01) -> list[dict[str, Any]]:
    """Money going round `accounts` and back to the first, losing `fee` per hop."""
    edges = []
    for i, src in enumerate(accounts):
        dst = accounts[(i + 1) % len(accounts)]
        edges.append(tx(src, dst, round(amount * (1 - fee) ** i, 2), start + i * step))
    return edges
