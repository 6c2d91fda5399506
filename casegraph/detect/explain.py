"""Why each member is in its ring: the edges of the findings that put it there, with their sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from casegraph.detect.findings import Finding

__all__ = ["display_key", "explain_members"]

MAX_REASONS_PER_MEMBER = 12


def display_key(graph: nx.MultiDiGraph, key: str) -> str:
    """Accounts are reported by their number; every other node by its canonical key."""
    if graph.nodes[key].get("type") == "Account" and key.startswith("acct:"):
        return key[5:]
    return key


def explain_members(graph: nx.MultiDiGraph, members: frozenset[str],
                    findings: Iterable[Finding]) -> dict[str, list[dict[str, Any]]]:
    """member key -> reasons, one per (typology, edge type, direction, other end).

    A reason lists the transaction ids and the source documents/ledger rows of the edges it
    groups; at most `MAX_REASONS_PER_MEMBER` reasons per member, the rest counted in a final
    ``{"more": n}`` entry.
    """
    grouped: dict[str, dict[tuple[str, str, str, str], dict[str, Any]]] = {m: {} for m in members}
    for finding in findings:
        for src, dst, key in finding.edges:
            if src not in members or dst not in members:
                continue
            data = graph.edges[src, dst, key]
            for me, other, direction in ((src, dst, "out"), (dst, src, "in")):
                slot = (finding.typology, data["type"], direction, other)
                reason = grouped[me].get(slot)
                if reason is None:
                    reason = {"typology": finding.typology, "edge": data["type"], "direction": direction,
                              "other": display_key(graph, other), "tx_ids": [], "sources": []}
                    grouped[me][slot] = reason
                tx_id = data.get("tx_id")
                if tx_id and tx_id not in reason["tx_ids"]:
                    reason["tx_ids"].append(tx_id)
                for source in data.get("sources", ()):
                    if source not in reason["sources"]:
                        reason["sources"].append(source)
    explained: dict[str, list[dict[str, Any]]] = {}
    for member, reasons in grouped.items():
        listed = sorted(reasons.values(),
                        key=lambda r: (r["typology"], r["edge"], r["other"], r["direction"]))
        if len(listed) > MAX_REASONS_PER_MEMBER:
            listed = [*listed[:MAX_REASONS_PER_MEMBER], {"more": len(listed) - MAX_REASONS_PER_MEMBER}]
        explained[member] = listed
    return explained
