"""The job machinery against the real database: progress, success, failure, cancel, restart."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from casegraph.errors import NotFound
from casegraph.graph import jobs
from casegraph.settings import Settings

CALLS: list[dict[str, Any]] = []


def counting_job(context: jobs.JobContext, params: dict[str, Any]) -> dict[str, Any]:
    for step in range(params["steps"]):
        context.progress(step / params["steps"], f"step {step}")
        CALLS.append({"job": context.job_id, "step": step})
    if params.get("explode"):
        raise ValueError("the input was bad")
    return {"steps": params["steps"]}


def cancelling_job(context: jobs.JobContext, params: dict[str, Any]) -> None:
    jobs.cancel(context.driver, context.database, context.job_id)
    context.progress(0.5, "half way")  # notices the cancel request
    raise AssertionError("unreachable: the progress report raises JobCancelled")


@pytest.fixture(autouse=True)
def kinds() -> None:
    jobs.register_kind("test-count", "tests.test_jobs:counting_job")
    jobs.register_kind("test-cancel", "tests.test_jobs:cancelling_job")


def test_job_runs_to_success_with_its_result(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    job = jobs.create(driver, db, "test-count", {"steps": 3}, agency="sc-regulator", user="analyst-1")
    assert job["status"] == "queued"
    assert jobs.run_job(neo4j_settings, job["id"]) == "succeeded"
    done = jobs.get(driver, db, job["id"])
    assert done["status"] == "succeeded" and done["progress"] == 1.0 and done["result"] == {"steps": 3}
    assert done["finished_at"] and done["started_at"]


def test_failure_keeps_the_reason(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    job = jobs.create(driver, db, "test-count", {"steps": 1, "explode": True}, agency=None, user=None)
    assert jobs.run_job(neo4j_settings, job["id"]) == "failed"
    failed = jobs.get(driver, db, job["id"])
    error = failed["error"]
    # An unexpected exception: the job says what to do and where the details are, not what Python said.
    assert failed["status"] == "failed" and error["code"] == "internal_error" and error["hint"]
    assert "the input was bad" not in str(error) and "ValueError" not in str(error)
    logged = (neo4j_settings.log_dir / "errors.log").read_text(encoding="utf-8")
    entry = logged[logged.index(f"[{error['ref']}]"):]
    assert "Traceback" in entry and "ValueError: the input was bad" in entry


def test_cancel_stops_a_running_job_and_a_queued_one(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    running = jobs.create(driver, db, "test-cancel", {}, agency=None, user=None)
    assert jobs.run_job(neo4j_settings, running["id"]) == "cancelled"
    assert jobs.get(driver, db, running["id"])["status"] == "cancelled"
    queued = jobs.create(driver, db, "test-count", {"steps": 2}, agency=None, user=None)
    assert jobs.cancel(driver, db, queued["id"])["status"] == "cancelled"
    CALLS.clear()
    assert jobs.run_job(neo4j_settings, queued["id"]) == "cancelled"
    assert CALLS == []


def test_restart_marks_unfinished_jobs_failed_with_the_reason(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    job = jobs.create(driver, db, "test-count", {"steps": 2}, agency=None, user=None)
    assert jobs.mark_interrupted(driver, db) == 1
    failed = jobs.get(driver, db, job["id"])
    assert failed["status"] == "failed" and failed["error"]["code"] == "interrupted"
    assert "queued" in failed["error"]["message"] and failed["error"]["hint"]
    assert jobs.run_job(neo4j_settings, job["id"]) == "failed"  # not run again behind anyone's back


def test_unknown_job_and_kind(driver: Driver, neo4j_settings: Settings) -> None:
    with pytest.raises(NotFound):
        jobs.get(driver, neo4j_settings.neo4j_database, "nope")
    with pytest.raises(NotFound):
        jobs.create(driver, neo4j_settings.neo4j_database, "no-such-kind", {}, None, None)
