"""Runs jobs in a worker process beside the API, one at a time, in submission order."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from casegraph.graph import jobs
from casegraph.settings import Settings


def _run_in_worker(settings_env: dict[str, object], job_id: str) -> str:
    settings = Settings(**settings_env)  # type: ignore[arg-type]
    _register_kinds()
    return jobs.run_job(settings, job_id)


def _register_kinds() -> None:
    # Importing the job modules registers their kinds; they live above the graph layer.
    import casegraph.api.job_kinds  # noqa: F401


class JobRunner:
    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.settings = settings
        # spawn, not fork: the API process holds driver sockets and threads a fork would copy.
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        self.futures: dict[str, Future[str]] = {}

    def submit(self, job_id: str) -> None:
        env = self.settings.model_dump()
        self.futures[job_id] = self.pool.submit(_run_in_worker, env, job_id)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
