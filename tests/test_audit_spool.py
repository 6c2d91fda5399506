"""The audit spool (issue 6): records durable on local disk before the answer, shipped to the Neo4j
chain later; journals of crashed processes shipped exactly once, in order. Real files, real
processes killed with SIGKILL, a real Neo4j."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.graph import audit_log
from casegraph.graph.audit_log import AuditLog, AuditRecord
from casegraph.graph.connection import _new_driver
from casegraph.settings import Settings
from tests.access_helpers import audit_count

REPO = Path(__file__).resolve().parents[1]

# A process that appends `total` records (shipping the first `shipped` of them at once), then is
# killed without a chance to ship the rest or delete its journal.
_CRASHING_PROCESS = """
import os, signal, sys
from pathlib import Path
from casegraph.graph.audit_log import AuditLog, AuditRecord
from casegraph.graph.connection import get_driver
from casegraph.settings import load_settings

settings = load_settings()
log = AuditLog(get_driver(settings), settings.neo4j_database, Path(sys.argv[1]), ship_s=3600)
total, shipped = int(sys.argv[2]), int(sys.argv[3])
for n in range(total):
    log.append(AuditRecord(user="crashed", agency="cq-police", role="investigator", action="lookup",
                           method="GET", path="/v1/lookup", params={"n": n}, purpose="case-1",
                           returned=[], status=200))
    if n + 1 == shipped:
        log.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""


def _record(n: int, user: str = "t") -> AuditRecord:
    return AuditRecord(user=user, agency="cq-police", role="investigator", action="lookup", method="GET",
                       path="/v1/lookup", params={"n": n}, purpose="case-1", returned=[f"phone:{n}"], status=200)


