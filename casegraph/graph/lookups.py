"""Typed read queries behind the lookup endpoints and commands, each seen through a caller's eyes.

Every statement here takes the caller's visibility parameters and applies the sharing predicate
inside the query (see cypher/queries/*_visible.cypher); nothing is filtered in Python. What the
caller may not see comes back, at most, as a hit/no-hit summary: which agencies hold something
and in how many cases.
"""

from __future__ import annotations

import re
from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.exceptions import ClientError

from casegraph import identifiers
from casegraph.access import Caller, visibility_params
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.neighborhood import Filters, neighborhood
from casegraph.graph.queries import cypher
from casegraph.graph.quick_read import read_records

_LABEL_BY_IDENTIFIER = {"ID_NUMBER": "Person", "USCC": "Organization", "PHONE": "Phone", "BANK_ACCOUNT": "Account"}
ACCESS_REQUESTS_PATH = "/v1/access-requests"


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
        case "split":
            # The half an investigator split off a wrongly merged node keeps that node's label.
            return ["Person", "Organization"]
    raise InvalidInput(f"{key!r} has an unknown key prefix {prefix!r}")


def identifier_key(text: str) -> tuple[str, str]:
    """(label, key) of a typed-in identifier, normalised; InvalidInput when it is none we know."""
    parsed = identifiers.parse_any(text)
    if parsed is None or not parsed.valid:
        reason = parsed.reason if parsed else "empty"
        raise InvalidInput(f"{text!r} is not a valid resident ID, USCC, mobile number or account number ({reason})")
    return _LABEL_BY_IDENTIFIER[parsed.type], parsed.key


def hit_no_hit(holders: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole answer about what the caller may not see: who holds it, in how many cases, how to ask."""
    return {"hit": True, "visible": False, "holders": holders, "access_request": ACCESS_REQUESTS_PATH}


def _view(record: Any, label: str) -> dict[str, Any]:
    entity = {k: v for k, v in dict(record["entity"]).items() if v is not None}
    cases = sorted(record["cases"], key=lambda c: (c["agency"], c["number"]))
    documents = sorted(record["documents"], key=lambda d: d["key"])
    agencies = sorted({d["agency"] for d in documents} | {c["agency"] for c in cases})
    parties = record.get("parties") or []
    view = {"hit": True, "visible": True, "key": entity["key"], "label": label, "properties": entity,
            "cases": cases, "agencies": agencies, "documents": documents}
    # An account answers with who holds it, a phone with who uses it (issue 18): what an investigator asks next.
    for field, relation in (("held_by", "HOLDS"), ("used_by", "USES")):
        view[field] = [{k: p[k] for k in ("key", "label", "name", "sources")} for p in parties
                       if p["relation"] == relation]
    return view


def _seen(driver: Driver, database: str, caller: Caller, label: str, key: str) -> dict[str, Any] | None:
    """The entity's view, its hit/no-hit answer, or None when there is nothing (or only sealed)."""
    records = read_records(driver, database, cypher("entity_visible", label=label), key=key,
                           **visibility_params(caller))
    if not records:
        return None
    record = records[0]
    if record["visible"]:
        return _view(record, label)
    if record["holders"]:
        return hit_no_hit(record["holders"])
    return None


def entity(driver: Driver, database: str, caller: Caller, key: str) -> dict[str, Any]:
    """An entity by key as `caller` sees it (view or hit/no-hit); NotFound when nothing may be told."""
    for label in labels_for_key(key):
        found = _seen(driver, database, caller, label, key)
        if found is not None:
            return found
    raise NotFound(f"no entity with key {key!r}")


def entity_label(driver: Driver, database: str, caller: Caller, key: str) -> str:
    """The label of a key the caller got a visible view or a hit for (for access requests)."""
    for label in labels_for_key(key):
        if _seen(driver, database, caller, label, key) is not None:
            return label
    raise NotFound(f"no entity with key {key!r}")


def lookup(driver: Driver, database: str, caller: Caller, identifier: str) -> dict[str, Any]:
    label, key = identifier_key(identifier)
    found = _seen(driver, database, caller, label, key)
    if found is None:
        raise NotFound(f"no entity with key {key!r}")  # the same answer as by key, so neither tells more
    return found


def neighbors(driver: Driver, database: str, caller: Caller, key: str, depth: int, limit: int = 200,
              filters: Filters | None = None, cursor: str | None = None) -> dict[str, Any]:
    """What lies within `depth` hops over facts the caller may see, a page of each relation type at a
    time (graph/neighborhood.py); hit/no-hit when the entity is hidden."""
    if not 1 <= depth <= 3:
        raise InvalidInput("depth must be 1, 2 or 3")
    for label in labels_for_key(key):
        records = read_records(driver, database, cypher("node_visible", label=label), key=key,
                               **visibility_params(caller))
        if records:
            if records[0]["visible"]:  # the page needs the key and label only, not the entity's whole view
                return neighborhood(driver, database, caller, {"key": key, "label": label}, depth, limit,
                                    filters or Filters(), cursor, root_eid=str(records[0]["eid"]))
            break
    seen = entity(driver, database, caller, key)  # hit/no-hit (or NotFound), exactly as the entity answers
    if not seen["visible"]:
        return seen
    return neighborhood(driver, database, caller, seen, depth, limit, filters or Filters(), cursor)


_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def lucene_phrase(name: str) -> str:
    """`name` as one Lucene phrase, every operator character escaped (user text is never syntax)."""
    return '"' + _LUCENE_SPECIAL.sub(r"\\\1", name) + '"'


def search(driver: Driver, database: str, caller: Caller, name: str, limit: int = 50) -> dict[str, Any]:
    """People and organisations by name as visible documents write it, plus hit/no-hit for the rest."""
    name = " ".join(name.split())
    if len(name) < 2 or sum(ch.isalnum() for ch in name) < 2:
        raise InvalidInput("a name to search for has at least 2 letters or digits")
    try:
        records, _, _ = driver.execute_query(cypher("entity_search_visible"), name=name, lucene=lucene_phrase(name),
                                             limit=limit, database_=database, routing_=RoutingControl.READ,
                                             **visibility_params(caller))
    except ClientError as exc:  # the escaped phrase can still be one Lucene's analyzer reduces to nothing
        raise InvalidInput(f"cannot search for {name!r}") from exc
    record = records[0] if records else {"found": [], "holders": []}
    found = sorted(record["found"], key=lambda f: (-f["score"], f["key"]))
    if not found and not record["holders"]:
        raise NotFound(f"no person or organisation named like {name!r}")
    return {"results": [{k: f[k] for k in ("key", "label", "name")} for f in found],
            "hidden": hit_no_hit(record["holders"]) if record["holders"] else None}
