"""Review of a single ring member: confirmed or dismissed, with a note, audited like a ring's review.

A member is named by its position in the ring's member list as `GET /v1/rings/{id}` gives it to the
caller: analysts read members' keys masked, so a key is not something they can send back.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from casegraph.api.auth import CallerDep, returned
from casegraph.api.deps import GraphDep
from casegraph.api.masking_layer import masked_answer
from casegraph.api.routes_rings import Review, _require_analyst
from casegraph.errors import NotFound
from casegraph.graph import rings as ring_store

router = APIRouter(prefix="/v1", tags=["rings"])


# Named for the audit log: the action of every member review, a refused one included.
@router.post("/rings/{ring_id}/members/{position}/review", name="ring_member_review")
async def review_member(request: Request, graph: GraphDep, caller: CallerDep, ring_id: str, review: Review,
                        position: Annotated[int, Path(ge=0, le=100_000, description="the member's position in "
                                                      "the ring's member list, from 0")]) -> JSONResponse:
    request.state.audit_body = {"ring": ring_id, "member": position, **review.model_dump()}
    _require_analyst(caller)
    ring = await run_in_threadpool(ring_store.get_ring, graph.driver, graph.database, caller.agency, ring_id)
    if position >= len(ring["members"]):
        raise NotFound(f"ring {ring_id!r} has no member at position {position}")
    member = ring["members"][position]["key"]
    verdict = await run_in_threadpool(ring_store.review_member, graph.driver, graph.database, caller.agency,
                                      caller.user, ring_id, member, review.status, review.note)
    returned(request, [verdict["id"], verdict["member"]])
    return JSONResponse(masked_answer(request, caller, verdict))
