"""Ring detection over the API: start a job, follow it, cancel it; list, explain and review rings.

Jobs run in the worker pool on `app.state.job_runner`; the request returns at once (202) with
the job's id and where to poll. Rings are read within the caller's sharing (casegraph.graph.rings).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from casegraph.access.caller import Caller
from casegraph.api.auth import authenticated, returned
from casegraph.api.deps import GraphDep
from casegraph.api.errors import scope_language
from casegraph.api.masking_layer import masked_answer
from casegraph.bundle.jobs import BUNDLE_JOB
from casegraph.detect.engines import ENGINES
from casegraph.detect.jobs import params_from_request
from casegraph.errors import Forbidden, NotFound
from casegraph.failures import job_said_in
from casegraph.graph import jobs
from casegraph.graph import rings as ring_store

router = APIRouter(prefix="/v1", tags=["rings"])

RING_JOB = "ring-detection"
# Jobs that GET /v1/jobs/{id} reports on (a bundle job's files are served under /v1/bundles/jobs/{id}).
SERVED_JOB_KINDS = frozenset({RING_JOB, BUNDLE_JOB})
ANALYST_ROLES = frozenset({"analyst", "admin"})


# The caller comes from the API key (casegraph.api.auth); the router sits behind AUTHENTICATED.
CallerDep = Annotated[Caller, Depends(authenticated)]


def _require_analyst(caller: Caller) -> None:
    if caller.role not in ANALYST_ROLES:
        raise Forbidden("ring detection and reviews are for analysts and admins")


class JobStarted(BaseModel):
    id: str
    status: str
    status_url: str


class Review(BaseModel):
    status: Literal["confirmed", "dismissed"]
    note: str | None = Field(default=None, max_length=4000)


def _visible_job(graph: GraphDep, caller: Caller, job_id: str) -> dict[str, Any]:
    job = jobs.get(graph.driver, graph.database, job_id)
    # Another agency's job is not ours to see: answer as if it did not exist.
    if job.get("kind") not in SERVED_JOB_KINDS or (caller.role != "admin" and job.get("agency") != caller.agency):
        raise NotFound(f"no job {job_id!r}")
    return job


# The body is DetectionParams' fields by name (any subset) plus the engine; declared here so that
# OpenAPI shows the engine choice (the fields are validated by params_from_request: 422 otherwise).
_RING_JOB_BODY = {"requestBody": {"content": {"application/json": {"schema": {
    "type": "object", "additionalProperties": True,
    "properties": {
        "engine": {"type": "string", "enum": list(ENGINES), "default": "networkx",
                   "description": "networkx (one process), spark (CASEGRAPH_SPARK_MASTER), or auto: spark from "
                                  "CASEGRAPH_SPARK_AUTO_TRANSFERS transfers on"},
        "threshold": {"type": "number", "description": "score threshold (DetectionParams.score_threshold)"}}}}}}}


@router.post("/jobs/ring-detection", status_code=202, response_model=JobStarted, openapi_extra=_RING_JOB_BODY)
async def start_ring_detection(request: Request, graph: GraphDep, caller: CallerDep,
                               params: Annotated[dict[str, Any] | None, Body()] = None) -> JobStarted:
    _require_analyst(caller)
    params_from_request(params)  # reject bad parameters now rather than in the worker
    await run_in_threadpool(jobs.admit, graph.driver, graph.database, caller.agency, sorted(SERVED_JOB_KINDS),
                            request.app.state.settings.jobs_max_per_agency)
    job = await run_in_threadpool(jobs.create, graph.driver, graph.database, RING_JOB, params or {},
                                  caller.agency, caller.user)
    request.app.state.job_runner.submit(job["id"])
    return JobStarted(id=job["id"], status=job["status"], status_url=f"/v1/jobs/{job['id']}")


@router.get("/jobs/{job_id}")
async def get_job(request: Request, graph: GraphDep, caller: CallerDep, job_id: str) -> JSONResponse:
    job = job_said_in(await run_in_threadpool(_visible_job, graph, caller, job_id), scope_language(request.scope))
    keys = ("id", "kind", "status", "progress", "message", "error", "result", "params", "created_at",
            "started_at", "finished_at")
    return JSONResponse({k: job.get(k) for k in keys})


@router.post("/jobs/{job_id}/cancel")
async def cancel_job(graph: GraphDep, caller: CallerDep, job_id: str) -> JSONResponse:
    _require_analyst(caller)
    await run_in_threadpool(_visible_job, graph, caller, job_id)
    job = await run_in_threadpool(jobs.cancel, graph.driver, graph.database, job_id)
    return JSONResponse({"id": job["id"], "status": job["status"], "cancel_requested": job.get("cancel_requested")})


@router.get("/rings")
async def list_rings(request: Request, graph: GraphDep, caller: CallerDep,
                     run: str | None = None,
                     min_score: Annotated[float | None, Query(ge=0)] = None,
                     region: Annotated[str | None, Query(max_length=8)] = None,
                     typology: Annotated[str | None, Query(max_length=40)] = None,
                     skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,  # Cypher SKIP is a 64-bit long
                     limit: Annotated[int, Query(ge=1, le=500)] = 50) -> JSONResponse:
    page = await run_in_threadpool(lambda: ring_store.list_rings(
        graph.driver, graph.database, caller.agency, run=run, min_score=min_score, region=region,
        typology=typology, skip=skip, limit=limit))
    returned(request, [ring["id"] for ring in page["rings"]])
    return JSONResponse(page)


@router.get("/rings/{ring_id}")
async def get_ring(request: Request, graph: GraphDep, caller: CallerDep, ring_id: str) -> JSONResponse:
    ring = await run_in_threadpool(ring_store.get_ring, graph.driver, graph.database, caller.agency, ring_id)
    returned(request, [ring["id"], *(member["key"] for member in ring["members"])])
    # Analysts and admins read rings with resident IDs and account numbers masked, as every lookup,
    # and a member's key as its handle, which opens the member's entity page.
    # (the members only: a ring's id is no identifier, and masking it would break the links to it)
    return JSONResponse({**ring, "members": masked_answer(request, caller, ring["members"])})


# Named for the audit log: the action of every review call, a refused one (422, 403) included.
@router.post("/rings/{ring_id}/review", name="ring_review")
async def review_ring(request: Request, graph: GraphDep, caller: CallerDep, ring_id: str,
                      review: Review) -> JSONResponse:
    # The verdict goes into the audit record, also when the caller may not review.
    request.state.audit_body = {"ring": ring_id, **review.model_dump()}
    _require_analyst(caller)
    verdict = await run_in_threadpool(ring_store.review_ring, graph.driver, graph.database, caller.agency,
                                      caller.user, ring_id, review.status, review.note)
    returned(request, [verdict["id"]])
    return JSONResponse(verdict)