def _crash_after(neo4j_settings: Settings, spool: Path, total: int, shipped: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEO4J_URI": neo4j_settings.uri,
           "NEO4J_USER": neo4j_settings.neo4j_user, "NEO4J_PASSWORD": neo4j_settings.neo4j_password or "",
           "NEO4J_DATABASE": neo4j_settings.neo4j_database}
    done = subprocess.run([sys.executable, "-c", _CRASHING_PROCESS, str(spool), str(total), str(shipped)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr  # killed, not finished


def _ns_of(driver: Driver, db: str, user: str) -> list[int]:
    return [json.loads(e["params"])["n"] for e in audit_log.iter_all(driver, db) if e["user"] == user]


def test_a_record_is_on_disk_when_append_returns_and_in_neo4j_after_flush(driver: Driver, neo4j_settings: Settings,
                                                                         tmp_path: Path) -> None:
    db = neo4j_settings.neo4j_database
    spool = tmp_path / "spool"
    log = AuditLog(_new_driver(neo4j_settings), db, spool, ship_s=3600)
    before = audit_count(driver, db)
    try:
        records = [_record(n) for n in range(3)]
        for record in records:
            log.append(record)
        lines = "".join(p.read_text(encoding="utf-8") for p in spool.glob("*.jsonl")).splitlines()
        assert [r.id for r in records] == [line.split('"id":"')[1].split('"')[0] for line in lines]
        assert stat.S_IMODE(spool.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in spool.iterdir())
        assert audit_count(driver, db) == before  # not shipped yet: an hour's interval
        log.flush()
        assert audit_count(driver, db) == before + 3
        assert _ns_of(driver, db, "t") == [0, 1, 2]
        stored = {e["id"] for e in audit_log.iter_all(driver, db)}
        assert {r.id for r in records} <= stored
    finally:
        log.close()
        log._driver.close()
    assert audit_count(driver, db) == before + 3  # the close shipped nothing twice
    assert list(spool.iterdir()) == []
    assert audit_log.verify(driver, db) == []


def test_a_killed_process_journal_is_shipped_once_in_order_by_the_next_start(driver: Driver, neo4j_settings: Settings,
                                                                            tmp_path: Path) -> None:
    db = neo4j_settings.neo4j_database
    spool = tmp_path / "spool"
    before = audit_count(driver, db)
    _crash_after(neo4j_settings, spool, total=12, shipped=0)
    assert audit_count(driver, db) == before and any(spool.glob("*.jsonl"))
    log = AuditLog(_new_driver(neo4j_settings), db, spool)
    try:
        log.start()
        log.append(_record(100, "next"))  # the new process's own record comes after the dead one's
        log.flush()
        assert audit_count(driver, db) == before + 13
        assert _ns_of(driver, db, "crashed") == list(range(12))
    finally:
        log.close()
        log._driver.close()
    assert audit_log.verify(driver, db) == []
    assert list(spool.iterdir()) == []


def test_a_journal_shipped_in_part_before_the_crash_writes_no_duplicate(driver: Driver, neo4j_settings: Settings,
                                                                       tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Five of eight records were committed, then the process died before deleting its journal; a
    torn line at the end (a write cut short) is skipped and reported. The CLI's way of recovery."""
    db = neo4j_settings.neo4j_database
    spool = tmp_path / "spool"
    before = audit_count(driver, db)
    _crash_after(neo4j_settings, spool, total=8, shipped=5)
    assert audit_count(driver, db) == before + 5
    segment = sorted(spool.glob("*.jsonl"))[-1]
    with segment.open("ab") as torn:
        torn.write(b'{"id":"never-answered","at":"2026-')
    with caplog.at_level(logging.WARNING, logger="casegraph.graph.audit_spool"):
        assert audit_log.ship_orphaned_journals(driver, db, spool) == 3
    assert "torn" in caplog.text
    assert audit_count(driver, db) == before + 8
    assert _ns_of(driver, db, "crashed") == list(range(8))
    assert list(spool.iterdir()) == []
    assert audit_log.ship_orphaned_journals(driver, db, spool) == 0
    assert audit_log.verify(driver, db) == []


def test_a_live_process_journal_is_not_taken_and_two_processes_keep_one_chain(driver: Driver,
                                                                             neo4j_settings: Settings,
                                                                             tmp_path: Path) -> None:
    db = neo4j_settings.neo4j_database
    spool = tmp_path / "spool"
    before = audit_count(driver, db)
    first, second = (AuditLog(_new_driver(neo4j_settings), db, spool, ship_s=3600) for _ in range(2))
    try:
        first.append(_record(0, "first"))
        second.append(_record(0, "second"))
        # The first one's lock is held: recovery leaves its journal alone.
        assert audit_log.ship_orphaned_journals(driver, db, spool) == 0
        assert audit_count(driver, db) == before
        first.append(_record(1, "first"))
        second.flush()
        first.flush()
        second.append(_record(1, "second"))
        second.flush()
    finally:
        for log in (first, second):
            log.close()
            log._driver.close()
    assert audit_count(driver, db) == before + 4
    assert [e["user"] for e in audit_log.iter_all(driver, db)][-4:] == ["second", "first", "first", "second"]
    assert audit_log.verify(driver, db) == []


def test_records_wait_in_the_spool_while_neo4j_refuses_them(driver: Driver, neo4j_settings: Settings,
                                                           tmp_path: Path) -> None:
    """The call is answered (its record is durable on disk); the shipper retries and, at close, leaves
    the journal for the next start, which ships it."""
    db = neo4j_settings.neo4j_database
    spool = tmp_path / "spool"
    before = audit_count(driver, db)
    refused = AuditLog(_new_driver(neo4j_settings), "no-such-database", spool, ship_s=0.01, timeout_s=1.0)
    try:
        refused.append(_record(0, "waited"))
        refused.append(_record(1, "waited"))
        with pytest.raises(Exception, match="could not be shipped"):
            refused.flush()
    finally:
        refused.close()
        refused._driver.close()
    assert len(list(spool.glob("*.jsonl"))) == 1  # kept: nothing of it is in Neo4j
    log = AuditLog(_new_driver(neo4j_settings), db, spool)
    try:
        log.flush()
    finally:
        log.close()
        log._driver.close()
    assert audit_count(driver, db) == before + 2
    assert _ns_of(driver, db, "waited") == [0, 1]
    assert list(spool.iterdir()) == []


def test_a_record_handed_in_twice_is_one_record(driver: Driver, neo4j_settings: Settings, tmp_path: Path) -> None:
    """The id is the record's identity: the batch fails on the unique id, and its retry, which skips
    ids already present or repeated, writes the record once."""
    db = neo4j_settings.neo4j_database
    before = audit_count(driver, db)
    log = AuditLog(_new_driver(neo4j_settings), db, tmp_path / "spool", ship_s=3600)
    try:
        record = _record(7, "twice")
        log.append(record)
        log.append(record)
        log.append(_record(8, "twice"))
        log.flush()
        assert log.stats["skipped"] == 1
    finally:
        log.close()
        log._driver.close()
    assert audit_count(driver, db) == before + 2
    assert _ns_of(driver, db, "twice") == [7, 8]
    assert audit_log.verify(driver, db) == []
