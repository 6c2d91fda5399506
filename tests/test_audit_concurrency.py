"""The audit log under concurrency: one chain across API processes, one record per call, and no
answer before its record is durable in the spool (issue 6)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from starlette.types import Message

from casegraph.api.app import create_app
from casegraph.graph import audit_log
from casegraph.graph.audit_log import AuditLog, AuditRecord
from casegraph.graph.connection import _new_driver
from casegraph.settings import Settings
from tests.access_helpers import add_users, audit_count
from tests.test_thin_path import PHONE, ingest_all, register_agencies

PURPOSE = "渝公(经)立字(2023)45号"


def _record(n: int, writer: str) -> AuditRecord:
    return AuditRecord(user=writer, agency="cq-police", role="investigator", action="lookup", method="GET",
                       path="/v1/lookup", params={"n": n}, purpose=PURPOSE, returned=[], status=200)


def test_two_processes_appending_at_once_keep_one_gapless_chain(driver: Driver, neo4j_settings: Settings,
                                                                 tmp_path: Path) -> None:
    """`uvicorn --workers 2` is two AuditLogs on two drivers, each with its own journal in one spool
    directory, shipping often; the head lock keeps one linear chain."""
    db = neo4j_settings.neo4j_database
    before = audit_count(driver, db)
    logs = [AuditLog(_new_driver(neo4j_settings), db, tmp_path / "spool", ship_s=0.005) for _ in range(2)]
    per_thread, threads_per_log = 15, 6

    def sync_appends(log: AuditLog, name: str) -> None:
        for n in range(per_thread):
            log.append(_record(n, name))

    def async_appends(log: AuditLog, name: str) -> None:
        async def run() -> None:
            await asyncio.gather(*(log.append_async(_record(n, name)) for n in range(per_thread)))
        asyncio.run(run())

    threads = [threading.Thread(target=sync_appends if t % 2 else async_appends, args=(log, f"w{i}-t{t}"))
               for i, log in enumerate(logs) for t in range(threads_per_log)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        for log in logs:
            log.close()
            log._driver.close()
    assert audit_count(driver, db) == before + 2 * threads_per_log * per_thread
    assert audit_log.verify(driver, db) == []
    users = {e["user"] for e in audit_log.iter_all(driver, db)}
    assert users >= {f"w{i}-t{t}" for i in range(2) for t in range(threads_per_log)}
    assert sum(log.stats["batches"] for log in logs) > 2  # both shipped while appending, not only at close
    assert list((tmp_path / "spool").iterdir()) == []  # closed, all shipped: the journals are gone


def test_a_writer_whose_head_went_stale_falls_back_and_keeps_the_chain(driver: Driver, neo4j_settings: Settings,
                                                                     tmp_path: Path) -> None:
    """Each writer appends in one statement after the head it last wrote; when another process
    appended in between, that statement writes nothing, and the writer reads the head and appends
    after it in one more statement (locking and reading the head only for its first batch)."""
    db = neo4j_settings.neo4j_database
    before = audit_count(driver, db)
    first, second = (AuditLog(_new_driver(neo4j_settings), db, tmp_path / "spool", ship_s=3600) for _ in range(2))
    try:
        for log, name in [(first, "a"), (first, "a"), (second, "b"), (first, "a"), (second, "b"), (second, "b")]:
            log.append(_record(0, name))
            log.flush()
            head = driver.execute_query("MATCH (h:AuditHead {id: 'audit'}) RETURN h.seq AS seq, h.hash AS hash",
                                        database_=db).records[0]
            assert log.head == (head["seq"], head["hash"])  # it knows the head it wrote
        # a a | b | a (stale: b moved it) | b (stale) b: one stale head each, no lock after the first batch
        assert [(log.stats["stale"], log.stats["locked"]) for log in (first, second)] == [(1, 1), (1, 1)]
    finally:
        for log in (first, second):
            log.close()
            log._driver.close()
    assert audit_count(driver, db) == before + 6
    assert audit_log.verify(driver, db) == []
    assert [e["user"] for e in audit_log.iter_all(driver, db)][-6:] == ["a", "a", "b", "a", "b", "b"]


@pytest.fixture()
def investigator_key(driver: Driver, neo4j_settings: Settings, home: Path) -> str:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_all(driver, neo4j_settings, home)
    return add_users(driver, neo4j_settings.neo4j_database, ["cq-police"], roles=("investigator",))[
        ("cq-police", "investigator")]


class _SpoolClock(AuditLog):
    """The real audit log, noting the order in which records are on disk and answers start."""

    def __init__(self, driver: Driver, database: str, spool: Path, events: list[str]) -> None:
        super().__init__(driver, database, spool)
        self.spool = spool
        self.events = events

    async def append_async(self, record: AuditRecord) -> None:
        await super().append_async(record)
        # On disk, in this process's journal, when the wait returns (not merely queued).
        on_disk = "".join(p.read_text(encoding="utf-8") for p in self.spool.glob("*.jsonl"))
        assert f'"id":"{record.id}"' in on_disk
        self.events.append(f"spooled {record.params.get('identifier')}")


async def _asgi_get(app: Any, query: str, headers: dict[str, str], events: list[str], tag: str) -> int:
    """GET /v1/lookup straight through the ASGI app; notes when the answer starts; its status."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": "/v1/lookup", "raw_path": b"/v1/lookup", "query_string": query.encode(),
             "root_path": "", "server": ("test", 80), "client": ("127.0.0.1", 1),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            events.append(f"answered {tag}")

    # Starlette's error middleware answers 500, then re-raises for the server to log: the status counts.
    with contextlib.suppress(Exception):
        await app(scope, receive, send)
    return status


