"""Watches, alerts and risk grades over HTTP (issue 19).

Watches are the caller's own or its agency's (`for_agency`). Alerts are listed, marked read and
streamed (server-sent events) as the caller's agency may see their documents now: in full when
visible, hit-only otherwise. Every call and every streamed delivery is written to the audit log;
masked roles get identifiers masked as everywhere else. Admins administer and do not browse case
data, so these routes need the `lookup` permission.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from casegraph.access import Caller
from casegraph.alerts.grading import GRADES
from casegraph.alerts.watches import watch_spec
from casegraph.api.alert_stream import AlertHub
from casegraph.api.auth import AUTHENTICATED, allowed_to, returned
from casegraph.api.deps import GraphDep
from casegraph.api.masking_layer import masked_answer
from casegraph.errors import InvalidInput
from casegraph.graph import alert_store, grades
from casegraph.graph.audit_log import AuditLog, AuditRecord

router = APIRouter(prefix="/v1", tags=["alerts"], dependencies=AUTHENTICATED)
Reader = Annotated[Caller, Depends(allowed_to("lookup"))]
# How often an idle stream says it is alive (a comment line), so proxies keep the connection.
KEEPALIVE_S = 15.0


class WatchCreate(BaseModel):
    kind: Literal["identifier", "entity", "case", "ring", "open_cases"]
    value: str | None = Field(default=None, max_length=300,
                              description="an identifier in any spelling, an entity key, a case key or a ring id; "
                                          "none for open_cases")
    for_agency: bool = Field(default=False, description="watch for every user of the caller's agency")
    note: str | None = Field(default=None, max_length=1000)


class MarkRead(BaseModel):
    ids: list[str] = Field(min_length=1, max_length=1000)


@router.post("/watches", status_code=201)
def create_watch(request: Request, graph: GraphDep, caller: Reader, body: WatchCreate) -> dict[str, Any]:
    """Watch an identifier, entity, case or ring, or every open case of the caller's agency."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    spec = watch_spec(body.kind, body.value, caller.agency)
    watch = alert_store.add_watch(graph.driver, graph.database, caller, spec, for_agency=body.for_agency,
                                  note=body.note)
    returned(request, [watch["id"]])
    return dict(masked_answer(request, caller, watch))


@router.get("/watches")
def get_watches(request: Request, graph: GraphDep, caller: Reader, derived: bool = False,
                skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """The caller's and its agency's watches (`derived`: also the parties a case watch covers)."""
    watches = alert_store.list_watches(graph.driver, graph.database, caller, derived=derived, skip=skip, limit=limit)
    returned(request, [w["id"] for w in watches])
    return {"data": masked_answer(request, caller, watches), "count": len(watches)}


@router.delete("/watches/{watch_id}", status_code=204)
def delete_watch(graph: GraphDep, caller: Reader, watch_id: Annotated[str, Path(max_length=100)]) -> None:
    alert_store.remove_watch(graph.driver, graph.database, caller, watch_id)


@router.get("/alerts")
def get_alerts(request: Request, graph: GraphDep, caller: Reader,
               unread: bool | None = None,
               grade: Annotated[list[Literal["低", "中", "高", "重大"]] | None, Query()] = None,
               entity: Annotated[str | None, Query(max_length=300)] = None,
               since: Annotated[str | None, Query(max_length=40, description="ISO 8601 time")] = None,
               skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The caller's alerts, newest first: full when its agency may see the document, else hit-only.
    New ones also come as server-sent events from GET /v1/alerts/stream (`event: alert`, the same
    objects as JSON `data`, the alert id as `id`)."""
    if since is not None:
        try:
            since = datetime.fromisoformat(since).isoformat()
        except ValueError:
            raise InvalidInput(f"`since` must be an ISO 8601 time, not {since!r}") from None
    alerts = alert_store.list_alerts(graph.driver, graph.database, caller, unread=unread, since=since,
                                     entity=entity, grades=list(grade) if grade else None, skip=skip, limit=limit)
    returned(request, _delivered_keys(alerts))
    return {"data": masked_answer(request, caller, alerts), "count": len(alerts), "grades": list(GRADES)}


@router.post("/alerts/read")
def read_alerts(request: Request, graph: GraphDep, caller: Reader, body: MarkRead) -> dict[str, int]:
    request.state.audit_body = body.model_dump()
    marked = alert_store.mark_read(graph.driver, graph.database, caller, body.ids)
    returned(request, body.ids)
    return {"marked": marked}


@router.get("/grades/entities/{key}")
def get_entity_grade(request: Request, graph: GraphDep, caller: Reader,
                     key: Annotated[str, Path(min_length=3, max_length=300)]) -> dict[str, Any]:
    """An entity's risk grade as the caller's agency sees it, part by part."""
    found = grades.entity_grade(graph.driver, graph.database, caller.agency, key)
    returned(request, [key])
    return dict(masked_answer(request, caller, found))


@router.get("/grades/rings/{ring_id}")
def get_ring_grade(request: Request, graph: GraphDep, caller: Reader,
                   ring_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    found = grades.ring_grade(graph.driver, graph.database, caller.agency, ring_id)
    returned(request, [ring_id])
    return found


def _delivered_keys(alerts: list[dict[str, Any]]) -> list[str]:
    """What an alert delivery hands over, for its audit record: the alert, its entity, and the document,
    ring members or merged node only when they were shown."""
    keys: list[str] = []
    for alert in alerts:
        keys.append(alert["id"])
        if alert["entity"]["key"] is not None:  # None: an alert on a whole watched ring
            keys.append(alert["entity"]["key"])
        if alert.get("visible") and alert.get("document"):
            keys.append(alert["document"]["key"])
        if alert.get("visible") and alert.get("ring"):
            keys += [alert["ring"]["id"], *alert["ring"]["added"], *alert["ring"]["removed"]]
        if alert.get("visible") and alert.get("other"):
            keys.append(alert["other"])
    return keys


def hub_of(request: Request) -> AlertHub:
    state = request.app.state
    hub: AlertHub | None = getattr(state, "alert_hub", None)
    if hub is None:
        hub = state.alert_hub = AlertHub(state.driver, state.settings.neo4j_database)
    return hub


# Left out of the OpenAPI schema: a schema-driven client or fuzzer would wait on it for ever. The
# events carry exactly the objects GET /v1/alerts lists.
@router.get("/alerts/stream", response_class=StreamingResponse, include_in_schema=False)
async def stream_alerts(request: Request, caller: Reader) -> StreamingResponse:
    """New alerts of the caller as server-sent events (`event: alert`, `id`, JSON `data`); each delivery
    is audited. Older alerts: GET /v1/alerts."""
    hub = hub_of(request)
    log: AuditLog = request.app.state.audit_log
    subscriber = hub.subscribe(caller)

    async def events() -> AsyncIterator[bytes]:
        try:
            yield b": connected\n\n"
            while True:
                try:
                    alert = await asyncio.wait_for(subscriber.queue.get(), KEEPALIVE_S)
                except TimeoutError:
                    yield b": keepalive\n\n"
                    continue
                await log.append_async(AuditRecord(
                    user=caller.user, agency=caller.agency, role=caller.role, action="alert_delivery",
                    method="GET", path="/v1/alerts/stream", params={"alert": alert["id"]}, purpose=None,
                    returned=_delivered_keys([alert]), status=200))
                data = json.dumps(masked_answer(request, caller, alert), ensure_ascii=False, separators=(",", ":"))
                yield f"id: {alert['id']}\nevent: alert\ndata: {data}\n\n".encode()
        finally:
            hub.unsubscribe(subscriber)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
