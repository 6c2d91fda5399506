"""Schemathesis over the published OpenAPI schema, against the ASGI app and the real test database:
whatever it generates, with a valid key of each role, the API must not answer with a server error,
nor with a status or body its operation does not declare (issue 22), nor show its internals.

Each operation's cases come from schemathesis' Hypothesis strategy (its pytest `parametrize`
loader does not run under this pytest version), a handful per operation to keep CI time sane.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from neo4j import Driver
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from casegraph.api.app import create_app
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.test_thin_path import ingest_all, register_agencies

# No server error; every status declared for its operation; every body as its declared schema says.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def test_no_server_errors_for_any_generated_request(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    ingest_all(driver, neo4j_settings, home)
    keys = add_users(driver, db, ["cq-police"], roles=("investigator", "analyst", "admin"))
    app = create_app(neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6}))
    with TestClient(app):  # runs the lifespan: the driver and the audit writer live while cases run
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        results = list(schema.get_all_operations())
        operations = [result.ok() for result in results if isinstance(result, Ok)]
        assert len(operations) == len(results) >= 10, "every operation of the schema loads"
        bodies: list[str] = []
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def no_server_error(case: schemathesis.Case) -> None:
                for role in ("investigator", "analyst", "admin"):
                    response = case.call_and_validate(
                        headers={"Authorization": f"Bearer {keys[('cq-police', role)]}"}, checks=CHECKS)
                    bodies.append(response.text)

            try:
                no_server_error()
            except Exception as exc:  # name the operation in the failure
                pytest.fail(f"{operation.method.upper()} {operation.path}: {exc}")
    assert len(bodies) > 100
    assert_no_internals(bodies)


# What no body may show: a traceback, a frame line, or a path of this server (its code, its Python).
SERVER_PATHS = (str(Path(__file__).resolve().parent.parent), sys.prefix, sys.base_prefix, "site-packages")


def assert_no_internals(bodies: list[str]) -> None:
    for text in bodies:
        for marker in ("Traceback", 'File "', *SERVER_PATHS):
            assert marker not in text, f"{marker!r} in a response body: {text[:300]}"
