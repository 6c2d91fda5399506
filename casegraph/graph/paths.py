"""Shortest paths between two entities, over facts the caller may see."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, RoutingControl

from casegraph.access import Caller, visibility_params
from casegraph.errors import InvalidInput
from casegraph.graph import lookups
from casegraph.graph.queries import cypher


def shortest_paths(driver: Driver, database: str, caller: Caller, source: str, target: str, max_hops: int = 6,
                   limit: int = 5) -> dict[str, Any]:
    """Up to `limit` shortest paths of at most `max_hops` facts; both ends must be visible to the caller
    (an end it may not see is answered as by the entity lookup: hit/no-hit or 404)."""
    if source == target:
        raise InvalidInput("a path needs two different entities")
    if not 1 <= max_hops <= 8:
        raise InvalidInput("max_hops is 1 to 8")
    ends = [lookups.entity(driver, database, caller, key) for key in (source, target)]
    hidden = next((end for end in ends if not end["visible"]), None)
    if hidden is not None:
        return hidden
    statement = cypher("paths_visible", from_label=ends[0]["label"], to_label=ends[1]["label"], max_hops=max_hops)
    records, _, _ = driver.execute_query(statement, {"from": source, "to": target}, limit=limit, database_=database,
                                         routing_=RoutingControl.READ, **visibility_params(caller))
    return {"hit": True, "visible": True, "from": source, "to": target,
            "paths": [{"nodes": r["nodes"], "edges": r["edges"]} for r in records]}
