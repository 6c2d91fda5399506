"""Handling alerts and working a ring together (联合处置, issue 19).

An alert belongs to one agency, so its handling is that agency's: acknowledged, assigned to one of
its users, closed, each step kept with who and when. A joint handling record links the agencies
working the same ring: an agency that may see the ring opens or joins it, and only the agencies in
it see it and add notes. Log entries are JSON strings (Neo4j properties hold no maps).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from casegraph.access import Caller
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph import rings
from casegraph.graph.queries import cypher

ALERT_STATES = ("acknowledged", "assigned", "closed")


def entry(caller: Caller, action: str, note: str | None, **more: Any) -> str:
    return json.dumps({"at": datetime.now(UTC).isoformat(), "agency": caller.agency, "user": caller.user,
                       "action": action, "note": note, **more}, ensure_ascii=False)


def with_log(row: dict[str, Any], field: str = "log") -> dict[str, Any]:
    return {**row, field: [json.loads(entry) for entry in row.get(field) or []]}


def handle_alert(driver: Driver, database: str, caller: Caller, alert_id: str, state: str,
                 assignee: str | None = None, note: str | None = None) -> dict[str, Any]:
    if state not in ALERT_STATES:
        raise InvalidInput(f"state must be one of {', '.join(ALERT_STATES)}, not {state!r}")
    if (state == "assigned") != bool(assignee):
        raise InvalidInput("an assignment names the user it goes to (assignee), and only an assignment does")
    records, _, _ = driver.execute_query(
        cypher("alert_handle"), id=alert_id, agency=caller.agency, user=caller.user, state=state, assignee=assignee,
        entry=entry(caller, state, note, assignee=assignee), database_=database)
    if not records:
        raise NotFound(f"no alert {alert_id!r} of yours or your agency's")
    return with_log(records[0].data())


def open_joint(driver: Driver, database: str, caller: Caller, ring_id: str, note: str | None) -> dict[str, Any]:
    """A joint handling record on a ring the caller's agency may see (NotFound otherwise)."""
    rings.get_ring(driver, database, caller.agency, ring_id)
    records, _, _ = driver.execute_query(cypher("joint_create"), id=f"jh-{uuid.uuid4().hex[:16]}", ring=ring_id,
                                         agency=caller.agency, entry=entry(caller, "opened", note),
                                         database_=database)
    return with_log(dict(records[0]["joint"]))


def join_joint(driver: Driver, database: str, caller: Caller, joint_id: str, note: str | None) -> dict[str, Any]:
    """The caller's agency joins: it must see the record's ring, as an agency that opens one must."""
    found, _, _ = driver.execute_query(cypher("joint_get"), id=joint_id, database_=database)
    if not found:
        raise NotFound(f"no joint handling {joint_id!r}")
    if caller.agency not in found[0]["agencies"]:
        try:
            rings.get_ring(driver, database, caller.agency, found[0]["ring"])
        except NotFound:
            raise NotFound(f"no joint handling {joint_id!r}") from None  # its ring is not the caller's to see
    return _logged(driver, database, caller, joint_id, "joined", note, join=True)


def note_joint(driver: Driver, database: str, caller: Caller, joint_id: str, note: str) -> dict[str, Any]:
    if not note.strip():
        raise InvalidInput("a note needs a text")
    return _logged(driver, database, caller, joint_id, "note", note, join=False)


def _logged(driver: Driver, database: str, caller: Caller, joint_id: str, action: str, note: str | None,
            *, join: bool) -> dict[str, Any]:
    records, _, _ = driver.execute_query(cypher("joint_join"), id=joint_id, agency=caller.agency, join=join,
                                         entry=entry(caller, action, note), database_=database)
    if not records:
        raise NotFound(f"no joint handling {joint_id!r} your agency is in")
    return with_log(dict(records[0]["joint"]))


def list_joint(driver: Driver, database: str, caller: Caller, ring: str | None = None, skip: int = 0,
               limit: int = 100) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("joint_list"), agency=caller.agency, ring=ring, skip=skip,
                                         limit=limit, database_=database, routing_="r")
    return [with_log(dict(r["joint"])) for r in records]
