"""Merge findings into candidate rings: connected pieces of evidence, split by Louvain when too big.

Every finding contributes its edges to one undirected evidence graph, weighted by how much its
typology says. Pieces that share a member join up (a cycle and a fan-in on the same account, a
phone shared by the people who hold the accounts). A joined group larger than `max_ring_size` is
usually two rings bridged by a weak link, so it is split into Louvain communities (seeded, so a
run is repeatable).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from casegraph.detect.findings import Finding
from casegraph.detect.params import DetectionParams

__all__ = ["evidence_graph", "group_members"]

_MIN_WEIGHT = 0.05


def evidence_graph(findings: Iterable[Finding], weights: dict[str, float]) -> nx.Graph:
    """Undirected graph over finding members; edge weight = summed typology weights of its evidence."""
    graph = nx.Graph()
    for finding in findings:
        weight = max(weights.get(finding.typology, 0.0), _MIN_WEIGHT)
        for src, dst, _key in finding.edges:
            if src == dst:
                continue
            if graph.has_edge(src, dst):
                graph[src][dst]["weight"] += weight
            else:
                graph.add_edge(src, dst, weight=weight)
    return graph


def group_members(graph: nx.Graph, params: DetectionParams) -> list[frozenset[str]]:
    """Candidate rings: connected components, with oversized ones split into Louvain communities."""
    groups: list[frozenset[str]] = []
    for component in nx.connected_components(graph):
        if len(component) <= params.max_ring_size:
            groups.append(frozenset(component))
            continue
        communities = nx.community.louvain_communities(
            graph.subgraph(component), weight="weight", resolution=params.louvain_resolution,
            seed=params.seed)
        groups.extend(frozenset(c) for c in communities if len(c) >= 2)
    return groups
