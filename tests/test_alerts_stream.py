"""GET /v1/alerts/stream on a real uvicorn server: a connected watcher gets the alert as a server-sent
event within 5 s of the commit, a client of another agency gets nothing, and each delivery is audited."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.test_alerts_api import PENALTY, SUSPECT_AS_TYPED, WATCHER, keys  # noqa: F401  (the `keys` fixture)
from tests.test_thin_path import PERSON


@pytest.fixture()
def served(keys: dict[tuple[str, str], str], neo4j_settings: Settings) -> Iterator[tuple[str, FastAPI]]:  # noqa: F811
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(neo4j_settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                          timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(30)


class Listener(threading.Thread):
    """A client of the stream that keeps every event it receives."""

    def __init__(self, base: str, key: str) -> None:
        super().__init__(daemon=True)
        self.base, self.key = base, key
        self.events: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self.stop = False

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.stream("GET", f"{self.base}/v1/alerts/stream", headers=headers, timeout=None) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            try:
                for line in response.iter_lines():
                    self.connected.set()
                    if line.startswith("data: "):
                        self.events.append({**json.loads(line[len("data: "):]), "received": time.monotonic()})
                    if self.stop:
                        return
            except httpx.RemoteProtocolError:  # the server went away at the end of the test
                return


def test_a_connected_watcher_gets_the_alert_within_5_s_and_no_one_else_does(
        served: tuple[str, FastAPI], keys: dict[tuple[str, str], str], driver: Driver,  # noqa: F811
        neo4j_settings: Settings, home: Path) -> None:
    base, app = served
    watcher = keys[WATCHER]
    response = httpx.post(f"{base}/v1/watches", json={"kind": "identifier", "value": SUSPECT_AS_TYPED,
                                                       "for_agency": True},
                          headers={"Authorization": f"Bearer {watcher}"})
    assert response.status_code == 201
    listeners = [Listener(base, keys[who]) for who in (WATCHER, ("cq-police", "analyst"),
                                                       ("sc-procuratorate", "investigator"))]
    for listener in listeners:
        listener.start()
        assert listener.connected.wait(30)
    # A running server: its poller has planned its statements and polled (on a loaded machine the
    # planning alone took seconds after a fresh start).
    while app.state.alert_hub.polls < 1:
        time.sleep(0.1)
    ingest(driver, neo4j_settings.neo4j_database, [PENALTY], "sc-regulator", home)
    committed = time.monotonic()
    mine, analyst, other = listeners
    while not (mine.events and analyst.events):
        assert time.monotonic() - committed < 5.0, f"no streamed alert within 5 s ({app.state.alert_hub.polls} polls)"
        time.sleep(0.05)
    [event] = mine.events
    assert event["entity"]["key"] == PERSON and event["visible"] is True
    # a masked role: the entity's key as its handle, which opens it, and no identifier in full
    assert analyst.events[0]["entity"]["key"] == app.state.handles.handle(PERSON)
    assert PERSON.split(":", 1)[1] not in json.dumps(analyst.events[0], ensure_ascii=False)
    time.sleep(2.5)  # two more polls: nothing more, and nothing for another agency
    assert len(mine.events) == 1 and other.events == []
    app.state.audit_log.flush()
    records, _, _ = driver.execute_query(
        "MATCH (e:AuditEvent {action: 'alert_delivery'}) RETURN e.user AS user, e.returned AS returned",
        database_=neo4j_settings.neo4j_database)
    assert sorted(r["user"] for r in records) == ["cq-police-analyst", "cq-police-investigator"]
    assert all(event["id"] in r["returned"] for r in records)
    for listener in listeners:
        listener.stop = True
