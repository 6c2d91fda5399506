"""The FastAPI application: routers, auth, audit, limits, error bodies, and the Neo4j driver's lifetime."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError

from casegraph import __version__
from casegraph.access.handles import Handles
from casegraph.api import (
    routes_access,
    routes_admin,
    routes_alerts,
    routes_bundle,
    routes_bundle_files,
    routes_documents,
    routes_graph,
    routes_joint,
    routes_lookup,
    routes_resolve,
    routes_ring_members,
    routes_rings,
)
from casegraph.api.audit_middleware import AuditMiddleware
from casegraph.api.auth import AUTHENTICATED, KeyCache
from casegraph.api.contract import install_contract
from casegraph.api.errors import install_error_handlers
from casegraph.api.job_runner import JobRunner
from casegraph.api.limits import BodySizeLimit, TokenBuckets
from casegraph.api.masking_layer import MaskingLayer
from casegraph.api.models import Health
from casegraph.api.shedding import InFlightLimit
from casegraph.errors import DatabaseUnavailable
from casegraph.graph import jobs
from casegraph.graph.audit_log import AuditLog
from casegraph.graph.connection import get_driver, probe
from casegraph.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def _register_job_kinds() -> None:
    import casegraph.api.job_kinds  # noqa: F401  (registering is the import's effect)


def create_app(settings: Settings | None = None, *, shedding: bool = True) -> FastAPI:
    """The API. `shedding=False` leaves the in-flight bound out, for an app that puts layers of its own
    around this one and then the bound outermost (`install_shedding`; the workbench does)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The driver connects lazily, so the API starts (and reports 503) while Neo4j is down.
        app.state.driver = get_driver(settings, retry_s=2.0)
        app.state.audit_log = AuditLog(app.state.driver, settings.neo4j_database, settings.audit_spool,
                                       ship_s=settings.audit_ship_ms / 1000)
        app.state.audit_log.start()  # ships journals that dead processes left, then this one's
        _register_job_kinds()
        try:
            # Jobs left queued or running belong to a process that is gone: report them failed.
            jobs.mark_interrupted(app.state.driver, settings.neo4j_database)
        except (DatabaseUnavailable, Neo4jError, DriverError) as exc:
            logger.warning("could not mark interrupted jobs (Neo4j unavailable?): %s", exc)
        app.state.job_runner = JobRunner(settings)
        # The ~100k objects of the loaded modules live as long as the process: moved out of the
        # collector's generations, a full collection no longer walks them (it took ~30-100 ms
        # every few dozen calls, a fifth of the API's CPU under load and its p99 spikes).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            app.state.job_runner.shutdown()
            if getattr(app.state, "alert_hub", None) is not None:
                await app.state.alert_hub.close()
            app.state.audit_log.close()  # ships what is spooled while the driver is still open

    app = FastAPI(title="casegraph", version=__version__, lifespan=lifespan,
                  description="Cross-agency financial-crime case graph for Sichuan and Chongqing. Every /v1 "
                              "call needs an API key (`Authorization: Bearer <key>` or `X-API-Key`) and is "
                              "written to the audit log.",
                  # FastAPI's native OpenTelemetry, unused here: with it on, every call asked the global
                  # providers whether one was configured (~3 % of a lookup's API CPU; issue 6).
                  telemetry={"tracing": False, "metrics": False, "logs": False})
    app.state.settings = settings
    app.state.rate_limits = TokenBuckets(settings.api_rate_per_s, settings.api_rate_burst)
    app.state.key_cache = KeyCache(settings.api_key_cache_s)
    app.state.handles = Handles.for_installation(settings.home, settings.handle_secret)
    install_error_handlers(app)
    install_contract(app)
    # Added last is outermost: the size limit answers before anything reads the body; masking is
    # innermost, so every answer of a route or error handler passes it (the audit record keeps
    # the status, which masking does not change).
    app.add_middleware(MaskingLayer)
    app.add_middleware(AuditMiddleware)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    if shedding:
        install_shedding(app, settings)

    @app.get("/health", response_model=Health, tags=["health"],
             responses={503: {"model": Health, "description": "Neo4j does not answer"}})
    async def health() -> JSONResponse:
        ok, detail = await run_in_threadpool(probe, settings, 2.0)
        body = Health(status="ok" if ok else "unavailable", neo4j=detail, version=__version__)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    # Each /v1 router carries the auth dependency itself; another area's router goes behind it with
    # app.include_router(router, dependencies=AUTHENTICATED)  (from casegraph.api.auth).
    app.include_router(routes_lookup.router)
    app.include_router(routes_documents.router)
    app.include_router(routes_graph.router)
    app.include_router(routes_access.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_bundle.router, dependencies=AUTHENTICATED)
    app.include_router(routes_bundle_files.router, dependencies=AUTHENTICATED)
    app.include_router(routes_resolve.router, dependencies=AUTHENTICATED)
    app.include_router(routes_rings.router, dependencies=AUTHENTICATED)
    app.include_router(routes_alerts.router)
    app.include_router(routes_joint.router)
    app.include_router(routes_ring_members.router, dependencies=AUTHENTICATED)
    return app


def install_shedding(app: FastAPI, settings: Settings) -> None:
    """The in-flight bound as the outermost layer (added last): a call past it is answered before any
    other layer does work for it (a session lookup, a key check, the audit)."""
    app.add_middleware(InFlightLimit, max_in_flight=settings.api_max_in_flight,
                       latency_goal_ms=settings.api_latency_goal_ms)
