"""Shared lookups for investigators: by identifier, by key, and the neighbourhood of an entity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from casegraph.api.deps import GraphDep
from casegraph.api.models import EntityView, Neighborhood
from casegraph.graph import lookups

router = APIRouter(prefix="/v1", tags=["lookup"])


@router.get("/lookup", response_model=EntityView)
async def lookup(
    graph: GraphDep,
    identifier: Annotated[str, Query(min_length=1, max_length=64,
                                     description="resident ID, USCC, mobile number or account number, "
                                                 "in any usual spelling (spaces, dashes, +86, lower-case x)")],
) -> EntityView:
    return EntityView.model_validate(await run_in_threadpool(lookups.lookup, graph.driver, graph.database, identifier))


@router.get("/entities/{key}", response_model=EntityView)
async def get_entity(graph: GraphDep, key: str) -> EntityView:
    return EntityView.model_validate(await run_in_threadpool(lookups.entity, graph.driver, graph.database, key))


@router.get("/entities/{key}/neighbors", response_model=Neighborhood, response_model_by_alias=True)
async def get_neighbors(graph: GraphDep, key: str,
                        depth: Annotated[int, Query(ge=1, le=3)] = 1,
                        limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Neighborhood:
    result = await run_in_threadpool(lookups.neighbors, graph.driver, graph.database, key, depth, limit)
    return Neighborhood.model_validate(result)
