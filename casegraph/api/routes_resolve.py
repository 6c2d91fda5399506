"""Resolution decisions and document removal: thin routes over casegraph.graph.decisions and the writer.

The deciding investigator is the caller of the API key; candidates are listed only where the
caller's agency may see both nodes; a document is deleted only by an admin of its own agency.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from casegraph.access.caller import Caller
from casegraph.api.auth import allowed_to
from casegraph.api.deps import GraphDep
from casegraph.errors import Forbidden, NotFound
from casegraph.graph import decisions, writer

router = APIRouter(prefix="/v1", tags=["resolution"])


ResolverDep = Annotated[Caller, Depends(allowed_to("resolve"))]


def _by(caller: Caller) -> str:
    return f"{caller.agency}/{caller.user}"


class DecisionBase(BaseModel):
    why: str = Field(min_length=1, max_length=2000, description="the reason, for the audit trail")


class ConfirmRequest(DecisionBase):
    keep: str = Field(min_length=3, description="the node that stays", examples=["ric:500103198503124515"])
    merge: str = Field(min_length=3, description="the node merged into it")


class RejectRequest(DecisionBase):
    a: str = Field(min_length=3)
    b: str = Field(min_length=3)


class SplitRequest(DecisionBase):
    key: str = Field(min_length=3, description="the node to split")
    documents: list[str] = Field(min_length=1, description="keys of the documents whose mentions leave it")


class DecisionPublic(BaseModel):
    id: str
    kind: str
    keys: list[str]
    result: str


class Candidate(BaseModel):
    a: str
    a_name: str | None = None
    b: str
    b_name: str | None = None
    score: float | None = None
    reasons: list[str] = []


class CandidatesPublic(BaseModel):
    data: list[Candidate]
    count: int


def _public(result: decisions.DecisionResult) -> DecisionPublic:
    return DecisionPublic(id=result.id, kind=result.kind, keys=result.keys, result=result.result)


@router.get("/resolution/candidates", response_model=CandidatesPublic)
async def list_candidates(graph: GraphDep, caller: ResolverDep,
                          label: Annotated[str, Query(pattern="^(Person|Organization)$")] = "Person",
                          limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> CandidatesPublic:
    rows = await run_in_threadpool(decisions.open_candidates, graph.driver, graph.database, label, limit,
                                   caller.agency)
    return CandidatesPublic(data=[Candidate.model_validate(r) for r in rows], count=len(rows))


@router.get("/resolution/decisions")
async def list_decisions(graph: GraphDep, caller: ResolverDep,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    return await run_in_threadpool(decisions.decisions, graph.driver, graph.database, limit, caller.agency)


@router.post("/resolution/confirm", response_model=DecisionPublic, status_code=201)
async def confirm(graph: GraphDep, caller: ResolverDep, body: ConfirmRequest) -> DecisionPublic:
    return _public(await run_in_threadpool(decisions.confirm, graph.driver, graph.database, body.keep, body.merge,
                                           _by(caller), body.why))


@router.post("/resolution/reject", response_model=DecisionPublic, status_code=201)
async def reject(graph: GraphDep, caller: ResolverDep, body: RejectRequest) -> DecisionPublic:
    return _public(await run_in_threadpool(decisions.reject, graph.driver, graph.database, body.a, body.b,
                                           _by(caller), body.why))


@router.post("/resolution/split", response_model=DecisionPublic, status_code=201)
async def split(graph: GraphDep, caller: ResolverDep, body: SplitRequest) -> DecisionPublic:
    return _public(await run_in_threadpool(decisions.split, graph.driver, graph.database, body.key, body.documents,
                                           _by(caller), body.why))


@router.delete("/documents/{key}", status_code=204)
async def delete_document(graph: GraphDep, key: str,
                          caller: Annotated[Caller, Depends(allowed_to("delete_document"))]) -> None:
    owner = await run_in_threadpool(decisions.document_owner, graph.driver, graph.database, key)
    if owner is None:
        raise NotFound(f"no document {key!r}")
    if owner != caller.agency:
        raise Forbidden("only the agency that holds a document may delete it")
    await run_in_threadpool(writer.delete_document, graph.driver, graph.database, key)
