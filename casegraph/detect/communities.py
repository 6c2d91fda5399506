"""Merge findings into candidate rings: connected pieces of evidence, split by Louvain when too big.

Every finding contributes its edges to one undirected evidence graph, weighted by how much its
typology says. Pieces that share a member join up (a cycle and a fan-in on the same account, a
phone shared by the people who hold the accounts). A joined group is cut at bridges with enough
members on both sides, each side carrying evidence that would be reported on its own: planted
groups drawn from the same busy accounts touch through one account (a fan's payer who is also in
a cycle), and one link is no evidence that they are one ring. A group larger than `max_ring_size`
is cut at any such bridge, then split into Louvain communities (seeded, so a run is repeatable).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from casegraph.detect.findings import Finding
from casegraph.detect.params import DetectionParams

__all__ = ["evidence_graph", "group_members"]

_MIN_WEIGHT = 0.05
# Holding an account ties a person to it as firmly as any typology ties accounts together; a weak
# holder link would make Louvain cut every ring between its people and its money.
LINK_WEIGHT = 1.0


def evidence_graph(findings: Iterable[Finding], weights: dict[str, float]) -> nx.Graph:
    """Undirected graph over finding members; edge weight = summed typology weights of its evidence.

    Findings whose typology has no weight (links such as an account's holder) count `LINK_WEIGHT`.
    """
    graph = nx.Graph()
    for finding in findings:
        weight = max(weights.get(finding.typology, LINK_WEIGHT), _MIN_WEIGHT)
        for src, dst, _key in finding.edges:
            if src == dst:
                continue
            if graph.has_edge(src, dst):
                graph[src][dst]["weight"] += weight
            else:
                graph.add_edge(src, dst, weight=weight)
    return graph


def group_members(graph: nx.Graph, params: DetectionParams) -> list[frozenset[str]]:
    """Candidate rings: connected components cut at bridges; oversized pieces split by Louvain."""
    groups: list[frozenset[str]] = []
    for component in nx.connected_components(graph):
        if len(component) <= params.max_ring_size:
            if len(component) < 2 * params.bridge_min_side:
                groups.append(frozenset(component))
            else:
                groups.extend(frozenset(piece) for piece in _cut_bridges(
                    graph.subgraph(component), params.bridge_min_side, params.score_threshold))
            continue
        for piece in _cut_bridges(graph.subgraph(component), params.bridge_min_side):
            if len(piece) <= params.max_ring_size:
                groups.append(frozenset(piece))
                continue
            communities = nx.community.louvain_communities(
                graph.subgraph(piece), weight="weight", resolution=params.louvain_resolution,
                seed=params.seed)
            groups.extend(frozenset(c) for c in communities if len(c) >= 2)
    return groups


_BRIDGE_CUT_LIMIT = 5000  # above this many nodes, checking every bridge costs too much: Louvain only


def _cut_bridges(component: nx.Graph, min_side: int, standalone: float | None = None) -> list[set[str]]:
    """Split a component at every bridge that has at least `min_side` nodes on both sides.

    With `standalone` (a ring of ordinary size), only where each side also holds an edge whose
    evidence weighs more than that on its own (it would be reported alone): two planted groups
    touching through one account are cut apart, a fan hanging off a cycle stays with it.

    Two rings joined by one coincidental transfer hang together by a bridge; one ring's people
    and its accounts are joined by several holder links, so they are not cut apart here (Louvain
    would, as the two halves are each denser than the whole).
    """
    if len(component) > _BRIDGE_CUT_LIMIT:
        return [set(component)]
    graph = nx.Graph(component)
    for u, v in list(nx.bridges(graph)):
        graph.remove_edge(u, v)
        # Earlier cuts may have split the component: measure both sides of this bridge itself.
        side, other = nx.node_connected_component(graph, u), nx.node_connected_component(graph, v)
        alone = standalone is None or (_weighs(graph, side, standalone) and _weighs(graph, other, standalone))
        if len(side) < min_side or len(other) < min_side or not alone:
            graph.add_edge(u, v, **component.edges[u, v])
    return [set(c) for c in nx.connected_components(graph)]


def _weighs(graph: nx.Graph, nodes: set[str], threshold: float) -> bool:
    return any(weight > threshold for _u, _v, weight in graph.subgraph(nodes).edges(data="weight"))
