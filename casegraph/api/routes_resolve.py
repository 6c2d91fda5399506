"""Resolution decisions and document removal: thin routes over casegraph.graph.decisions and the writer.

Authentication and visibility are added to every /v1 route by the access layer; these routes take
the deciding investigator from the body until then.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from casegraph.api.deps import GraphDep
from casegraph.graph import decisions, writer

router = APIRouter(prefix="/v1", tags=["resolution"])


class DecisionBase(BaseModel):
    by: str = Field(min_length=1, max_length=200, description="the investigator who decides", examples=["cq-police/li"])
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
async def list_candidates(graph: GraphDep, label: Annotated[str, Query(pattern="^(Person|Organization)$")] = "Person",
                          limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> CandidatesPublic:
    rows = await run_in_threadpool(decisions.open_candidates, graph.driver, graph.database, label, limit)
    return CandidatesPublic(data=[Candidate.model_validate(r) for r in rows], count=len(rows))


@router.get("/resolution/decisions")
async def list_decisions(graph: GraphDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    return await run_in_threadpool(decisions.decisions, graph.driver, graph.database, limit)


@router.post("/resolution/confirm", response_model=DecisionPublic, status_code=201)
async def confirm(graph: GraphDep, body: ConfirmRequest) -> DecisionPublic:
    return _public(await run_in_threadpool(decisions.confirm, graph.driver, graph.database, body.keep, body.merge,
                                           body.by, body.why))


@router.post("/resolution/reject", response_model=DecisionPublic, status_code=201)
async def reject(graph: GraphDep, body: RejectRequest) -> DecisionPublic:
    return _public(await run_in_threadpool(decisions.reject, graph.driver, graph.database, body.a, body.b,
                                           body.by, body.why))


@router.post("/resolution/split", response_model=DecisionPublic, status_code=201)
async def split(graph: GraphDep, body: SplitRequest) -> DecisionPublic:
    return _public(await run_in_threadpool(decisions.split, graph.driver, graph.database, body.key, body.documents,
                                           body.by, body.why))


@router.delete("/documents/{key}", status_code=204)
async def delete_document(graph: GraphDep, key: str) -> None:
    await run_in_threadpool(writer.delete_document, graph.driver, graph.database, key)
