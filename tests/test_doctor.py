"""`casegraph doctor` (issue 24): exit 0 on a healthy install; each problem named, with what to do."""

from __future__ import annotations

from fastapi.testclient import TestClient
from neo4j import Driver
from typer.testing import CliRunner

from casegraph.api.app import create_app
from casegraph.cli import app
from casegraph.graph.doctor import Finding, expected_schema, run_checks
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.conftest import _free_port


def _problems(settings: Settings) -> dict[str, Finding]:
    return {f.check: f for f in run_checks(settings) if not f.ok and not f.skipped}


def _cli(settings: Settings) -> tuple[int, str]:
    env = {"NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.neo4j_password or "",
           "NEO4J_DATABASE": settings.neo4j_database, "CASEGRAPH_LANG": "en"}
    result = CliRunner().invoke(app, ["doctor"], env=env)
    return result.exit_code, result.output


def test_healthy_install_exits_zero(driver: Driver, neo4j_settings: Settings) -> None:
    assert _problems(neo4j_settings) == {}
    code, output = _cli(neo4j_settings)
    assert code == 0, output
    assert "indexes" in output and "audit chain" in output


def test_a_stopped_server_is_named_and_the_rest_skipped(neo4j_settings: Settings) -> None:
    nowhere = neo4j_settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{_free_port()}"})
    problems = _problems(nowhere)
    assert list(problems) == ["server"], problems
    assert "does not answer" in problems["server"].detail
    code, output = _cli(nowhere)
    assert code == 1 and "does not answer" in output


def test_a_dropped_index_is_named_and_repair_brings_it_back(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    assert "person_name" in expected_schema()
    driver.execute_query("DROP INDEX person_name", database_=db)
    try:
        problems = _problems(neo4j_settings)
        assert list(problems) == ["indexes"], problems
        assert "person_name" in problems["indexes"].detail and "--repair" in problems["indexes"].fix
        assert _cli(neo4j_settings)[0] == 1
    finally:
        migrate(driver, db, repair=True)
    assert _problems(neo4j_settings) == {}


def test_a_broken_audit_chain_is_named(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    driver.execute_query(cypher("agency_upsert"), id="cq-police", kind="police", region="CQ", name="cq",
                         default_sharing="shared", database_=db)
    keys = add_users(driver, db, ["cq-police"], roles=("admin",))
    with TestClient(create_app(neo4j_settings)) as client:
        assert client.get("/v1/audit", headers={"Authorization": f"Bearer {keys[('cq-police', 'admin')]}"},
                          params={"purpose": "doctor test"}).status_code == 200
    assert _problems(neo4j_settings) == {}
    driver.execute_query("MATCH (e:AuditEvent) WITH e ORDER BY e.seq LIMIT 1 SET e.path = '/tampered'", database_=db)
    problems = _problems(neo4j_settings)
    assert list(problems) == ["audit chain"], problems
    assert "edited" in problems["audit chain"].detail
