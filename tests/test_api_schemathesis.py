"""Schemathesis over the published OpenAPI schema, against the ASGI app and the real test database:
whatever it generates, with a valid key of each role, the API must not answer with a server error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from casegraph.api.app import create_app
from casegraph.graph.connection import get_driver
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.test_thin_path import ingest_all, register_agencies

AGENCIES = ["cq-police", "sc-regulator", "sc-procuratorate"]
_keys: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def api_schema(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    db = neo4j_settings.neo4j_database
    driver = get_driver(neo4j_settings)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    register_agencies(driver, db)
    ingest_all(driver, neo4j_settings, Path(tmp_path_factory.mktemp("home")))
    _keys.update(add_users(driver, db, AGENCIES, roles=("investigator", "analyst", "admin")))
    app = create_app(neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6}))
    with TestClient(app):  # runs the lifespan: the driver and the audit writer live while the schema is used
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    for role in ("investigator", "admin"):
        case.call_and_validate(headers={"Authorization": f"Bearer {_keys[('cq-police', role)]}"},
                               checks=[not_a_server_error])