def _app_with_clock(neo4j_settings: Settings, events: list[str]) -> Any:
    # All calls at once, none shed (shedding past CASEGRAPH_API_MAX_IN_FLIGHT has tests of its own).
    app = create_app(neo4j_settings.model_copy(update={"api_max_in_flight": 1000}))

    async def lifespan_with_clock(body: Any) -> Any:
        async with app.router.lifespan_context(app):
            app.state.audit_log.close()
            app.state.audit_log = _SpoolClock(app.state.driver, neo4j_settings.neo4j_database,
                                              neo4j_settings.audit_spool, events)
            return await body()

    return app, lifespan_with_clock


def test_concurrent_calls_leave_one_record_each_on_disk_before_the_answer(
        investigator_key: str, driver: Driver, neo4j_settings: Settings) -> None:
    events: list[str] = []
    app, run = _app_with_clock(neo4j_settings, events)
    db = neo4j_settings.neo4j_database
    before = audit_count(driver, db)
    number = PHONE.removeprefix("phone:")
    # Known, unknown and invalid identifiers at once: 200, 404 and 422 are all recorded.
    identifiers = [number, "13900000001", "not-a-phone"] * 8
    headers = {"Authorization": f"Bearer {investigator_key}"}

    async def body() -> list[int]:
        calls = [_asgi_get(app, f"identifier={ident}&purpose=case-{n}", headers, events, ident)
                 for n, ident in enumerate(identifiers)]
        return list(await asyncio.gather(*calls))

    statuses = asyncio.run(run(body))
    assert sorted(set(statuses)) == [200, 404, 422]
    assert audit_count(driver, db) == before + len(identifiers)
    assert audit_log.verify(driver, db) == []
    # Per identifier, every answer is preceded by a spooled record not yet matched to an answer.
    for ident in set(identifiers):
        spooled = 0
        for event in events:
            if event == f"spooled {ident}":
                spooled += 1
            elif event == f"answered {ident}":
                assert spooled > 0, events
                spooled -= 1
    records = [e for e in audit_log.iter_all(driver, db) if e["user"] == "cq-police-investigator"]
    assert sorted(r["status"] for r in records) == sorted(statuses)
    found = [r for r in records if r["status"] == 200]
    assert len(found) == 8 and all(PHONE in r["returned"] for r in found)


def test_a_call_whose_record_cannot_be_written_gets_no_content(investigator_key: str, driver: Driver,
                                                               neo4j_settings: Settings, tmp_path: Path) -> None:
    app = create_app(neo4j_settings)
    events: list[str] = []
    headers = {"Authorization": f"Bearer {investigator_key}"}
    (tmp_path / "a-file").write_text("not a directory")
    before = audit_count(driver, neo4j_settings.neo4j_database)

    async def body() -> int:
        async with app.router.lifespan_context(app):
            app.state.audit_log.close()
            # A spool that cannot be made (its parent is a file): every append fails, as on a full
            # or failed disk.
            app.state.audit_log = AuditLog(app.state.driver, neo4j_settings.neo4j_database,
                                           tmp_path / "a-file" / "spool")
            return await _asgi_get(app, f"identifier={PHONE.removeprefix('phone:')}&purpose=case-1", headers,
                                   events, "phone")

    assert asyncio.run(body()) == 503
    assert events == ["answered phone"]  # one answer: the error, not the entity withheld behind it
    assert audit_count(driver, neo4j_settings.neo4j_database) == before
