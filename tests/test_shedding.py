"""Shedding under overload (issue 22): past the bound on calls in flight a call is answered at once
with 503 `overloaded` and Retry-After, /health is never shed; an agency's job queue has a bound too,
past which starting a job is 429 with Retry-After."""

from __future__ import annotations

import asyncio

import httpx
from fastapi.testclient import TestClient
from neo4j import Driver
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import casegraph.api.job_kinds  # noqa: F401  (registers "ring-detection")
from casegraph.api.app import create_app
from casegraph.api.shedding import AdaptiveLimit, InFlightLimit
from casegraph.graph import jobs
from casegraph.settings import Settings
from casegraph.web.app import create_web_app
from tests.access_helpers import add_users
from tests.test_thin_path import register_agencies


async def _slow(_: Request) -> JSONResponse:
    await asyncio.sleep(0.3)
    return JSONResponse({"ok": True})


def test_calls_past_the_bound_are_shed_at_once_and_health_is_not() -> None:
    app = InFlightLimit(Starlette(routes=[Route("/v1/slow", _slow), Route("/health", _slow),
                                          Route("/static/app.js", _slow)]), max_in_flight=2)

    async def burst() -> list[tuple[int, float, httpx.Response]]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            async def timed(path: str) -> tuple[int, float, httpx.Response]:
                started = asyncio.get_running_loop().time()
                response = await client.get(path)
                return response.status_code, asyncio.get_running_loop().time() - started, response
            return await asyncio.gather(*(timed("/v1/slow") for _ in range(5)), timed("/health"),
                                        timed("/static/app.js"))

    # the page's own files are never shed: losing a module would break the page in the browser
    *calls, health, asset = asyncio.run(burst())
    assert asset[0] == 200
    assert sorted(status for status, _, _ in calls) == [200, 200, 503, 503, 503]
    for status, seconds, response in calls:
        if status == 503:
            assert seconds < 0.2, "a shed call is answered at once, not after the others"
            assert response.headers["retry-after"] == "1"
            assert response.json()["error"] == {"code": "overloaded", "message": response.json()["error"]["message"],
                                                "retry_after_s": 1}
    assert health[0] == 200 and app.shed == 3


def test_shedding_is_the_outermost_layer_of_the_api_and_of_the_workbench(neo4j_settings: Settings) -> None:
    # in the workbench a call without a key would otherwise cost a session lookup in Neo4j before being shed
    for app in (create_app(neo4j_settings), create_web_app(neo4j_settings)):
        assert app.user_middleware[0].cls is InFlightLimit
        assert sum(m.cls is InFlightLimit for m in app.user_middleware) == 1


def test_the_bound_follows_latency_within_its_ceiling() -> None:
    limit = AdaptiveLimit(ceiling=16, goal_s=0.1)
    for _ in range(200):  # calls at their unqueued time: the bound stays at its ceiling
        limit.answered(0.01)
    assert limit.bound == 16
    for _ in range(10):  # calls now take 5x their unqueued time (queueing inside the process): it shrinks
        limit.answered(0.05)
    assert 2 <= limit.bound < 16
    for _ in range(300):  # the queue drained: back up to the ceiling, never past it
        limit.answered(0.01)
    assert limit.bound == 16
    slow = AdaptiveLimit(ceiling=16, goal_s=0.1)
    for _ in range(300):  # every call slower than the goal, queued or not: down to the floor, never to 0
        slow.answered(0.4)
    assert slow.bound == AdaptiveLimit.FLOOR


def test_the_shed_answer_is_built_once_per_language() -> None:
    app = InFlightLimit(Starlette(routes=[Route("/v1/slow", _slow)]), max_in_flight=2)
    app.in_flight = 2  # as if two calls were in flight

    async def ask(headers: dict[str, str]) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.get("/v1/slow", headers=headers)

    chinese, english = asyncio.run(ask({})), asyncio.run(ask({"Accept-Language": "en-GB,en;q=0.9"}))
    assert chinese.status_code == english.status_code == 503
    assert chinese.json()["error"]["message"] == "服务器已满负荷，请稍后重试"
    assert english.json()["error"]["message"] == "the server is at capacity; retry shortly"


def test_an_agency_past_its_job_bound_gets_429_with_retry_after(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    keys = add_users(driver, db, ["cq-police", "sc-regulator"], roles=("analyst",))
    settings = neo4j_settings.model_copy(update={"jobs_max_per_agency": 1})
    with TestClient(create_app(settings)) as client:  # (its start marks older unfinished jobs interrupted)
        jobs.create(driver, db, "ring-detection", {}, "cq-police", "cq-police-analyst")  # queued, not yet run
        analyst = {"Authorization": f"Bearer {keys[('cq-police', 'analyst')]}"}
        full = client.post("/v1/jobs/ring-detection", headers=analyst)
        assert full.status_code == 429, full.text
        assert int(full.headers["retry-after"]) == full.json()["error"]["retry_after_s"] > 0
        assert "CASEGRAPH_JOBS_MAX_PER_AGENCY" in full.json()["error"]["message"]
        other = client.post("/v1/jobs/ring-detection",
                            headers={"Authorization": f"Bearer {keys[('sc-regulator', 'analyst')]}"})
        assert other.status_code == 202  # the bound is per agency
