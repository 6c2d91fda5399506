"""Request-scoped dependencies: the driver and the database."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Request
from neo4j import Driver


@dataclass(frozen=True)
class Graph:
    driver: Driver
    database: str


async def get_graph(request: Request) -> Graph:
    # A plain function, not a generator wrapping the route in `unavailable_as_error`: the exit stack
    # of a generator dependency cost ~5 % of a lookup's API CPU; the error handlers
    # (api/errors.py) turn the driver's connection failures into 503 instead.
    return Graph(request.app.state.driver, request.app.state.settings.neo4j_database)


GraphDep = Annotated[Graph, Depends(get_graph)]


P = ParamSpec("P")
T = TypeVar("T")
# The hot read routes' blocking driver calls. The loop's own executor hop costs less CPU than
# Starlette's run_in_threadpool (anyio's capacity limiter and cancel scopes: ~10 % of a lookup).
_READS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="api-read")


async def in_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(*args, **kwargs)` in a worker thread, awaited without blocking the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_READS, functools.partial(function, *args, **kwargs))
