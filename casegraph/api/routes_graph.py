"""Exploring the graph: shortest paths between two entities, and fuzzy name search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from casegraph.api.auth import ACCESS_OPENAPI, access_for, access_of, returned
from casegraph.api.models import HitNoHit, NameResults, PathsView
from casegraph.graph.name_search import NameIndex, search_names
from casegraph.graph.paths import shortest_paths

router = APIRouter(prefix="/v1", tags=["lookup"], dependencies=[Depends(access_for("lookup"))])
EntityKey = Annotated[str, Query(min_length=3, max_length=300, description="an entity key: ric:…, phone:…")]


def _name_index(request: Request) -> NameIndex:
    state = request.app.state
    index: NameIndex | None = getattr(state, "name_index", None)
    if index is None:
        index = state.name_index = NameIndex()
    return index


@router.get("/paths", response_model=PathsView | HitNoHit, response_model_by_alias=True,
            openapi_extra=ACCESS_OPENAPI)
def get_paths(request: Request, source: Annotated[str, Query(alias="from", min_length=3, max_length=300)],
              target: Annotated[str, Query(alias="to", min_length=3, max_length=300)],
              max_hops: Annotated[int, Query(ge=1, le=8)] = 6,
              limit: Annotated[int, Query(ge=1, le=20)] = 5) -> dict[str, Any]:
    """The shortest paths between two entities over facts the caller's agency may see."""
    access = access_of(request)
    graph, caller = access.graph, access.caller
    found = shortest_paths(graph.driver, graph.database, caller, source, target, max_hops, limit)
    returned(request, sorted({n["key"] for p in found.get("paths", []) for n in p["nodes"]}))
    return found  # masked (keys as handles) for masked roles by api/masking_layer.py


@router.get("/names", response_model=NameResults, openapi_extra=ACCESS_OPENAPI)
def get_names(request: Request,
              q: Annotated[str, Query(min_length=2, max_length=60,
                                      description="a name in characters (simplified or traditional) or pinyin, "
                                                  "with an optional birth year or region: `张伟 1985`, "
                                                  "`zhang wei 重庆`")],
              limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    """People and organisations by name, tolerant of pinyin, traditional characters and misspellings."""
    access = access_of(request)
    graph, caller = access.graph, access.caller
    found = search_names(graph.driver, graph.database, caller, _name_index(request), q, limit)
    returned(request, [r["key"] for r in found["results"]])
    return found  # masked (keys as handles) for masked roles by api/masking_layer.py
