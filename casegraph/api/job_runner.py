"""Runs jobs in a worker process beside the API, one at a time, in submission order.

At shutdown (SIGTERM or Ctrl-C on `casegraph serve`) the worker is ended, not left behind
re-parented to pid 1, and the jobs it had not finished are marked interrupted at once: each can be
started again (a job is all or nothing: its results are written at its end).
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from neo4j.exceptions import DriverError, Neo4jError

from casegraph.errors import DatabaseUnavailable
from casegraph.graph import jobs
from casegraph.graph.connection import get_driver
from casegraph.settings import Settings

logger = logging.getLogger(__name__)

# How long a worker gets to end after SIGTERM before it is killed (the whole stop must fit in 10 s).
STOP_GRACE_S = 3.0


def _run_in_worker(settings_env: dict[str, object], kinds: dict[str, str], job_id: str) -> str:
    settings = Settings(**settings_env)  # type: ignore[arg-type]
    _register_kinds()
    for kind, target in kinds.items():  # kinds registered in the API process travel with the job
        jobs.register_kind(kind, target)
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
        self.futures[job_id] = self.pool.submit(_run_in_worker, env, dict(jobs.JOB_KINDS), job_id)

    def unfinished(self) -> list[str]:
        return [job_id for job_id, future in self.futures.items() if not future.done()]

    def shutdown(self) -> None:
        """End the workers (SIGTERM, then SIGKILL after STOP_GRACE_S) and mark unfinished jobs interrupted."""
        unfinished = self.unfinished()
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(STOP_GRACE_S)
            if process.is_alive():
                process.kill()
                process.join(1.0)
        if unfinished:
            try:
                marked = jobs.mark_interrupted(get_driver(self.settings), self.settings.neo4j_database, unfinished)
                logger.info("stopped with %d unfinished jobs, marked interrupted", marked)
            except (DatabaseUnavailable, Neo4jError, DriverError, OSError) as exc:
                # The next API start marks them (it marks every job left queued or running).
                logger.warning("could not mark %d unfinished jobs interrupted: %s", len(unfinished), exc)
