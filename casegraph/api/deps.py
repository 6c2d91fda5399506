"""Request-scoped dependencies: the driver and the database, with outages turned into 503."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from casegraph.graph.connection import unavailable_as_error
from casegraph.settings import Settings


@dataclass(frozen=True)
class Graph:
    driver: Driver
    database: str


async def get_graph(request: Request) -> AsyncIterator[Graph]:
    # async: a sync generator dependency costs two threadpool hops per call (enter and exit), for
    # nothing that blocks; the route's own driver calls still run in the threadpool.
    settings: Settings = request.app.state.settings
    with unavailable_as_error(settings):
        yield Graph(request.app.state.driver, settings.neo4j_database)


GraphDep = Annotated[Graph, Depends(get_graph)]
