"""Reading and reviewing the rings that detection runs wrote back, within a caller's sharing.

Visibility is decided in the Cypher (rings_visible, ring_get, ring_review): a member is listed only
through a HAS_MEMBER source the caller's agency may see, a ring with no such member does not exist
for that caller, and every figure of a ring (score and its parts, typologies, regions, agencies,
cases, money moved) is computed over what the caller may see, not read from what the run stored.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, Record

from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.queries import cypher

__all__ = ["REVIEW_STATUSES", "get_ring", "list_rings", "review_member", "review_ring"]

REVIEW_STATUSES = frozenset({"confirmed", "dismissed"})


def _visible_rings(driver: Driver, database: str, agency: str, *, ring_id: str | None = None,
                   run: str | None = None, min_score: float | None = None, region: str | None = None,
                   typology: str | None = None, skip: int = 0, limit: int = 50) -> list[Record]:
    records, _, _ = driver.execute_query(cypher("rings_visible"), agency=agency, id=ring_id, run=run,
                                         min_score=min_score, region=region, typology=typology, skip=skip,
                                         limit=limit, database_=database, routing_="r")
    return records


def _figures(record: Record) -> dict[str, Any]:
    ring = record.data()
    # Cypher has no maps with computed keys: the parts come as [name, value] pairs, in order.
    ring["score_parts"] = {name: value for name, value in ring["score_parts"]}
    return ring


def list_rings(driver: Driver, database: str, agency: str, *, run: str | None = None,
               min_score: float | None = None, region: str | None = None, typology: str | None = None,
               skip: int = 0, limit: int = 50) -> dict[str, Any]:
    records = _visible_rings(driver, database, agency, run=run, min_score=min_score, region=region,
                             typology=typology, skip=skip, limit=limit)
    rings = [_figures(r) for r in records]
    for ring in rings:
        for name in ("run", "reviewed_by", "reviewed_at"):
            ring.pop(name)
    return {"run": records[0]["run"] if records else run, "skip": skip, "limit": limit, "rings": rings}


def get_ring(driver: Driver, database: str, agency: str, ring_id: str) -> dict[str, Any]:
    records = _visible_rings(driver, database, agency, ring_id=ring_id, limit=1)
    if not records:
        raise NotFound(f"no ring {ring_id!r}")
    ring = _figures(records[0])
    members, _, _ = driver.execute_query(cypher("ring_get"), id=ring_id, agency=agency, database_=database,
                                         routing_="r")
    ring["members"] = []
    for key, label, name, why, seen in members[0]["members"]:
        reasons = _visible_why(why, seen)
        # The member's part in the ring by typology name (fan_in, cycle, ...), from its visible reasons.
        parts = sorted({r["typology"] for r in reasons if "typology" in r})
        # `identifier`: the key's text alone, which masking shortens but leaves readable (a masked
        # role receives the key itself as an opaque handle, to open the member with)
        ring["members"].append({"key": key, "identifier": key.split(":", 1)[-1], "type": label, "name": name,
                                "parts": parts, "why": reasons, "sources": seen})
    return ring


def _visible_why(why: str | None, seen: list[str]) -> list[dict[str, Any]]:
    """The stored reasons cut to the sources the query found visible (`seen`): a reason resting
    only on documents the caller may not see is left out, so is the edge it names."""
    visible = set(seen)
    reasons = []
    for reason in json.loads(why or "[]"):
        if "sources" not in reason:
            reasons.append(reason)  # the {"more": n} tail
            continue
        sources = [s for s in reason["sources"] if s in visible]
        if sources:
            reasons.append({**reason, "sources": sources})
    return reasons


def review_ring(driver: Driver, database: str, agency: str, user: str | None, ring_id: str, status: str,
                note: str | None) -> dict[str, Any]:
    if status not in REVIEW_STATUSES:
        raise InvalidInput(f"status must be one of {sorted(REVIEW_STATUSES)}, not {status!r}")
    entry = json.dumps({"status": status, "note": note, "user": user, "agency": agency,
                        "at": datetime.now(UTC).isoformat()}, ensure_ascii=False)
    records, _, _ = driver.execute_query(cypher("ring_review"), id=ring_id, agency=agency, user=user,
                                         status=status, note=note, entry=entry, database_=database)
    if not records:
        raise NotFound(f"no ring {ring_id!r}")
    return records[0].data()


def review_member(driver: Driver, database: str, agency: str, user: str | None, ring_id: str, member: str,
                  status: str, note: str | None) -> dict[str, Any]:
    """A verdict on one member of a ring (kept on its HAS_MEMBER link, with the trail of earlier ones)."""
    if status not in REVIEW_STATUSES:
        raise InvalidInput(f"status must be one of {sorted(REVIEW_STATUSES)}, not {status!r}")
    entry = json.dumps({"status": status, "note": note, "user": user, "agency": agency,
                        "at": datetime.now(UTC).isoformat()}, ensure_ascii=False)
    records, _, _ = driver.execute_query(cypher("ring_member_review"), id=ring_id, member=member, agency=agency,
                                         user=user, status=status, note=note, entry=entry, database_=database)
    if not records:
        raise NotFound(f"no member {member!r} of ring {ring_id!r}")
    return records[0].data()
