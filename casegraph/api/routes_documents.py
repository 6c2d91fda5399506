"""Reading a source document: its text with every mention (the page for PDFs), or a ledger's rows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from casegraph.api.auth import ACCESS_OPENAPI, access_for, access_of, returned
from casegraph.api.models import DocumentView
from casegraph.graph.document_view import document

router = APIRouter(prefix="/v1", tags=["lookup"], dependencies=[Depends(access_for("lookup"))])
DocumentKey = Annotated[str, Path(min_length=5, max_length=80, description="a document key: doc:<sha256>")]


@router.get("/documents/{key}", response_model=DocumentView, openapi_extra=ACCESS_OPENAPI,
            responses={404: {"description": "no such document, or one the caller's agency may not see"}})
def get_document(request: Request, key: DocumentKey,
                 max_rows: Annotated[int, Query(ge=1, le=5000, description="ledger transfers to return")] = 500,
                 ) -> dict[str, Any]:
    """The document's text and every mention in it (entity, offsets, page), within the caller's sharing."""
    access = access_of(request)
    graph, caller = access.graph, access.caller
    found = document(graph.driver, graph.database, caller, key, max_rows)
    returned(request, [found["key"], *sorted({m["key"] for m in found["mentions"]})])
    return found  # masked (keys as handles) for masked roles by api/masking_layer.py
