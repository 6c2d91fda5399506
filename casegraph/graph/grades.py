"""Risk grades of entities and rings as an agency sees them: the figures are read within its sharing
(entity_grade_figures.cypher, rings_visible.cypher) and graded by casegraph.alerts.grading."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from casegraph.alerts.grading import grade
from casegraph.errors import NotFound
from casegraph.graph import rings as ring_store
from casegraph.graph.lookups import labels_for_key
from casegraph.graph.queries import cypher

_FIGURES = ("money_moved", "agencies", "regions", "typologies", "prior_penalties", "open_cases", "reviewed_rings")


def entity_grades(driver: Driver, database: str, agency: str, keys_by_label: dict[str, list[str]]
                  ) -> dict[str, dict[str, Any]]:
    """key -> grade of each entity (keys grouped by label), over what `agency` may see; one read per label.
    An entity that is not in the graph (gone with its last document) has no entry."""
    graded: dict[str, dict[str, Any]] = {}
    for label, keys in keys_by_label.items():
        records, _, _ = driver.execute_query(cypher("entity_grade_figures", label=label), keys=keys, agency=agency,
                                             database_=database, routing_="r")
        for record in records:
            graded[record["key"]] = {"key": record["key"],
                                     **grade({name: float(record[name] or 0) for name in _FIGURES})}
    return graded


def entity_grade(driver: Driver, database: str, agency: str, key: str) -> dict[str, Any]:
    """One entity's grade as `agency` sees it; NotFound when there is no such node."""
    for label in labels_for_key(key):
        found = entity_grades(driver, database, agency, {label: [key]})
        if key in found:
            return found[key]
    raise NotFound(f"no entity {key!r}")


def ring_grade(driver: Driver, database: str, agency: str, ring_id: str) -> dict[str, Any]:
    """A ring's grade from the figures of the ring as `agency` sees it (NotFound when it sees none)."""
    ring = ring_store.get_ring(driver, database, agency, ring_id)
    figures = {"money_moved": ring.get("total_amount") or 0, "agencies": len(ring.get("agencies") or []),
               "regions": len(ring.get("regions") or []), "typologies": len(ring.get("typologies") or []),
               "open_cases": len(ring.get("cases") or []),
               "reviewed_rings": 1 if ring.get("status") == "confirmed" else 0}
    return {"ring": ring_id, **grade(figures)}
