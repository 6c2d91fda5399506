"""The FastAPI application: routers, error bodies, and the Neo4j driver's lifetime."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError

from casegraph import __version__
from casegraph.api import routes_bundle, routes_lookup, routes_rings
from casegraph.api.errors import install_error_handlers
from casegraph.api.job_runner import JobRunner
from casegraph.api.models import Health
from casegraph.errors import DatabaseUnavailable
from casegraph.graph import jobs
from casegraph.graph.connection import get_driver, probe
from casegraph.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def _register_job_kinds() -> None:
    import casegraph.api.job_kinds  # noqa: F401  (registering is the import's effect)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The driver connects lazily, so the API starts (and reports 503) while Neo4j is down.
        app.state.driver = get_driver(settings, retry_s=2.0)
        _register_job_kinds()
        try:
            # Jobs left queued or running belong to a process that is gone: report them failed.
            jobs.mark_interrupted(app.state.driver, settings.neo4j_database)
        except (DatabaseUnavailable, Neo4jError, DriverError) as exc:
            logger.warning("could not mark interrupted jobs (Neo4j unavailable?): %s", exc)
        app.state.job_runner = JobRunner(settings)
        try:
            yield
        finally:
            app.state.job_runner.shutdown()

    app = FastAPI(title="casegraph", version=__version__, lifespan=lifespan,
                  description="Cross-agency financial-crime case graph for Sichuan and Chongqing.")
    app.state.settings = settings
    install_error_handlers(app)

    @app.get("/health", response_model=Health, tags=["health"],
             responses={503: {"model": Health, "description": "Neo4j does not answer"}})
    async def health() -> JSONResponse:
        ok, detail = await run_in_threadpool(probe, settings, 2.0)
        body = Health(status="ok" if ok else "unavailable", neo4j=detail, version=__version__)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    app.include_router(routes_lookup.router)
    app.include_router(routes_bundle.router)
    app.include_router(routes_rings.router)
    return app
