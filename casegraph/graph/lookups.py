"""Typed read queries behind the lookup endpoints and commands."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, RoutingControl

from casegraph import identifiers
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.queries import cypher

_LABEL_BY_IDENTIFIER = {"ID_NUMBER": "Person", "USCC": "Organization", "PHONE": "Phone", "BANK_ACCOUNT": "Account"}


def labels_for_key(key: str) -> list[str]:
    """The labels a node key can belong to, from its prefix (DESIGN.md's key forms)."""
    prefix, _, rest = key.partition(":")
    if not rest:
        raise InvalidInput(f"{key!r} is not an entity key (expected e.g. ric:…, phone:…, acct:…)")
    match prefix:
        case "ric":
            return ["Person"]
        case "uscc":
            return ["Organization"]
        case "acct":
            return ["Account"]
        case "phone":
            return ["Phone"]
        case "addr":
            return ["Address"]
        case "case":
            return ["Case"]
        case "name":
            return ["Person"] if "|dob:" in rest else ["Organization", "Person"]
        case "mention":
            return ["Person", "Mention"]
    raise InvalidInput(f"{key!r} has an unknown key prefix {prefix!r}")


def identifier_key(text: str) -> tuple[str, str]:
    """(label, key) of a typed-in identifier, normalised; InvalidInput when it is none we know."""
    parsed = identifiers.parse_any(text)
    if parsed is None or not parsed.valid:
        reason = parsed.reason if parsed else "empty"
        raise InvalidInput(f"{text!r} is not a valid resident ID, USCC, mobile number or account number ({reason})")
    return _LABEL_BY_IDENTIFIER[parsed.type], parsed.key


def _summarise(record: Any, label: str) -> dict[str, Any]:
    cases = sorted(record["cases"], key=lambda c: (c["agency"], c["number"]))
    agencies = sorted({d["agency"] for d in record["documents"]} | {c["agency"] for c in cases})
    return {"key": record["entity"]["key"], "label": label, "properties": dict(record["entity"]),
            "cases": cases, "agencies": agencies, "documents": record["documents"]}


def entity(driver: Driver, database: str, key: str) -> dict[str, Any]:
    for label in labels_for_key(key):
        records, _, _ = driver.execute_query(cypher("entity_with_cases", label=label), key=key,
                                             database_=database, routing_=RoutingControl.READ)
        if records:
            return _summarise(records[0], label)
    raise NotFound(f"no entity with key {key!r}")


def lookup(driver: Driver, database: str, identifier: str) -> dict[str, Any]:
    label, key = identifier_key(identifier)
    records, _, _ = driver.execute_query(cypher("entity_with_cases", label=label), key=key,
                                         database_=database, routing_=RoutingControl.READ)
    if not records:
        raise NotFound(f"no entity with identifier {key}")
    return _summarise(records[0], label)


def neighbors(driver: Driver, database: str, key: str, depth: int, limit: int = 200) -> dict[str, Any]:
    if not 1 <= depth <= 3:
        raise InvalidInput("depth must be 1, 2 or 3")
    for label in labels_for_key(key):
        records, _, _ = driver.execute_query(cypher("entity_neighbors", label=label, depth=depth), key=key,
                                             limit=limit, database_=database, routing_=RoutingControl.READ)
        if records:
            r = records[0]
            return {"key": key, "label": label, "depth": depth, "neighbors": r["neighbors"],
                    "edges": [e for e in r["edges"] if e is not None]}
    # No path of any length: the entity may still exist on its own.
    entity(driver, database, key)
    return {"key": key, "depth": depth, "neighbors": [], "edges": []}
