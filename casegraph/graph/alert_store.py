"""Watches and alerts in Neo4j (issue 19): the writer's in-transaction alert step, and the reads the
API delivers alerts with.

Alerts are written in the writer's document transaction (`record_alerts`), so a crash between the
commit of the facts and an alert cannot happen: both commit or neither. They store references
(document, entity, watch), never content: what an alert shows is decided when it is read, with the
sharing of its document at that moment (alerts_visible.cypher).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver, ManagedTransaction

from casegraph.access import Caller
from casegraph.alerts.triggers import WatchHit, alert_rows, case_parties, touches
from casegraph.alerts.watches import WatchSpec
from casegraph.errors import NotFound
from casegraph.graph.facts import DocumentFacts
from casegraph.graph.grades import entity_grades, ring_grade
from casegraph.graph.lookups import hit_no_hit
from casegraph.graph.queries import cypher


def record_alerts(tx: ManagedTransaction, batch: Sequence[DocumentFacts]) -> int:
    """Inside the writer's transaction: watch the new parties of watched cases, then raise an alert for
    every watch on an entity the batch touched. One indexed lookup per batch, not per mention."""
    parties = [row for row in case_parties(batch) if row["keys"]]
    if parties:
        tx.run(cypher("watches_expand_scopes"), rows=parties).consume()
    found = touches(batch)
    if not found:
        return 0
    keys = sorted({t.key for t in found})
    hits = [WatchHit(r["key"], r["watch"], r["agency"], r["user"])
            for r in tx.run(cypher("watches_for_keys"), keys=keys)]
    created = 0
    for label, rows in alert_rows(found, hits).items():
        tx.run(cypher("alerts_create", label=label), rows=rows, label=label).consume()
        created += len(rows)
    return created


def add_watch(driver: Driver, database: str, caller: Caller, spec: WatchSpec, *, for_agency: bool,
              note: str | None = None) -> dict[str, Any]:
    """Store a watch (idempotent) and, for a case or open-cases watch, watch the parties named so far."""
    user = None if for_agency else caller.user
    watch_id = spec.watch_id(caller.agency, user)
    records, _, _ = driver.execute_query(
        cypher("watch_create"), id=watch_id, kind=spec.kind, target=spec.target, scope=spec.scope,
        agency=caller.agency, user=user, label=spec.label, note=note, created_by=caller.user, database_=database)
    watch = dict(records[0]["watch"])
    watch["watched"] = 1 if spec.target and spec.kind != "case" else 0
    if spec.scope is not None:
        case = spec.target if spec.kind == "case" else None
        expanded, _, _ = driver.execute_query(cypher("watch_expand_existing"), id=watch_id, case=case,
                                              agency=caller.agency, database_=database)
        watch["watched"] += int(expanded[0]["watched"]) if expanded else 0
    return watch


def add_entity_watches(driver: Driver, database: str, created_by: str,
                       watches: Sequence[tuple[WatchSpec, str, str | None]]) -> int:
    """Store many entity watches (spec, agency, user or None for the agency) in one statement."""
    rows = [{"id": spec.watch_id(agency, user), "target": spec.target, "agency": agency, "user": user,
             "label": spec.label} for spec, agency, user in watches]
    records, _, _ = driver.execute_query(cypher("watches_create_many"), rows=rows, created_by=created_by,
                                         database_=database)
    return int(records[0]["watched"]) if records else 0


def list_watches(driver: Driver, database: str, caller: Caller, *, derived: bool = False, skip: int = 0,
                 limit: int = 100) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("watch_list"), agency=caller.agency, user=caller.user,
                                         derived=derived, skip=skip, limit=limit, database_=database, routing_="r")
    return [dict(r["watch"]) for r in records]


def remove_watch(driver: Driver, database: str, caller: Caller, watch_id: str) -> None:
    records, _, _ = driver.execute_query(cypher("watch_delete"), id=watch_id, agency=caller.agency,
                                         user=caller.user, database_=database)
    if not records or not records[0]["deleted"]:
        raise NotFound(f"no watch {watch_id!r} of yours or your agency's")


def list_alerts(driver: Driver, database: str, caller: Caller, *, unread: bool | None = None,
                since: str | None = None, entity: str | None = None, ids: list[str] | None = None,
                grades: list[str] | None = None, skip: int = 0, limit: int = 100,
                any_user: bool = False) -> list[dict[str, Any]]:
    """The caller's alerts as its agency may see them now (full, or hit-only), newest first, each with
    the entity's risk grade as that agency sees it. A grade filter applies to the newest 1,000."""
    window = (0, GRADE_FILTER_WINDOW) if grades else (skip, limit)
    records, _, _ = driver.execute_query(
        cypher("alerts_visible"), agency=caller.agency, user=caller.user, unread=unread, since=since,
        entity=entity, ids=ids, any_user=any_user, skip=window[0], limit=window[1], database_=database, routing_="r")
    rows = [r.data() for r in records]
    by_label: dict[str, list[str]] = {}
    for row in rows:
        if row["entity"] is not None and row["entity"] not in by_label.setdefault(row["type"], []):
            by_label[row["type"]].append(row["entity"])
    graded = entity_grades(driver, database, caller.agency, by_label)
    alerts = [_rendered(row, _grade_of(driver, database, caller.agency, row, graded)) for row in rows]
    if grades:
        alerts = [a for a in alerts if a["grade"]["grade"] in grades][skip:skip + limit]
    return alerts


def _grade_of(driver: Driver, database: str, agency: str, row: dict[str, Any],
              graded: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The entity's grade as the caller's agency sees it; for an alert on a whole ring, the ring's."""
    if row["entity"] is None and row["ring"] is not None:
        try:
            return ring_grade(driver, database, agency, row["ring"]["id"])
        except NotFound:
            pass
    # An entity gone with its last document has no grade.
    return graded.get(row["entity"], {"key": row["entity"], "grade": None, "parts": []})


GRADE_FILTER_WINDOW = 1000


def _rendered(row: dict[str, Any], grade: dict[str, Any]) -> dict[str, Any]:
    """One alert for its recipient: in full when its evidence is visible to its agency (the document, a
    ring's change, the other node of a merge), else only who holds the evidence and in how many cases
    (hit-only), with where to ask for access."""
    alert: dict[str, Any] = {
        "id": row["id"], "at": row["at"], "read": row["read"], "trigger": row["trigger"], "events": row["events"],
        "entity": {"key": row["entity"], "type": row["type"]}, "own_cases": row["own_cases"] or [],
        "for_agency": row["for_agency"], "recipient": row["recipient"], "watch": row["watch_root"],
        "grade": grade}
    if row["visible"]:
        alert["visible"] = True
        shown = {name: row[name] for name in ("document", "cases", "ring", "other") if row[name] is not None}
        alert.update(shown)
    else:
        alert.update(hit_no_hit(row["holders"] or []))
    return alert


def mark_read(driver: Driver, database: str, caller: Caller, ids: list[str]) -> int:
    records, _, _ = driver.execute_query(cypher("alerts_mark_read"), ids=ids, agency=caller.agency,
                                         user=caller.user, database_=database)
    return int(records[0]["marked"]) if records else 0


def recent_alerts(driver: Driver, database: str, since: str, agencies: list[str]) -> list[dict[str, Any]]:
    """For the stream's one poller per process: ids and recipients of alerts created after `since`."""
    records, _, _ = driver.execute_query(cypher("alerts_recent"), since=since, agencies=agencies,
                                         database_=database, routing_="r")
    return [r.data() for r in records]
