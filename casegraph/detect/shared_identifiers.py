"""Shared-identifier clusters: people and companies tied together by a phone, address or account.

An identifier used by two or more entities links them. One used by many (a bank branch's
address, a government service hall, a platform's hotline) says nothing about any of them: above
`hub_max_entities` users it is a hub and is pruned, and the pruned hubs are reported so an
analyst can see what was ignored. A cluster records how many distinct identifiers tie it, which
the score uses: one family sharing one phone is a weak cluster by construction.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.params import DetectionParams

__all__ = ["IDENTIFIER_LINKS", "find_shared_identifiers", "identifier_users"]

# identifier node type -> the edge type that ties an entity to it
IDENTIFIER_LINKS = {"Phone": "USES", "Address": "LOCATED_AT", "Account": "HOLDS"}
_ENTITY_TYPES = frozenset({"Person", "Organization"})


def identifier_users(graph: nx.MultiDiGraph) -> dict[str, dict[str, list[EdgeRef]]]:
    """identifier key -> {entity key -> the edges that tie the entity to it}."""
    users: dict[str, dict[str, list[EdgeRef]]] = defaultdict(lambda: defaultdict(list))
    types = graph.nodes
    for src, dst, key, edge_type in graph.edges(keys=True, data="type"):
        wanted = IDENTIFIER_LINKS.get(types[dst].get("type", ""))
        if wanted is not None and edge_type == wanted and types[src].get("type") in _ENTITY_TYPES:
            users[dst][src].append((src, dst, key))
    return users


def find_shared_identifiers(graph: nx.MultiDiGraph,
                            params: DetectionParams) -> tuple[list[Finding], list[str]]:
    """Clusters of entities tied by non-hub shared identifiers, and the list of pruned hubs.

    Each finding's members are the entities and the identifiers that tie them; `detail` says how
    many distinct identifiers do.
    """
    links = nx.Graph()
    edges_of: dict[str, list[EdgeRef]] = {}
    hubs: list[str] = []
    for identifier, users in identifier_users(graph).items():
        if len(users) < 2:
            continue
        if len(users) > params.hub_max_entities:
            hubs.append(identifier)
            continue
        for entity in users:
            links.add_edge(identifier, entity)
        edges_of[identifier] = [edge for edges in users.values() for edge in edges]
    found = []
    for component in nx.connected_components(links):
        identifiers = sorted(node for node in component if node in edges_of)
        edges = [edge for identifier in identifiers for edge in edges_of[identifier]]
        entities = len(component) - len(identifiers)
        found.append(Finding("shared_identifier", frozenset(component), edges, 0.0,
                             f"{entities} entities share {len(identifiers)} identifier(s)"))
    return found, sorted(hubs)
