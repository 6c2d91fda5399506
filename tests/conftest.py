"""Tests run against a real Neo4j: a local server on a free port, started once per test session
by the project's own LocalServer (the same code as `casegraph db start`), data in a temp folder."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from neo4j import Driver

from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.settings import Settings

# On CI the property tests replay a fixed set of examples, so that a landing never depends on the
# luck of the draw; developers' runs keep exploring new examples (and keep failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    # The jars are cached under the repo's git-ignored .casegraph/ so every test run reuses them.
    home = Path(os.environ.get("CASEGRAPH_TEST_HOME", REPO / ".casegraph" / "test"))
    if os.environ.get("CASEGRAPH_TEST_NEO4J_URI"):
        # A server that is already running (kept between runs while developing); tests empty it.
        existing = Settings(NEO4J_URI=os.environ["CASEGRAPH_TEST_NEO4J_URI"],  # type: ignore[call-arg]
                            NEO4J_PASSWORD=os.environ.get("CASEGRAPH_TEST_NEO4J_PASSWORD", "casegraph-test-pw"))
        migrate(get_driver(existing), existing.neo4j_database)
        yield existing
        return
    data = tmp_path_factory.mktemp("neo4j-data")
    os.environ["CASEGRAPH_HOME"] = str(home)
    settings = Settings(  # type: ignore[call-arg]
        CASEGRAPH_NEO4J_PORT=_free_port(), CASEGRAPH_NEO4J_DATA=data, NEO4J_PASSWORD="casegraph-test-pw",
        CASEGRAPH_NEO4J_HEAP="1g", CASEGRAPH_NEO4J_PAGECACHE_MB=256,
        # A shared 2-core machine can take minutes to start a JVM under load: wait rather than fail.
        CASEGRAPH_NEO4J_START_TIMEOUT=600,
    )
    server = LocalServer(settings)
    server.start()
    try:
        migrate(get_driver(settings), settings.neo4j_database)
        yield settings
    finally:
        server.stop()


@pytest.fixture()
def driver(neo4j_settings: Settings) -> Iterator[Driver]:
    """The driver, on an emptied graph (the schema stays)."""
    drv = get_driver(neo4j_settings)
    drv.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n",
                      database_=neo4j_settings.neo4j_database)
    yield drv


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")


def _qualified(function: object) -> str:
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', repr(function))}"


def _routes_signature(app: FastAPI) -> tuple[object, ...]:
    """What an app's OpenAPI document is made from (api/contract.py: the app's title, version and routes,
    each route by its path, methods, endpoint, dependencies and declared responses)."""
    routes = tuple(
        (type(route).__name__, getattr(route, "path", ""), tuple(sorted(getattr(route, "methods", None) or ())),
         getattr(route, "include_in_schema", None), _qualified(getattr(route, "endpoint", None)),
         tuple(_qualified(d.dependency) for d in getattr(route, "dependencies", ())),
         repr(sorted(map(str, getattr(route, "responses", {}) or {}))), getattr(route, "status_code", None),
         repr(getattr(route, "response_model", None)))
        for route in app.routes)
    return (app.title, app.version, app.description, routes)


# Each test builds its own app (create_app), and building one's OpenAPI document costs ~0.5 s of CPU:
# apps made of the same routes share one (their documents are equal, by api/contract.py's rules).
_DOCUMENTS: dict[tuple[object, ...], dict[str, Any]] = {}


def _paths_of(app: FastAPI) -> dict[str, Any]:
    signature = _routes_signature(app)
    if signature not in _DOCUMENTS:
        _DOCUMENTS[signature] = app.openapi().get("paths", {})
    return _DOCUMENTS[signature]


def undeclared(app: object, method: str, path: str, status: int) -> str | None:
    """"METHOD path: status" when `app`'s OpenAPI document lists the operation without that status."""
    if not isinstance(app, FastAPI):
        return None
    for template, operations in _paths_of(app).items():
        operation = operations.get(method)
        if operation is not None and _template_regex(template).match(path):
            responses = operation.get("responses", {})
            if str(status) not in responses and "default" not in responses:
                return f"{method.upper()} {path}: {status} (declared: {', '.join(sorted(responses))})"
            return None
    return None  # a route the document does not list (a test's own, or an unknown path)


@pytest.fixture(autouse=True)
def only_declared_statuses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every response a test receives through a TestClient has a status its operation declares in
    the OpenAPI document (issue 22: the contract is what the service answers)."""
    seen: list[tuple[object, str, str, int]] = []
    original = TestClient.request

    def recording(self: TestClient, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        response = original(self, method, url, *args, **kwargs)
        seen.append((self.app, method.lower(), response.request.url.path, response.status_code))
        return response

    monkeypatch.setattr(TestClient, "request", recording)
    yield
    wrong = sorted({found for app, method, path, status in seen if (found := undeclared(app, method, path, status))})
    assert not wrong, f"statuses the OpenAPI document does not declare: {wrong[:10]}"
