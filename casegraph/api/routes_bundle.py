"""Case-assist bundles: `POST /v1/cases/{key}/bundles`, and the jobs that large cases become."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from casegraph.access import Caller
from casegraph.api.auth import allowed_to
from casegraph.api.deps import GraphDep
from casegraph.bundle.assemble import Limits
from casegraph.bundle.jobs import BundleJob, JobStore
from casegraph.bundle.models import Bundle, Requester
from casegraph.bundle.package import ZIP_NAME, render_files, zip_bytes
from casegraph.bundle.service import LARGE_CASE_PARTIES, assemble_or_404, case_size
from casegraph.errors import InvalidInput

router = APIRouter(prefix="/v1", tags=["bundle"])


# The caller's agency and user, from its API key (issue 6); bundles are for the roles that work cases.
def caller(who: Annotated[Caller, Depends(allowed_to("bundle"))]) -> tuple[str, str]:
    return who.agency, who.user


CallerDep = Annotated[tuple[str, str], Depends(caller)]


class BundleRequest(BaseModel):
    purpose: str = Field("", max_length=500, description="why the bundle is drawn, e.g. a case reference")
    limit: int = Field(100, ge=1, le=1000, description="parties per page")
    offset: int = Field(0, ge=0, description="first party of the page")


def _jobs(request: Request) -> JobStore:
    store = getattr(request.app.state, "bundle_jobs", None)
    if store is None:
        store = request.app.state.bundle_jobs = JobStore()
    return store


@router.post("/cases/{key}/bundles", response_model=Bundle,
             responses={202: {"model": BundleJob, "description": "a large case: poll the job"}})
async def create_bundle(key: str, request: Request, graph: GraphDep, who: CallerDep,
                        body: BundleRequest | None = None) -> Bundle | JSONResponse:
    """The case-assist bundle of one case within the caller's visibility; a job (202) for large cases."""
    body = body or BundleRequest.model_validate({})
    requester = Requester(agency=who[0], user=who[1], purpose=body.purpose)
    limits = Limits(parties=body.limit, offset=body.offset)
    size = await run_in_threadpool(case_size, graph.driver, graph.database, key, requester)
    threshold = getattr(request.app.state, "bundle_large_case_parties", LARGE_CASE_PARTIES)
    if size > threshold:
        job = _jobs(request).submit(key, requester.agency,
                                    lambda: assemble_or_404(graph.driver, graph.database, key, requester, limits))
        return JSONResponse(job.model_dump(mode="json"), status_code=202,
                            headers={"Location": f"/v1/bundles/jobs/{job.id}"})
    return await run_in_threadpool(assemble_or_404, graph.driver, graph.database, key, requester, limits)


@router.get("/bundles/jobs/{job_id}", response_model=BundleJob)
async def get_bundle_job(job_id: str, request: Request, who: CallerDep) -> BundleJob:
    return _jobs(request).get(job_id, who[0])


@router.get("/bundles/jobs/{job_id}/zip", response_class=Response,
            responses={200: {"content": {"application/zip": {}}}})
async def get_bundle_zip(job_id: str, request: Request, who: CallerDep) -> Response:
    """bundle.json, bundle.html, bundle.pdf and manifest.json of a finished job, zipped."""
    job = _jobs(request).get(job_id, who[0])
    if job.bundle is None:
        raise InvalidInput(f"bundle job {job_id} is {job.status}, not done")
    data = await run_in_threadpool(lambda: zip_bytes(render_files(job.bundle)))  # type: ignore[arg-type]
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{ZIP_NAME}"'})
