"""Administration within one's own agency: users and their API keys, and the audit log.

The audit log is read-only here: there is no route that edits or deletes a record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from casegraph.access import Caller
from casegraph.api.auth import AUTHENTICATED, allowed_to, returned
from casegraph.api.deps import GraphDep
from casegraph.api.models import AuditEvents, UserCreate, UserCreated, UserPublic, UsersPublic
from casegraph.errors import Forbidden, InvalidInput
from casegraph.graph import audit_log, users

router = APIRouter(prefix="/v1", tags=["admin"], dependencies=AUTHENTICATED)
AdminCaller = Annotated[Caller, Depends(allowed_to("manage_users"))]
AuditCaller = Annotated[Caller, Depends(allowed_to("read_audit"))]


@router.post("/users", response_model=UserCreated, status_code=201)
def add_user(request: Request, graph: GraphDep, body: UserCreate, caller: AdminCaller) -> dict[str, Any]:
    """Add a user to the admin's agency; the answer holds its API key, which is never shown again."""
    request.state.audit_body = body.model_dump()
    user, key = users.add_user(graph.driver, graph.database, body.name, caller.agency, body.role,
                               created_by=caller.user)
    returned(request, [user["name"]])
    return {**user, "api_key": key}


@router.get("/users", response_model=UsersPublic)
def list_users(request: Request, graph: GraphDep, caller: AdminCaller) -> dict[str, Any]:
    data = users.list_users(graph.driver, graph.database, caller.agency)
    returned(request, [u["name"] for u in data])
    return {"data": data, "count": len(data)}


@router.post("/users/{name}/revoke", response_model=UserPublic)
def revoke_user(request: Request, graph: GraphDep, caller: AdminCaller,
                name: Annotated[str, Path(min_length=1, max_length=64)]) -> dict[str, Any]:
    """Revoke a user's API key at once (the user stays, for the audit log's sake)."""
    user = users.revoke_user(graph.driver, graph.database, name, caller.agency)
    request.app.state.key_cache.clear()  # revoked means revoked now, in this process at least
    returned(request, [user["name"]])
    return user


@router.get("/audit", response_model=AuditEvents)
def read_audit(request: Request, graph: GraphDep, caller: AuditCaller,
               user: Annotated[str | None, Query(max_length=64)] = None,
               agency: Annotated[str | None, Query(max_length=64)] = None,
               action: Annotated[str | None, Query(max_length=64)] = None,
               since: Annotated[datetime | None, Query(description="ISO time, inclusive")] = None,
               until: Annotated[datetime | None, Query(description="ISO time, exclusive")] = None,
               after: Annotated[int, Query(ge=0, le=2**62, description="records after this sequence number")] = 0,
               limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """The audit records of the admin's own agency, oldest first, with filters."""
    if agency is not None and agency != caller.agency:
        raise Forbidden("an admin reads the audit records of its own agency only")
    # What this process answered is in its spool; into Neo4j first. Other processes' records come
    # within their ship interval (CASEGRAPH_AUDIT_SHIP_MS).
    request.app.state.audit_log.flush()
    data = audit_log.query(graph.driver, graph.database, agency=caller.agency, user=user, action=action,
                           since=_iso(since), until=_iso(until), after=after, limit=limit)
    returned(request, [f"audit:{e['seq']}" for e in data])
    return {"data": data, "count": len(data)}


def _iso(moment: datetime | None) -> str | None:
    # Records hold UTC ISO strings, which order as text; naive times are taken as UTC.
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    except OverflowError as exc:
        raise InvalidInput("the time is out of range") from exc
