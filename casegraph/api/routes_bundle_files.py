"""A case bundle's rendered files for the workbench: its HTML, its PDF or all of them zipped, in one call.

The same bundle as `POST /v1/cases/{key}/bundles` (same sharing, audit, purpose and role), rendered
by casegraph.bundle.package; a case too large to render within a call answers 409 and is asked for
as a job through `POST /v1/cases/{key}/bundles` (whose zip holds these files).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from casegraph.access import Caller
from casegraph.api.auth import allowed_to, returned
from casegraph.api.deps import GraphDep
from casegraph.bundle.assemble import Limits
from casegraph.bundle.jobs import returned_keys
from casegraph.bundle.models import Requester
from casegraph.bundle.package import ZIP_NAME, render_files, zip_bytes
from casegraph.bundle.service import LARGE_CASE_PARTIES, assemble_or_404, case_size
from casegraph.errors import Conflict

router = APIRouter(prefix="/v1", tags=["bundle"])
CallerDep = Annotated[Caller, Depends(allowed_to("bundle"))]
_MEDIA = {"html": ("bundle.html", "text/html; charset=utf-8"), "pdf": ("bundle.pdf", "application/pdf"),
          "zip": (ZIP_NAME, "application/zip")}


Format = Literal["html", "pdf", "zip"]
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}, "application/pdf": {}, "application/zip": {}}},
    409: {"description": "a large case: ask for its bundle as a job"}}


class BundleFileRequest(BaseModel):
    purpose: str = Field(min_length=3, max_length=500, description="why the bundle is drawn (a case reference)")
    format: Format = "html"


def file_links(key: str, purpose: str) -> dict[str, str]:
    """The GET addresses of a case's rendered bundle, as the API's answer for a small case gives them."""
    query = urlencode({"purpose": purpose})
    return {fmt: f"/v1/cases/{quote(key, safe='')}/bundle-files/{fmt}?{query}" for fmt in ("html", "pdf", "zip")}


async def _rendered(request: Request, graph: GraphDep, caller: Caller, key: str, purpose: str,
                    file_format: Format) -> Response:
    request.state.purpose = purpose
    requester = Requester(agency=caller.agency, user=caller.user, purpose=purpose)
    if await run_in_threadpool(case_size, graph.driver, graph.database, key, requester) > LARGE_CASE_PARTIES:
        raise Conflict("this case is too large to render within one call: ask for its bundle as a job")
    bundle = await run_in_threadpool(assemble_or_404, graph.driver, graph.database, key, requester, Limits())
    files = await run_in_threadpool(render_files, bundle)
    returned(request, returned_keys(bundle))
    name, media = _MEDIA[file_format]
    data = zip_bytes(files) if file_format == "zip" else files[name]
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/cases/{key}/bundle-files", response_class=Response, responses=_RESPONSES)
async def bundle_file(request: Request, graph: GraphDep, caller: CallerDep, body: BundleFileRequest,
                      key: Annotated[str, Path(min_length=6, max_length=300)]) -> Response:
    """The case bundle rendered as HTML, PDF or a zip of all its files, as an attachment."""
    return await _rendered(request, graph, caller, key, body.purpose, body.format)


@router.get("/cases/{key}/bundle-files/{file_format}", response_class=Response, responses=_RESPONSES)
async def bundle_file_link(request: Request, graph: GraphDep, caller: CallerDep,
                           key: Annotated[str, Path(min_length=6, max_length=300)], file_format: Format,
                           purpose: Annotated[str, Query(min_length=3, max_length=500,
                                                         description="why the bundle is drawn (a case reference)")]
                           ) -> Response:
    """The same rendered bundle at an address: the links of `POST /v1/cases/{key}/bundles`' answer."""
    return await _rendered(request, graph, caller, key, purpose, file_format)
