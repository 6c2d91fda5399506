"""The neighbourhood of an entity in pages, bounded around hubs (a ledger's account with 50,000
transfers, a document naming thousands of accounts).

Each hop is one statement (cypher/queries/entity_neighbors_page.cypher) that decides visibility per
relationship while it scans and names only a page of each relation type: at most `limit` links per
type around the entity, in a stable order (the neighbour's element id, the direction, the role),
with the count of every visible link of each type. What a page leaves out is offered as `more`: per
type, how many remain and a cursor that fetches the next page of that type. The cursor remembers the
last row's position in that order (a keyset, not an offset), so the statement passes over what came
before it without grouping or sorting it: page 20 of a hub costs what page 1 costs. Deeper hops
expand the nodes of the hop before with a smaller share each, so a depth-3 answer stays bounded too.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import asdict, dataclass
from typing import Any

from neo4j import Driver

from casegraph.access import Caller, visibility_params
from casegraph.errors import InvalidInput
from casegraph.graph.queries import cypher
from casegraph.graph.quick_read import read_records

# The chart's node types and the relation types a neighbour can be reached by (the API declares both).
NODE_TYPES = ("Person", "Organization", "Account", "Phone", "Address", "Case", "Document", "Mention")
LINK_TYPES = ("ROLE_IN", "LEGAL_REP_OF", "SHAREHOLDER_OF", "CONTROLS", "EMPLOYED_BY", "HOLDS", "TRANSFERRED", "USES",
              "LOCATED_AT", "MENTIONED_IN", "OF_CASE", "POSSIBLY_SAME_AS", "HAS_MEMBER", "HANDLED_BY", "CITES",
              "CO_DEFENDANT", "ACTS_FOR")
# Past the first hop each node of the frontier gets an equal share of the page, but at least this.
_MIN_SHARE = 3
# However deep, an answer names at most this many nodes (a chart of more is not read by anyone).
MAX_NODES = 2000


@dataclass(frozen=True, slots=True)
class Filters:
    types: tuple[str, ...] | None = None       # neighbour labels
    rel_types: tuple[str, ...] | None = None   # relation types
    since: str | None = None                   # ISO dates: links with a time outside are left out
    until: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.types or ()) - set(NODE_TYPES))
        if unknown:
            raise InvalidInput(f"unknown entity type: {', '.join(unknown)}")
        unknown = sorted(set(self.rel_types or ()) - set(LINK_TYPES))
        if unknown:
            raise InvalidInput(f"unknown relation type: {', '.join(unknown)}")
        if self.since and self.until and self.since > self.until:
            raise InvalidInput("the date range ends before it starts")

    def params(self) -> dict[str, Any]:
        return {"types": list(self.types) if self.types else None,
                "rel_types": list(self.rel_types) if self.rel_types else None,
                "since": self.since, "until": self.until}


def encode_cursor(rel_type: str, after: str, total: int, filters: Filters) -> str:
    """An opaque cursor: the rows of one relation type past `after` (a row key of the page statement:
    a node's element id, a direction, a role) under the same filters, with the type's count as the
    first page gave it. It holds no key or identifier (a masked role receives it as it is)."""
    state = {"t": rel_type, "a": after, "n": total, "f": asdict(filters)}
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str, int, Filters]:
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        f = state["f"]
        filters = Filters(tuple(f["types"]) if f["types"] else None, tuple(f["rel_types"]) if f["rel_types"] else None,
                          f["since"], f["until"])
        rel_type, after, total = str(state["t"]), str(state["a"]), int(state["n"])
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("the cursor is not one this server gave") from exc
    if rel_type not in LINK_TYPES or total < 0:
        raise InvalidInput("the cursor is not one this server gave")
    return rel_type, after, total, filters


@dataclass
class _Growing:
    """The answer being built hop by hop: nodes by key (first distance wins) and edges without repeats."""
    root: str
    neighbors: dict[str, dict[str, Any]]
    edges: dict[tuple[str, str, str, str | None], dict[str, Any]]

    def add(self, origin_key: str, distance: int, row: dict[str, Any]) -> bool:
        """Record one row; True when it reached a node not seen before."""
        other = row["key"]
        known = other == self.root or other in self.neighbors
        if not known and len(self.neighbors) >= MAX_NODES:
            return False
        start, end = (origin_key, other) if row["out"] else (other, origin_key)
        self.edges.setdefault((row["type"], start, end, row["role"]), {
            "type": row["type"], "from": start, "to": end, "role": row["role"], "sources": sorted(row["sources"]),
            "facts": row["facts"], "latest": row["latest"]})
        if known:
            return False
        self.neighbors[other] = {"key": other, "label": row["label"], "distance": distance, "name": row["name"]}
        return True


def _hop(driver: Driver, database: str, caller: Caller, frontier: list[str], after: str | None, limit: int,
         filters: Filters) -> list[dict[str, Any]]:
    records = read_records(driver, database, cypher("entity_neighbors_page"), frontier=frontier, after=after,
                           limit=limit, **filters.params(), **visibility_params(caller))
    return [{"origin": r["origin"], "type": r["type"], "total": r["total"], "row": r["row"]} for r in records]


def _more(counts: dict[str, int], past: dict[str, int], shown: dict[str, int], last: dict[str, str],
          filters: Filters) -> list[dict[str, Any]]:
    """Per type with rows beyond this page: how many, and the cursor past the page's last row."""
    more = []
    for rel_type, rows in sorted(past.items()):
        remaining = rows - shown.get(rel_type, 0)
        if remaining > 0:
            more.append({"type": rel_type, "remaining": remaining,
                         "next": encode_cursor(rel_type, last[rel_type], counts[rel_type], filters)})
    return more


def neighborhood(driver: Driver, database: str, caller: Caller, view: dict[str, Any], depth: int, limit: int,
                 filters: Filters, cursor: str | None = None, root_eid: str | None = None) -> dict[str, Any]:
    """What lies around the visible entity `view` (its key and label), one page per type; `root_eid`
    is its element id when the caller already read it."""
    key, label = view["key"], view["label"]
    answer: dict[str, Any] = {"hit": True, "visible": True, "key": key, "label": label, "depth": depth,
                              "neighbors": [], "edges": [], "counts": {}, "more": []}
    if root_eid is None:
        records = read_records(driver, database, cypher("node_element_id", label=label), key=key)
        if not records:
            return answer
        root_eid = str(records[0]["eid"])
    after: str | None = None
    known_total: int | None = None
    if cursor is not None:
        rel_type, after, known_total, filters = decode_cursor(cursor)
        filters = Filters(filters.types, (rel_type,), filters.since, filters.until)
        depth = answer["depth"] = 1
    grown = _Growing(key, {}, {})
    keys_by_eid = {root_eid: key}
    frontier, share = [root_eid], limit
    for distance in range(1, depth + 1):
        rows = _hop(driver, database, caller, frontier, after if distance == 1 else None, share, filters)
        reached: list[str] = []
        past: dict[str, int] = {}    # distance 1: visible rows of each type from the cursor on
        shown: dict[str, int] = {}
        last: dict[str, str] = {}
        for r in rows:
            row = r["row"]
            if distance == 1:
                past[r["type"]] = r["total"]
                shown[r["type"]] = shown.get(r["type"], 0) + 1
                last[r["type"]] = row["k"]
            if grown.add(keys_by_eid[r["origin"]], distance, {**row, "type": r["type"]}):
                keys_by_eid[row["eid"]] = row["key"]
                reached.append(row["eid"])
        if distance == 1:
            # a cursor's page keeps the count its first page gave (the rows before it are not counted again)
            answer["counts"] = {t: known_total if known_total is not None else n for t, n in past.items()}
            answer["more"] = _more(answer["counts"], past, shown, last, filters)
        if not reached:
            break
        frontier, share = reached, max(_MIN_SHARE, limit // len(reached))
    answer["neighbors"] = sorted(grown.neighbors.values(), key=lambda n: (n["distance"], n["key"]))
    answer["edges"] = sorted(grown.edges.values(), key=lambda e: (e["type"], e["from"], e["to"], e["role"] or ""))
    return answer
