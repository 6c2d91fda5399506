"""The HTTP API against the real test server, and against a server that is not there (503)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from neo4j import Driver
from starlette.requests import Request

from casegraph.api import routes_lookup
from casegraph.api.app import create_app
from casegraph.api.audit_middleware import audited_path
from casegraph.api.errors import install_error_handlers
from casegraph.api.models import EntityView, HitNoHit
from casegraph.graph.lookups import hit_no_hit
from casegraph.graph.users import add_user
from casegraph.settings import Settings
from tests.test_thin_path import PERSON, PHONE, ingest_all, register_agencies


@pytest.fixture()
def client(driver: Driver, neo4j_settings: Settings, home: Path) -> Iterator[TestClient]:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_all(driver, neo4j_settings, home)
    _, key = add_user(driver, neo4j_settings.neo4j_database, "api-test", "cq-police", "investigator", "test")
    # Every /v1 call needs a key and, for lookups, a stated purpose; tests/test_access_api.py tests both.
    headers = {"Authorization": f"Bearer {key}", "X-Purpose": quote("渝公(经)立字(2023)45号")}
    with TestClient(create_app(neo4j_settings), headers=headers) as test_client:
        yield test_client


def test_health_reports_the_server(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and "5.26" in response.json()["neo4j"]


@pytest.mark.parametrize("spelling", ["13823456789", "+86 138 2345 6789", "138-2345-6789", "+8613823456789"])
def test_lookup_normalises_the_identifier(client: TestClient, spelling: str) -> None:
    response = client.get("/v1/lookup", params={"identifier": spelling})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["key"] == PHONE and body["label"] == "Phone"
    assert {c["agency"] for c in body["cases"]} == {"cq-police", "sc-regulator", "sc-procuratorate"}


def test_lookup_of_lower_case_x_resident_id(client: TestClient, driver: Driver, neo4j_settings: Settings) -> None:
    response = client.get("/v1/lookup", params={"identifier": "11010519491231002x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found" and "ric:11010519491231002X" in response.text


def test_lookup_of_garbage_is_422(client: TestClient) -> None:
    response = client.get("/v1/lookup", params={"identifier": "hello"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"


def test_lookup_answers_are_exactly_their_response_model(client: TestClient) -> None:
    """The lookups serialise their dict directly (no response-model pass): it must be what the model
    would have sent, field for field, for a visible view and for hit/no-hit."""
    for path in ("/v1/lookup?identifier=13823456789", f"/v1/entities/{PERSON}"):
        body = client.get(path).json()
        assert EntityView.model_validate(body).model_dump(mode="json") == body
    hidden = {"hit": True, "visible": False, "holders": [{"agency": "sc-police", "cases": 2}],
              "access_request": "/v1/access-requests"}
    assert HitNoHit.model_validate(hit_no_hit(hidden["holders"])).model_dump(mode="json") == hidden


def test_entity_by_key(client: TestClient) -> None:
    response = client.get(f"/v1/entities/{PERSON}")
    assert response.status_code == 200
    assert response.json()["agencies"] == ["cq-police", "sc-regulator"]
    assert client.get("/v1/entities/ric:110105194912310021").status_code == 404
    assert client.get("/v1/entities/nonsense").status_code == 422


def test_neighbors_grow_with_depth(client: TestClient) -> None:
    one = client.get(f"/v1/entities/{PHONE}/neighbors", params={"depth": 1}).json()
    two = client.get(f"/v1/entities/{PHONE}/neighbors", params={"depth": 2}).json()
    # the documents that mention the phone, and the person who USES it (stated in the filing)
    assert {n["label"] for n in one["neighbors"]} == {"Document", "Person"}
    keys_two = {n["key"] for n in two["neighbors"]}
    assert PERSON in keys_two and {n["key"] for n in one["neighbors"]} < keys_two
    assert any(e["type"] == "MENTIONED_IN" and e["from"] == PHONE for e in two["edges"])
    assert client.get(f"/v1/entities/{PHONE}/neighbors", params={"depth": 4}).status_code == 422


def test_openapi_is_published(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/v1/lookup", "/v1/entities/{key}", "/v1/entities/{key}/neighbors"} <= set(paths)
    assert client.get("/docs").status_code == 200
    # The lookup routes' access dependency reads the key and purpose from the request; the schema
    # still shows them, with their limits, on every route behind it.
    for path in ("/v1/lookup", "/v1/entities/{key}", "/v1/entities/{key}/neighbors", "/v1/search"):
        params = {(p["name"], p["in"]): p for p in paths[path]["get"]["parameters"]}
        assert {("purpose", "query"), ("x-purpose", "header")} <= set(params), path
        # The key is a security scheme (Swagger UI's "Authorize"), not a parameter (issue 22).
        assert paths[path]["get"]["security"] == [{"bearer": []}, {"apiKey": []}]
        assert params[("purpose", "query")]["required"] is True
        assert params[("purpose", "query")]["schema"]["maxLength"] == 200
        assert params[("x-purpose", "header")]["schema"]["maxLength"] == 600


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_database_is_503_with_a_message(tmp_path: Path) -> None:
    settings = Settings(NEO4J_URI=f"bolt://127.0.0.1:{_closed_port()}", NEO4J_PASSWORD="x" * 10)  # type: ignore[call-arg]
    with TestClient(create_app(settings), raise_server_exceptions=False) as down:
        health = down.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        response = down.get("/v1/lookup", params={"identifier": "13823456789", "purpose": "a case"},
                            headers={"Authorization": "Bearer cgk_" + "k" * 43})
        assert response.status_code == 503
        body = response.json()
        assert body["error"]["code"] == "database_unavailable" and "无应答" in body["error"]["message"]
        assert "Traceback" not in response.text


def _declared_identifier_app() -> FastAPI:
    """A route that declares the identifier as a Query parameter, as /v1/lookup once did: the reference."""
    reference = FastAPI()
    install_error_handlers(reference)

    @reference.get("/lookup")
    def lookup(identifier: Annotated[str, Query(min_length=1, max_length=64,
                                                description=routes_lookup._IDENTIFIER_TEXT)]) -> dict[str, str]:
        return {"identifier": identifier}

    return reference


def test_lookup_identifier_is_validated_and_documented_as_if_declared(client: TestClient) -> None:
    """/v1/lookup reads its identifier itself (a declared parameter cost CPU on every call): the schema
    and the 422 details must be what FastAPI makes of the declared parameter."""
    reference = TestClient(_declared_identifier_app())
    declared = reference.get("/openapi.json").json()["paths"]["/lookup"]["get"]
    ours = client.get("/openapi.json").json()["paths"]["/v1/lookup"]["get"]
    assert ours["parameters"][0] == declared["parameters"][0]
    # Its 422 is the one error body, as every operation's (issue 22), not FastAPI's default model.
    assert ours["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"}
    for query in ("", "identifier=", "identifier=" + "1" * 65, "identifier=x&identifier=" + "2" * 70):
        expected = reference.get("/lookup?" + query)
        response = client.get("/v1/lookup?" + query)
        assert response.status_code == expected.status_code == 422, query
        assert response.json() == expected.json(), query


@pytest.mark.parametrize("path", ["/v1/lookup", "/v1/entities/ric:110105194912310021/neighbors", "/v1/a b ",
                                  "/v1/川A 渝", "/v1/%2F", "/v1//x", "//v1", "/v1/x?y", "/v1/a#b", "/v1/a\\b",
                                  "/v1/a\tb\n"])
def test_audited_path_is_the_request_urls_path(path: str) -> None:
    """The audit record takes the path from the scope when rebuilding the URL would not change it."""
    scope = {"type": "http", "path": path, "root_path": "", "query_string": b"", "scheme": "http",
             "headers": [(b"host", b"bench")], "server": ("127.0.0.1", 80)}
    assert audited_path(Request(scope)) == Request(scope).url.path
