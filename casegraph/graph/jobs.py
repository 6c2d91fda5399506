"""Jobs: long work (ring detection, large bundles) run outside the request, tracked in Neo4j.

A job is a (:Job) node: queued → running → succeeded | failed | cancelled, with progress and a
message. The work runs in a worker process (CPU-bound Python would otherwise stall the API's
event loop and every other request); it reports progress through `JobContext`, which is also
where a cancel request is noticed. At API start, jobs still queued or running belonged to a
process that is gone, and are marked failed with that reason, so they can be re-run.
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from casegraph.errors import CasegraphError, JobQueueFull, NotFound
from casegraph.failures import job_failure, report, stored_failure
from casegraph.graph.connection import DRIVER_FAILURES, get_driver
from casegraph.graph.queries import cypher
from casegraph.i18n import N_
from casegraph.settings import Settings

# kind → "module:function"; the function takes (JobContext, params) and returns a JSON-able result.
JOB_KINDS: dict[str, str] = {}


def register_kind(kind: str, target: str) -> None:
    JOB_KINDS[kind] = target


class JobCancelled(CasegraphError):
    """Raised inside a job when it was asked to stop."""


@dataclass
class JobContext:
    job_id: str
    driver: Driver
    database: str
    agency: str | None
    user: str | None
    settings: Settings | None = None  # the runner's, for work that opens connections of its own (Spark tasks)

    def progress(self, fraction: float, message: str) -> None:
        """Report progress; raises JobCancelled when the job was asked to stop."""
        records, _, _ = self.driver.execute_query(cypher("job_progress"), id=self.job_id,
                                                  progress=max(0.0, min(1.0, fraction)), message=message,
                                                  database_=self.database)
        if records and records[0]["cancel_requested"]:
            raise JobCancelled(f"job {self.job_id} was cancelled")


def _job_view(job: dict[str, Any]) -> dict[str, Any]:
    view = dict(job)
    for field in ("params", "result"):
        if isinstance(view.get(field), str):
            view[field] = json.loads(view[field])
    if "error" in view:
        view["error"] = stored_failure(view["error"])
    for field in ("created_at", "started_at", "finished_at"):
        if view.get(field) is not None:
            view[field] = view[field].iso_format()
    return view


def create(driver: Driver, database: str, kind: str, params: dict[str, Any], agency: str | None,
           user: str | None) -> dict[str, Any]:
    if kind not in JOB_KINDS:
        raise NotFound(f"no job kind {kind!r}")
    records, _, _ = driver.execute_query(cypher("job_create"), id=uuid.uuid4().hex, kind=kind, agency=agency,
                                         user=user, params=json.dumps(params, ensure_ascii=False),
                                         database_=database)
    return _job_view(records[0]["job"])


def get(driver: Driver, database: str, job_id: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(cypher("job_get"), id=job_id, database_=database)
    if not records:
        raise NotFound(f"no job {job_id!r}")
    return _job_view(records[0]["job"])


def list_jobs(driver: Driver, database: str, kind: str | None = None, agency: str | None = None,
              limit: int = 50) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("job_list"), kind=kind, agency=agency, limit=limit,
                                         database_=database)
    return [_job_view(r["job"]) for r in records]


def cancel(driver: Driver, database: str, job_id: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(cypher("job_cancel"), id=job_id, database_=database)
    if not records:
        raise NotFound(f"no job {job_id!r}")
    return _job_view(records[0]["job"])


def admit(driver: Driver, database: str, agency: str | None, kinds: list[str], bound: int) -> None:
    """Raise JobQueueFull when `agency` has `bound` jobs of `kinds` queued or running already."""
    records, _, _ = driver.execute_query(cypher("job_count_open"), agency=agency, kinds=kinds, database_=database)
    if int(records[0]["open"]) >= bound:
        raise JobQueueFull(bound)


# What job_mark_interrupted.cypher writes, for the catalogue (a caller reads them in his language).
INTERRUPTED_TEXTS = (N_("interrupted"), N_("the API process stopped while the job was queued"),
                     N_("the API process stopped while the job was running"))


def mark_interrupted(driver: Driver, database: str, ids: list[str] | None = None) -> int:
    """Jobs still queued or running (those of `ids`, or all) marked failed as interrupted."""
    records, _, _ = driver.execute_query(cypher("job_mark_interrupted"), ids=ids, database_=database)
    return int(records[0]["interrupted"])


def _finish(driver: Driver, database: str, job_id: str, status: str, message: str,
            error: str | None = None, result: Any = None) -> None:
    driver.execute_query(cypher("job_finish"), id=job_id, status=status, message=message, error=error,
                         result=None if result is None else json.dumps(result, ensure_ascii=False, default=str),
                         database_=database)


def run_job(settings: Settings, job_id: str) -> str:
    """Run one job to its end in this process (the worker process's entry point); returns the status."""
    driver = get_driver(settings)
    database = settings.neo4j_database
    job = get(driver, database, job_id)
    if job["status"] != "queued":
        return str(job["status"])  # cancelled before it started
    context = JobContext(job_id, driver, database, job.get("agency"), job.get("user"), settings)
    try:
        module_name, _, function_name = JOB_KINDS[job["kind"]].partition(":")
        function: Callable[[JobContext, dict[str, Any]], Any] = getattr(importlib.import_module(module_name),
                                                                        function_name)
        context.progress(0.0, N_("started"))
        result = function(context, job["params"] or {})
    except JobCancelled:
        _finish(driver, database, job_id, "cancelled", N_("cancelled at the analyst's request"))
        return "cancelled"
    except Exception as exc:
        # The caller sees a code, a message, a hint and a reference; the traceback goes to the log.
        ref = report(exc, f"job {job_id} ({job['kind']}) failed", settings.log_dir)
        error = job_failure(exc, DRIVER_FAILURES, ref)
        _finish(driver, database, job_id, "failed", error["message"], error=json.dumps(error, ensure_ascii=False))
        return "failed"
    _finish(driver, database, job_id, "succeeded", N_("done"), result=result)
    return "succeeded"
