"""A clean stop (issue 22): SIGTERM on `casegraph serve` ends its job worker and the jobs it was
running (marked interrupted, to be started again) within 10 s, and leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from neo4j import Driver

from casegraph.api.job_runner import JobRunner
from casegraph.graph import jobs
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.test_thin_path import register_agencies


def sleeping_job(context: jobs.JobContext, params: dict[str, Any]) -> None:
    for step in range(600):
        context.progress(step / 600, "sleeping")
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _wait_status(driver: Driver, db: str, job_id: str, wanted: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s  # a spawned worker imports casegraph: slow on a busy machine
    while jobs.get(driver, db, job_id)["status"] != wanted:
        assert time.monotonic() < deadline, jobs.get(driver, db, job_id)
        time.sleep(0.2)


def test_stopping_the_runner_ends_its_worker_and_marks_the_running_job(driver: Driver,
                                                                       neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    jobs.register_kind("test-sleep", "tests.test_clean_stop:sleeping_job")
    job = jobs.create(driver, db, "test-sleep", {}, agency=None, user=None)
    runner = JobRunner(neo4j_settings)
    runner.submit(job["id"])
    _wait_status(driver, db, job["id"], "running")
    workers = list(runner.pool._processes or {})  # the pool's worker pids (not the resource tracker)
    assert workers and all(_alive(pid) for pid in workers)
    started = time.monotonic()
    runner.shutdown()
    assert time.monotonic() - started < 10
    assert not [pid for pid in workers if _alive(pid)]
    stopped = jobs.get(driver, db, job["id"])
    assert stopped["status"] == "failed" and stopped["error"]["code"] == "interrupted"


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Until `casegraph serve` at `base` answers /health (it fails the test if it dies or never does)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
        time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sigterm_on_serve_leaves_no_worker_behind(driver: Driver, neo4j_settings: Settings, tmp_path: Path) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    key = add_users(driver, db, ["cq-police"], roles=("analyst",))[("cq-police", "analyst")]
    port = _free_port()
    env = dict(os.environ, NEO4J_URI=neo4j_settings.uri, NEO4J_PASSWORD=neo4j_settings.neo4j_password or "",
               CASEGRAPH_HOME=str(tmp_path), CASEGRAPH_API_PORT=str(port))
    server = subprocess.Popen([sys.executable, "-m", "casegraph.cli", "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server, 180)
        started = httpx.post(f"{base}/v1/jobs/ring-detection", headers={"Authorization": f"Bearer {key}"}, timeout=30)
        assert started.status_code == 202, started.text
        job_id = started.json()["id"]
        deadline = time.monotonic() + 180
        while jobs.get(driver, db, job_id)["status"] == "queued":  # the worker is up once the job runs
            assert time.monotonic() < deadline
            time.sleep(0.2)
        family = _children(server.pid)
        family += [grandchild for pid in family for grandchild in _children(pid)]
        assert family, "the job worker runs beside the API"
        stop = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        assert time.monotonic() - stop < 10
        time.sleep(0.5)
        assert not [pid for pid in family if _alive(pid)], "a worker outlived serve"
        assert jobs.get(driver, db, job_id)["status"] in ("succeeded", "failed")  # done, or marked interrupted
    finally:
        if server.poll() is None:
            server.kill()
