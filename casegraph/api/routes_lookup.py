"""Lookups for investigators: by identifier, by key, by name, and the neighbourhood of an entity.

Each answers as the caller's agency sees the graph: a visible view, or hit/no-hit when only
documents it may not see match, or 404 (nothing, or only sealed documents).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import StringConstraints, TypeAdapter, ValidationError

from casegraph.api.auth import ACCESS_OPENAPI, access_for, access_of, returned
from casegraph.api.deps import in_thread
from casegraph.api.models import EntityView, HitNoHit, Neighborhood, SearchResults
from casegraph.graph import lookups
from casegraph.graph.neighborhood import LINK_TYPES, NODE_TYPES, Filters

# Key, rate limit, role and stated purpose in one router-level dependency: no route here can be
# added without it, and each route reads what it established (`access_of`) instead of declaring
# its parts again (FastAPI would solve them again on every call). Each route names ACCESS_OPENAPI
# so that the schema shows the key and purpose parameters that dependency reads.
router = APIRouter(prefix="/v1", tags=["lookup"], dependencies=[Depends(access_for("lookup"))])
EntityKey = Annotated[str, Path(min_length=3, max_length=300, description="an entity key: ric:…, phone:…, acct:…")]

NodeType = Literal[NODE_TYPES]  # type: ignore[valid-type]
LinkType = Literal[LINK_TYPES]  # type: ignore[valid-type]

_HIDDEN: dict[int | str, dict[str, Any]] = {
    200: {"description": "a visible view, or hit/no-hit: who holds a match the caller may not see"}}


def _keys_of(result: dict[str, Any]) -> list[str]:
    if not result.get("visible"):
        return []
    keys = [result["key"]] if "key" in result else []
    for field in ("cases", "documents", "neighbors", "held_by", "used_by"):
        keys += [item["key"] for item in result.get(field, [])]
    return keys


def _answer(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    # Identifiers are masked on the way out, for the roles that see them masked (api/masking_layer.py).
    returned(request, _keys_of(result))
    return result


def _json(request: Request, result: dict[str, Any]) -> Response:
    """The answer as JSON, serialised directly: the hot lookups skip re-validating their own dict
    against the response model (~6 % of a lookup's API CPU). What they return is built in
    graph/lookups.py with exactly the model's fields (tests/test_api.py checks it against the model)."""
    body = json.dumps(_answer(request, result), ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode("utf-8"), media_type="application/json")


# The identifier is read by the route itself rather than declared as a Query parameter: FastAPI's
# solving of one declared parameter cost ~0.1 ms per lookup (docs/benchmarks-history.md, issue 6, session 5).
# The same constraints, the same 422 body, and the same schema (LOOKUP_OPENAPI) as when declared.
_IDENTIFIER_TEXT = ("resident ID, USCC, mobile number or account number, "
                    "in any usual spelling (spaces, dashes, +86, lower-case x)")
_Identifier = TypeAdapter(Annotated[str, StringConstraints(min_length=1, max_length=64)])
LOOKUP_OPENAPI: dict[str, Any] = {
    "parameters": [{"name": "identifier", "in": "query", "required": True, "description": _IDENTIFIER_TEXT,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 64, "title": "Identifier",
                               "description": _IDENTIFIER_TEXT}},
                   *ACCESS_OPENAPI["parameters"]]}


def _identifier(request: Request) -> str:
    """The `identifier` query parameter, validated as FastAPI would (422 with the same details)."""
    loc = ("query", "identifier")
    value = request.query_params.get("identifier")
    if value is None:
        raise RequestValidationError([{"type": "missing", "loc": loc, "msg": "Field required", "input": None}])
    try:
        return _Identifier.validate_python(value)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": loc + tuple(e["loc"])} for e in exc.errors()]) from None


@router.get("/lookup", response_model=EntityView | HitNoHit, responses=_HIDDEN, openapi_extra=LOOKUP_OPENAPI)
async def lookup(request: Request) -> Response:
    access = access_of(request)
    graph, caller = access.graph, access.caller
    identifier = _identifier(request)
    return _json(request, await in_thread(lookups.lookup, graph.driver, graph.database, caller, identifier))


@router.get("/entities/{key}", response_model=EntityView | HitNoHit, responses=_HIDDEN, openapi_extra=ACCESS_OPENAPI)
async def get_entity(request: Request, key: EntityKey) -> Response:
    access = access_of(request)
    graph, caller = access.graph, access.caller
    return _json(request, await in_thread(lookups.entity, graph.driver, graph.database, caller, key))


@router.get("/entities/{key}/neighbors", response_model=Neighborhood | HitNoHit, response_model_by_alias=True,
            responses=_HIDDEN, openapi_extra=ACCESS_OPENAPI)
def get_neighbors(request: Request, key: EntityKey,
                  depth: Annotated[int, Query(ge=1, le=3)] = 1,
                  limit: Annotated[int, Query(ge=1, le=1000, description="links per relation type")] = 200,
                  types: Annotated[list[NodeType] | None, Query(description="only neighbours of these types")] = None,
                  rel_types: Annotated[list[LinkType] | None,
                                       Query(description="only links of these relation types")] = None,
                  since: Annotated[date | None, Query(description="leave out links dated before (transfers)")] = None,
                  until: Annotated[date | None, Query(description="leave out links dated after")] = None,
                  cursor: Annotated[str | None, Query(max_length=2000, description="a `more[].next` of an earlier "
                                                      "answer: the next page of that type, under its filters")] = None,
                  ) -> dict[str, Any]:
    """Around an entity, a page of each relation type (`limit` each, in a stable order), with the count
    of every visible link by type and, in `more`, cursors that continue after the page's last link."""
    access = access_of(request)
    graph, caller = access.graph, access.caller
    filters = Filters(tuple(types) if types else None, tuple(rel_types) if rel_types else None,
                      since.isoformat() if since else None, until.isoformat() if until else None)
    result = lookups.neighbors(graph.driver, graph.database, caller, key, depth, limit, filters, cursor)
    return _answer(request, result)


@router.get("/search", response_model=SearchResults, openapi_extra=ACCESS_OPENAPI)
def search(request: Request,
           name: Annotated[str, Query(min_length=2, max_length=50, description="a person's or company's name")],
           limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    access = access_of(request)
    graph, caller = access.graph, access.caller
    result = lookups.search(graph.driver, graph.database, caller, name, limit)
    returned(request, [r["key"] for r in result["results"]])
    return result
