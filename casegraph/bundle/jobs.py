"""Bundles of large cases are built in the background: a small in-process job store.

Jobs live in memory for the API process's lifetime (one worker thread, so a burst of large bundles
queues instead of starving the lookups); a restarted API forgets them, and the caller asks again.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from casegraph.bundle.models import Bundle
from casegraph.errors import CasegraphError, NotFound

JobStatus = Literal["queued", "running", "done", "failed"]


class BundleJob(BaseModel):
    id: str
    case: str
    agency: str
    status: JobStatus
    created_at: str
    finished_at: str | None = None
    error: str | None = None
    bundle: Bundle | None = None


class JobStore:
    def __init__(self, workers: int = 1, keep: int = 200) -> None:
        self._jobs: dict[str, BundleJob] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bundle-job")
        self._keep = keep

    def submit(self, case: str, agency: str, build: Callable[[], Bundle]) -> BundleJob:
        job = BundleJob(id=uuid.uuid4().hex, case=case, agency=agency, status="queued",
                        created_at=datetime.now(UTC).isoformat(timespec="seconds"))
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-self._keep]:  # forget the oldest beyond `keep`
                del self._jobs[old]
        self._pool.submit(self._run, job.id, build)
        return job.model_copy()

    def _run(self, job_id: str, build: Callable[[], Bundle]) -> None:
        self._update(job_id, status="running")
        try:
            bundle = build()
        except CasegraphError as exc:
            self._update(job_id, status="failed", error=str(exc))
        except Exception as exc:  # a job must end in a state the caller can read
            self._update(job_id, status="failed", error=f"{exc.__class__.__name__}: {exc}")
        else:
            self._update(job_id, status="done", bundle=bundle)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            if changes.get("status") in ("done", "failed"):
                changes["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            self._jobs[job_id] = job.model_copy(update=changes)

    def get(self, job_id: str, agency: str) -> BundleJob:
        with self._lock:
            job = self._jobs.get(job_id)
        # another agency's job does not exist for this caller
        if job is None or job.agency != agency:
            raise NotFound(f"no bundle job {job_id!r}")
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
