"""Case-assist bundles: `POST /v1/cases/{key}/bundles`, and the jobs that large cases become.

A large case's bundle is a durable job of kind "bundle" (casegraph.bundle.jobs, run by the API's
job runner like ring detection); its files are stored under `$CASEGRAPH_HOME/bundles/<job id>/`.
Every call is audited with its stated purpose and the keys the answer carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from casegraph.access import Caller
from casegraph.api.auth import allowed_to, returned
from casegraph.api.deps import GraphDep
from casegraph.api.errors import scope_language
from casegraph.api.models import JobError
from casegraph.api.routes_bundle_files import file_links
from casegraph.bundle.assemble import Limits
from casegraph.bundle.jobs import BUNDLE_JOB, job_params, returned_keys
from casegraph.bundle.models import Bundle, Requester
from casegraph.bundle.package import ZIP_NAME
from casegraph.bundle.service import LARGE_CASE_PARTIES, assemble_or_404, case_size, resolve_case
from casegraph.errors import InvalidInput, NotFound
from casegraph.failures import job_said_in
from casegraph.graph import jobs

router = APIRouter(prefix="/v1", tags=["bundle"])

# The caller's agency and user, from its API key (issue 6); bundles are for the roles that work cases.
CallerDep = Annotated[Caller, Depends(allowed_to("bundle"))]


class BundleRequest(BaseModel):
    purpose: str = Field(min_length=3, max_length=500,
                         description="why the bundle is drawn (a case reference); recorded in the audit log "
                                     "and the manifest")
    limit: int = Field(100, ge=1, le=1000, description="parties per page")
    offset: int = Field(0, ge=0, description="first party of the page")


class BundleJob(BaseModel):
    """A bundle job as the API shows it; `result` points at the stored bundle once it succeeded."""

    id: str
    kind: str
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
    progress: float | None = None
    message: str | None = None
    error: JobError | None = Field(None, description="why it failed: code, message, hint, and the reference "
                                                  "of the details in the server's log")
    case: str | None = None
    created_at: str | None = None
    finished_at: str | None = None
    result: dict[str, Any] | None = Field(None, description="parties, file hashes and the links to the "
                                                            "stored bundle (bundle.json and bundle.zip)")


def _job_url(job_id: str) -> str:
    return f"/v1/bundles/jobs/{job_id}"


def _view(job: dict[str, Any]) -> BundleJob:
    result = job.get("result")
    if isinstance(result, dict):  # the stored folder is the server's business: callers follow the links
        result = {"case": result.get("case"), "parties": result.get("parties"), "files": result.get("files"),
                  "bundle": _job_url(job["id"]) + "/bundle", "zip": _job_url(job["id"]) + "/zip"}
    return BundleJob(id=job["id"], kind=job["kind"], status=job["status"], progress=job.get("progress"),
                     message=job.get("message"), error=job.get("error"), case=(job.get("params") or {}).get("case"),
                     created_at=job.get("created_at"), finished_at=job.get("finished_at"), result=result)


def _own_job(graph: GraphDep, caller: Caller, job_id: str) -> dict[str, Any]:
    job = jobs.get(graph.driver, graph.database, job_id)
    # Another agency's job, or a job of another kind, does not exist for this caller.
    if job.get("kind") != BUNDLE_JOB or job.get("agency") != caller.agency:
        raise NotFound(f"no bundle job {job_id!r}")
    return job


def _stored(request: Request, graph: GraphDep, caller: Caller, job_id: str, name: str) -> Path:
    job = _own_job(graph, caller, job_id)
    if job["status"] != "succeeded":
        raise InvalidInput(f"bundle job {job_id} is {job['status']}, not succeeded")
    result = job["result"]
    request.state.purpose = (job.get("params") or {}).get("purpose")
    returned(request, list(result.get("returned", [])))
    path = Path(result["folder"]) / name
    if not path.is_file():
        raise NotFound(f"the stored bundle of job {job_id} is gone")
    return path


@router.post("/cases/{key}/bundles", response_model=Bundle,
             responses={202: {"model": BundleJob, "description": "a large case: poll the job at `Location`"}})
async def create_bundle(key: str, request: Request, graph: GraphDep, caller: CallerDep,
                        body: BundleRequest) -> Bundle | JSONResponse:
    """The case-assist bundle of one case within the caller's visibility; a job (202) for large cases."""
    request.state.purpose = body.purpose
    # A bare case number is accepted where it names one case the caller's agency may see.
    key = await run_in_threadpool(resolve_case, graph.driver, graph.database, key, caller.agency)
    requester = Requester(agency=caller.agency, user=caller.user, purpose=body.purpose)
    limits = Limits(parties=body.limit, offset=body.offset)
    size = await run_in_threadpool(case_size, graph.driver, graph.database, key, requester)
    threshold = getattr(request.app.state, "bundle_large_case_parties", LARGE_CASE_PARTIES)
    if size > threshold:
        settings = request.app.state.settings
        await run_in_threadpool(jobs.admit, graph.driver, graph.database, caller.agency, ["bundle", "ring-detection"],
                                settings.jobs_max_per_agency)
        store = settings.home / "bundles"
        job = await run_in_threadpool(jobs.create, graph.driver, graph.database, BUNDLE_JOB,
                                      job_params(key, requester, limits, store), caller.agency, caller.user)
        request.app.state.job_runner.submit(job["id"])
        return JSONResponse(_view(job).model_dump(mode="json"), status_code=202,
                            headers={"Location": _job_url(job["id"])})
    bundle = await run_in_threadpool(assemble_or_404, graph.driver, graph.database, key, requester, limits)
    returned(request, returned_keys(bundle))
    bundle.links = file_links(key, body.purpose)
    return bundle


@router.get("/bundles/jobs/{job_id}", response_model=BundleJob)
async def get_bundle_job(request: Request, job_id: str, graph: GraphDep, caller: CallerDep) -> BundleJob:
    return _view(job_said_in(await run_in_threadpool(_own_job, graph, caller, job_id), scope_language(request.scope)))


@router.get("/bundles/jobs/{job_id}/bundle", responses={200: {"model": Bundle}})
async def get_bundle_json(job_id: str, request: Request, graph: GraphDep, caller: CallerDep) -> FileResponse:
    """bundle.json of a finished job, as stored."""
    path = await run_in_threadpool(_stored, request, graph, caller, job_id, "bundle.json")
    return FileResponse(path, media_type="application/json")


@router.get("/bundles/jobs/{job_id}/zip", response_class=FileResponse,
            responses={200: {"content": {"application/zip": {}}}})
async def get_bundle_zip(job_id: str, request: Request, graph: GraphDep, caller: CallerDep) -> FileResponse:
    """bundle.json, bundle.html, bundle.pdf and manifest.json of a finished job, zipped, as stored."""
    path = await run_in_threadpool(_stored, request, graph, caller, job_id, ZIP_NAME)
    return FileResponse(path, media_type="application/zip", filename=ZIP_NAME)
