"""Access requests between agencies, and the owner's control of its documents' sharing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from casegraph.access import Caller
from casegraph.api.auth import AUTHENTICATED, allowed_to, returned
from casegraph.api.deps import GraphDep
from casegraph.api.models import (
    AccessDecision,
    AccessRequest,
    AccessRequestCreate,
    AccessRequests,
    DocumentSharing,
    SharingChange,
)
from casegraph.errors import InvalidInput
from casegraph.graph import lookups, sharing

router = APIRouter(prefix="/v1", tags=["access"], dependencies=AUTHENTICATED)
RequestId = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/access-requests", response_model=AccessRequest, status_code=201)
def create_access_request(request: Request, graph: GraphDep, body: AccessRequestCreate,
                          caller: Annotated[Caller, Depends(allowed_to("request_access"))]) -> dict[str, Any]:
    """Ask the holder agency of a hit/no-hit answer for access to what it holds."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    request.state.purpose = body.purpose
    if (body.identifier is None) == (body.key is None):
        raise InvalidInput("name either the identifier or the entity key that was looked up")
    if body.identifier is not None:
        label, key = lookups.identifier_key(body.identifier)
        query = body.identifier
        lookups.lookup(graph.driver, graph.database, caller, body.identifier)  # 404 unless a hit
    else:
        key = query = str(body.key)
        label = lookups.entity_label(graph.driver, graph.database, caller, key)
    created = sharing.create_request(graph.driver, graph.database, requester=caller.user,
                                     requester_agency=caller.agency, holder_agency=body.holder, query=query,
                                     entity_key=key, entity_label=label, purpose=body.purpose)
    returned(request, [created["id"]])
    return created


@router.get("/access-requests", response_model=AccessRequests)
def list_access_requests(request: Request, graph: GraphDep,
                         caller: Annotated[Caller, Depends(allowed_to("list_access"))],
                         status: Annotated[Literal["pending", "approved", "denied"] | None, Query()] = None,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """Requests the caller's agency made or received."""
    data = sharing.list_requests(graph.driver, graph.database, caller.agency, status, limit)
    returned(request, [r["id"] for r in data])
    return {"data": data, "count": len(data)}


def _decide(request: Request, graph: GraphDep, caller: Caller, request_id: str, body: AccessDecision,
            approve: bool) -> dict[str, Any]:
    request.state.audit_body = body.model_dump(exclude_none=True)
    result = sharing.decide(graph.driver, graph.database, request_id, approve=approve, agency=caller.agency,
                            decided_by=caller.user, days=body.days, note=body.note)
    returned(request, [request_id])
    return result


@router.post("/access-requests/{request_id}/approve", response_model=AccessRequest)
def approve_access_request(request: Request, graph: GraphDep, request_id: RequestId, body: AccessDecision,
                           caller: Annotated[Caller, Depends(allowed_to("decide_access"))]) -> dict[str, Any]:
    """Approve a request addressed to the caller's agency: a grant for `days` over its matching documents."""
    return _decide(request, graph, caller, request_id, body, approve=True)


@router.post("/access-requests/{request_id}/deny", response_model=AccessRequest)
def deny_access_request(request: Request, graph: GraphDep, request_id: RequestId, body: AccessDecision,
                        caller: Annotated[Caller, Depends(allowed_to("decide_access"))]) -> dict[str, Any]:
    return _decide(request, graph, caller, request_id, body, approve=False)


@router.put("/documents/{key}/sharing", response_model=DocumentSharing)
def set_document_sharing(request: Request, graph: GraphDep,
                         key: Annotated[str, Path(min_length=5, max_length=100, pattern=r"^doc:[0-9a-f]+$")],
                         body: SharingChange,
                         caller: Annotated[Caller, Depends(allowed_to("set_sharing"))]) -> dict[str, Any]:
    """Set the sharing level of one of the caller's agency's documents."""
    request.state.audit_body = body.model_dump()
    result = sharing.set_sharing(graph.driver, graph.database, key, body.level, body.shared_with, caller.agency)
    returned(request, [key])
    return result
