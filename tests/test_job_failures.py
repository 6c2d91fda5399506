"""Jobs that fail, seen over the API (issue 22): the `error` is {code, message, hint, ref}; the ref
finds the traceback in the server's log; no body carries a traceback, a file path or a class name.

Ways to fail: bad parameters (caught only in the worker), the database going away mid-job (the
job's reads go to a Neo4j port where nothing listens: the driver's own failure), an unexpected
exception whose text names a server file, a cancel, and an API restart that interrupts a job.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

import casegraph.api.job_kinds  # noqa: F401  (registers "ring-detection")
from casegraph.api.app import create_app
from casegraph.graph import jobs
from casegraph.graph.connection import get_driver
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.test_thin_path import register_agencies

AGENCY = "cq-police"
RING_JOB = "ring-detection"
INTERNALS = re.compile(r"Traceback|File \"|/work/|/srv/|/home/|/usr/|\.py\b"
                       r"|[A-Z][a-z]+(?:Error|Exception|Unavailable)\b")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def losing_the_database(context: jobs.JobContext, params: dict[str, Any]) -> None:
    context.progress(0.2, "reading")
    # Retried for 1 s, not the default 30 s (a minute with the driver's backoff): the same failure, sooner.
    gone = Settings(NEO4J_URI=f"bolt://127.0.0.1:{_free_port()}", NEO4J_PASSWORD="x",  # type: ignore[call-arg]
                    CASEGRAPH_NEO4J_RETRY_S=1)
    get_driver(gone).execute_query("RETURN 1")


def crashing(context: jobs.JobContext, params: dict[str, Any]) -> None:
    context.progress(0.2, "reading")
    raise RuntimeError("cannot parse /srv/casegraph/home/ledgers/secret-ledger.xlsx at row 17")


def assert_no_internals(text: str) -> None:
    found = INTERNALS.search(text)
    assert found is None, f"{found.group(0)!r} in {text[:400]}"


@pytest.fixture()
def client(driver: Driver, neo4j_settings: Settings) -> Iterator[tuple[TestClient, dict[tuple[str, str], str]]]:
    register_agencies(driver, neo4j_settings.neo4j_database)
    keys = add_users(driver, neo4j_settings.neo4j_database, [AGENCY], roles=("analyst", "admin"))
    with TestClient(create_app(neo4j_settings)) as test_client:
        yield test_client, keys


def _run(driver: Driver, settings: Settings, kind_target: str | None, params: dict[str, Any]) -> str:
    """A ring-detection job of AGENCY, run to its end here, with its work swapped for `kind_target`."""
    if kind_target:
        jobs.register_kind(RING_JOB, kind_target)
    try:
        job = jobs.create(driver, settings.neo4j_database, RING_JOB, params, AGENCY, f"{AGENCY}-analyst")
        jobs.run_job(settings, job["id"])
    finally:
        jobs.register_kind(RING_JOB, "casegraph.detect.jobs:run_ring_detection")
    return str(job["id"])


def test_failed_jobs_say_code_message_hint_and_ref_and_nothing_internal(
        client: tuple[TestClient, dict[tuple[str, str], str]], driver: Driver, neo4j_settings: Settings) -> None:
    test_client, keys = client
    db = neo4j_settings.neo4j_database
    failing = {
        "invalid_parameters": _run(driver, neo4j_settings, None, {"cycle_min_length": 9}),
        "database_unavailable": _run(driver, neo4j_settings, "tests.test_job_failures:losing_the_database", {}),
        "internal_error": _run(driver, neo4j_settings, "tests.test_job_failures:crashing", {}),
    }
    log = (neo4j_settings.log_dir / "errors.log").read_text(encoding="utf-8")
    for role in ("analyst", "admin"):
        headers = {"Authorization": f"Bearer {keys[(AGENCY, role)]}"}
        for code, job_id in failing.items():
            response = test_client.get(f"/v1/jobs/{job_id}", headers=headers)
            assert response.status_code == 200, response.text
            assert_no_internals(response.text)
            job = response.json()
            assert job["status"] == "failed" and set(job["error"]) == {"code", "message", "hint", "ref"}
            assert job["error"]["code"] == code and job["error"]["message"] and job["error"]["hint"]
            entry = log[log.index(f"[{job['error']['ref']}]"):]
            assert entry.split("\n", 2)[1].startswith("Traceback"), entry[:300]
    invalid = test_client.get(f"/v1/jobs/{failing['invalid_parameters']}", headers=headers).json()
    assert "cycle" in invalid["error"]["message"]  # a user's mistake is told as it is
    assert "secret-ledger.xlsx at row 17" in log and "RuntimeError" in log  # the details are the log's

    cancelled = jobs.create(driver, db, RING_JOB, {}, AGENCY, f"{AGENCY}-analyst")
    assert test_client.post(f"/v1/jobs/{cancelled['id']}/cancel", headers=headers).status_code == 200
    assert jobs.run_job(neo4j_settings, cancelled["id"]) == "cancelled"
    interrupted = jobs.create(driver, db, RING_JOB, {}, AGENCY, f"{AGENCY}-analyst")
    with TestClient(create_app(neo4j_settings)):  # a new API process marks what the last one left
        pass
    for job_id, status in ((cancelled["id"], "cancelled"), (interrupted["id"], "failed")):
        response = test_client.get(f"/v1/jobs/{job_id}", headers=headers)
        assert_no_internals(response.text)
        assert response.json()["status"] == status
    assert test_client.get(f"/v1/jobs/{interrupted['id']}", headers=headers).json()["error"]["code"] == "interrupted"


def test_a_jobs_message_and_hint_are_said_in_the_callers_language(
        client: tuple[TestClient, dict[tuple[str, str], str]], driver: Driver, neo4j_settings: Settings) -> None:
    test_client, keys = client
    job_id = _run(driver, neo4j_settings, "tests.test_job_failures:losing_the_database", {})
    headers = {"Authorization": f"Bearer {keys[(AGENCY, 'analyst')]}"}
    chinese = test_client.get(f"/v1/jobs/{job_id}", headers=headers).json()  # 简体中文 by default
    assert chinese["error"]["message"] == chinese["message"] == "任务运行期间数据库停止应答"
    assert chinese["error"]["hint"] == "待 GET /health 返回 200 后重新启动任务"
    english = test_client.get(f"/v1/jobs/{job_id}", headers=headers | {"Accept-Language": "en"}).json()
    assert english["error"]["message"] == "the database stopped answering while the job ran"
    assert english["error"]["hint"] == "start the job again once GET /health answers 200"
    assert chinese["error"]["ref"] == english["error"]["ref"] and chinese["error"]["code"] == "database_unavailable"
    interrupted = jobs.create(driver, neo4j_settings.neo4j_database, RING_JOB, {}, AGENCY, f"{AGENCY}-analyst")
    with TestClient(create_app(neo4j_settings)):  # a new API process marks what the last one left
        pass
    said = test_client.get(f"/v1/jobs/{interrupted['id']}", headers=headers).json()
    assert said["message"] == "已中断" and said["error"]["message"] == "任务排队时 API 进程已停止"


def test_an_unexpected_error_in_a_route_is_a_500_with_a_ref(
        client: tuple[TestClient, dict[tuple[str, str], str]], neo4j_settings: Settings) -> None:
    _, keys = client
    app = create_app(neo4j_settings)

    @app.get("/v1/test-crash", include_in_schema=False)  # a 500 no real operation declares
    def crash() -> None:
        raise KeyError("/srv/casegraph/home/secret")

    with TestClient(app, raise_server_exceptions=False) as crashing_client:
        response = crashing_client.get("/v1/test-crash", headers={"Authorization": f"Bearer {keys[(AGENCY, 'admin')]}"})
    assert response.status_code == 500
    assert_no_internals(response.text)
    error = response.json()["error"]
    assert error["code"] == "internal_error" and error["ref"].startswith("err-")
    assert f"[{error['ref']}]" in (neo4j_settings.log_dir / "errors.log").read_text(encoding="utf-8")
