"""Control networks: one person behind many companies, directly or through chains of companies.

Control edges are LEGAL_REP_OF, SHAREHOLDER_OF and CONTROLS from a person to a company, and
SHAREHOLDER_OF / CONTROLS between companies (a holding chain). A person reaches a company when a
path of control edges, at most `control_max_depth` long, leads there; reaching
`control_min_companies` companies or more makes a control network. The network's members are that
person, the companies, and the other people on record for them (nominee legal representatives,
co-shareholders): a controller rarely signs for his own companies. Employment is not control.
"""

from __future__ import annotations

import networkx as nx

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.params import DetectionParams

__all__ = ["CONTROL_TYPES", "find_control_networks"]

CONTROL_TYPES = frozenset({"LEGAL_REP_OF", "SHAREHOLDER_OF", "CONTROLS"})


def find_control_networks(graph: nx.MultiDiGraph, params: DetectionParams) -> list[Finding]:
    """People who control at least `control_min_companies` companies, with the edges that show it."""
    control: dict[str, list[EdgeRef]] = {}
    fronted: dict[str, list[EdgeRef]] = {}  # company -> the people's control edges into it
    for src, dst, key, edge_type in graph.edges(keys=True, data="type"):
        if edge_type in CONTROL_TYPES and graph.nodes[dst].get("type") == "Organization":
            control.setdefault(src, []).append((src, dst, key))
            if graph.nodes[src].get("type") == "Person":
                fronted.setdefault(dst, []).append((src, dst, key))
    found = []
    for person, first_edges in control.items():
        if graph.nodes[person].get("type") != "Person":
            continue
        reached: dict[str, None] = {}
        used: list[EdgeRef] = []
        frontier = first_edges
        for _depth in range(params.control_max_depth):
            next_frontier: list[EdgeRef] = []
            for edge in frontier:
                company = edge[1]
                if company in reached or company == person:
                    continue
                reached[company] = None
                used.append(edge)
                next_frontier.extend(control.get(company, ()))
            frontier = next_frontier
        if len(reached) >= params.control_min_companies:
            fronts = [edge for company in reached for edge in fronted.get(company, ()) if edge[0] != person]
            members = frozenset({person, *reached, *(edge[0] for edge in fronts)})
            found.append(Finding("control_network", members, used + fronts, 0.0,
                                 f"{person} controls {len(reached)} companies"))
    return found
