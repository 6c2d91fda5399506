"""Workbench sessions outlive the process that opened them: any API process (two apps here, and a
real `casegraph serve --workers 2` that is stopped and started again) honours a session cookie, and a
sign-out, a revoked key or idleness ends it everywhere. The database keeps no key and no session id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.graph.users import add_user, revoke_user
from casegraph.settings import Settings
from casegraph.web.app import create_web_app
from tests.test_clean_stop import _free_port, wait_healthy
from tests.test_thin_path import register_agencies

PURPOSE = {"X-Purpose": "%E6%B5%8B%E8%AF%95%20%E7%94%A8"}
ENTITY = "/v1/entities/phone:13823456789"  # 404 or 200: either way the session was accepted


def _two_apps(settings: Settings) -> tuple[TestClient, TestClient]:
    """Two API processes' worth of state: each app has its own session cache and key cache."""
    uncached = settings.model_copy(update={"api_key_cache_s": 0.0})
    return TestClient(create_web_app(uncached)), TestClient(create_web_app(uncached))


@pytest.fixture()
def user_key(driver: Driver, neo4j_settings: Settings) -> str:
    register_agencies(driver, neo4j_settings.neo4j_database)
    return add_user(driver, neo4j_settings.neo4j_database, "sessions-user", "cq-police", "investigator", "test")[1]


def _signed_in(client: TestClient, key: str) -> tuple[str, str]:
    signed = client.post("/web/session", json={"key": key})
    assert signed.status_code == 200, signed.text
    return signed.cookies["cg_session"], signed.json()["csrf"]


def _accepted(status: int) -> bool:
    return status in (200, 404)


def test_a_session_opened_in_one_process_works_and_ends_in_another(neo4j_settings: Settings, user_key: str,
                                                                   driver: Driver) -> None:
    one, two = _two_apps(neo4j_settings)
    with one, two:
        cookie, csrf = _signed_in(one, user_key)
        two.cookies.set("cg_session", cookie)
        assert _accepted(two.get(ENTITY, headers=PURPOSE).status_code)
        assert two.get("/web/session").json()["csrf"] == csrf  # the same token, from a process that never saw it
        one.cookies.set("cg_session", cookie)
        assert two.delete("/web/session", headers={"X-CSRF-Token": csrf}).status_code == 204
        assert one.get(ENTITY, headers=PURPOSE).status_code == 401
        stored = driver.execute_query("MATCH (s:WebSession) RETURN properties(s) AS p",
                                      database_=neo4j_settings.neo4j_database).records
        assert all(user_key not in str(r["p"]) and cookie not in str(r["p"]) for r in stored)


def test_a_revoked_key_or_an_idle_session_ends_it(neo4j_settings: Settings, user_key: str, driver: Driver) -> None:
    one, two = _two_apps(neo4j_settings.model_copy(update={"web_session_idle_s": 3.0}))
    with one, two:
        cookie, _ = _signed_in(one, user_key)
        two.cookies.set("cg_session", cookie)
        for _ in range(3):  # in use: the idle clock restarts, in whichever process
            time.sleep(1.2)
            assert _accepted(two.get(ENTITY, headers=PURPOSE).status_code)
        time.sleep(3.5)
        assert two.get(ENTITY, headers=PURPOSE).status_code == 401
        cookie, _ = _signed_in(one, user_key)
        two.cookies.set("cg_session", cookie)
        assert _accepted(two.get(ENTITY, headers=PURPOSE).status_code)
        revoke_user(driver, neo4j_settings.neo4j_database, "sessions-user", None)
        assert two.get(ENTITY, headers=PURPOSE).status_code == 401


@contextmanager
def _serve(settings: Settings, home: Path, port: int) -> Iterator[str]:
    env = dict(os.environ, NEO4J_URI=settings.uri, NEO4J_PASSWORD=settings.neo4j_password or "",
               CASEGRAPH_HOME=str(home), CASEGRAPH_API_PORT=str(port))
    server = subprocess.Popen([sys.executable, "-m", "casegraph.cli", "serve", "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server, 240)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_serve_with_two_workers_keeps_sessions_across_a_restart(neo4j_settings: Settings, user_key: str,
                                                                tmp_path: Path) -> None:
    port = _free_port()
    with _serve(neo4j_settings, tmp_path, port) as base:
        signed = httpx.post(f"{base}/web/session", json={"key": user_key}, timeout=30)
        assert signed.status_code == 200
        cookie, csrf = signed.cookies["cg_session"], signed.json()["csrf"]
        # A new connection each call: the kernel hands them to either worker.
        for _ in range(12):
            answer = httpx.get(f"{base}{ENTITY}", headers=PURPOSE, cookies={"cg_session": cookie}, timeout=30)
            assert _accepted(answer.status_code), answer.text
    with _serve(neo4j_settings, tmp_path, port) as base:  # a restarted server: no process has seen it
        answer = httpx.get(f"{base}{ENTITY}", headers=PURPOSE, cookies={"cg_session": cookie}, timeout=30)
        assert _accepted(answer.status_code), answer.text
        out = httpx.delete(f"{base}/web/session", headers={"X-CSRF-Token": csrf}, cookies={"cg_session": cookie},
                           timeout=30)
        assert out.status_code == 204
        time.sleep(neo4j_settings.api_key_cache_s + 0.5)  # the other worker's cached copy, if it had one
        for _ in range(6):
            answer = httpx.get(f"{base}{ENTITY}", headers=PURPOSE, cookies={"cg_session": cookie}, timeout=30)
            assert answer.status_code == 401
