"""The CLI of issue 6: users, access requests, document sharing and the audit log, as the local admin."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from casegraph.access import Caller
from casegraph.cli import app
from casegraph.graph import audit_log, lookups, users
from casegraph.settings import Settings
from tests.access_helpers import audit_count, set_sharing_of_agency
from tests.test_audit_spool import _crash_after
from tests.test_thin_path import PERSON, ingest_all, register_agencies

Run = Callable[..., tuple[int, str]]


@pytest.fixture()
def run(driver: Driver, neo4j_settings: Settings, home: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_all(driver, neo4j_settings, home)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", str(neo4j_settings.neo4j_password))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout

    return invoke


def test_users_add_list_revoke(run: Run, driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    before = audit_count(driver, db)
    code, out = run("users", "add", "wang.li", "--agency", "cq-police", "--role", "analyst")
    assert code == 0
    key = out.strip().splitlines()[-1]
    caller = users.caller_for_key(driver, db, key)
    assert caller == Caller(user="wang.li", agency="cq-police", role="analyst")
    records, _, _ = driver.execute_query("MATCH (u:User {name: 'wang.li'}) RETURN u.key_hash AS h", database_=db)
    assert records[0]["h"] != key and key not in str(records[0])
    code, out = run("users", "list", "--agency", "cq-police")
    assert code == 0 and "wang.li" in out and key not in out
    assert run("users", "add", "wang.li", "--agency", "cq-police", "--role", "analyst")[0] == 1
    assert run("users", "add", "x", "--agency", "nowhere", "--role", "analyst")[0] == 1
    assert run("users", "revoke", "wang.li")[0] == 0
    assert users.caller_for_key(driver, db, key) is None
    code, out = run("users", "rotate", "wang.li")
    assert code == 0 and users.caller_for_key(driver, db, out.strip().splitlines()[-1]) is not None
    events = audit_log.query(driver, db, agency="local")
    assert audit_count(driver, db) == before + 6  # add, list, add (taken), add (no agency), revoke, rotate
    assert {e["user"] for e in events} == {f"local-admin:{getpass.getuser()}"}


def test_sharing_and_access_requests(run: Run, driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    set_sharing_of_agency(driver, db, "sc-regulator", "sealed")
    records, _, _ = driver.execute_query("MATCH (d:Document {agency: 'cq-police'}) RETURN d.key AS key", database_=db)
    doc = records[0]["key"]
    code, out = run("documents", "sharing", doc, "--level", "restricted", "--with", "sc-regulator")
    assert code == 0 and "restricted" in out
    assert run("documents", "sharing", doc, "--level", "secret")[0] == 1
    asker = Caller("someone", "sc-procuratorate", "investigator")
    assert lookups.entity(driver, db, asker, PERSON)["visible"] is False
    code, out = run("access", "request", "--as-agency", "sc-procuratorate", "--holder", "cq-police",
                    "--identifier", "500103198503124515", "--purpose", "川检刑诉(2023)17号")
    assert code == 0, out
    request_id = out.split("申请 ")[1].split("：")[0]  # 已向 cq-police 提出申请 <id>：待处理
    code, out = run("access", "list", "--agency", "cq-police", "--status", "pending")
    assert code == 0 and request_id in out
    code, out = run("access", "approve", request_id, "--days", "3")
    assert code == 0 and "已批准" in out and "1 份文书" in out
    assert lookups.entity(driver, db, asker, PERSON)["visible"] is True
    assert run("access", "deny", request_id)[0] == 1  # decided already


def test_audit_export_and_verify(run: Run, driver: Driver, neo4j_settings: Settings, tmp_path: Path) -> None:
    run("users", "add", "li.na", "--agency", "sc-police", "--role", "investigator")
    run("users", "list")
    out_file = tmp_path / "audit.jsonl"
    code, _ = run("audit", "export", "--out", str(out_file))
    assert code == 0
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [e["action"] for e in lines] == ["users_add", "users_list"]
    assert lines[1]["prev_hash"] == lines[0]["hash"]
    assert run("audit", "verify")[0] == 0
    driver.execute_query("MATCH (e:AuditEvent {seq: 1}) DETACH DELETE e", database_=neo4j_settings.neo4j_database)
    assert run("audit", "verify")[0] == 1


def test_audit_export_ships_the_journal_of_an_api_process_that_died(run: Run, driver: Driver,
                                                                    neo4j_settings: Settings, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    spool = tmp_path / "spool"
    monkeypatch.setenv("CASEGRAPH_AUDIT_SPOOL", str(spool))
    _crash_after(neo4j_settings, spool, total=4, shipped=0)  # answered, spooled, never shipped
    out_file = tmp_path / "audit.jsonl"
    assert run("audit", "export", "--out", str(out_file))[0] == 0
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [json.loads(e["params"])["n"] for e in lines if e["user"] == "crashed"] == [0, 1, 2, 3]
    assert list(spool.iterdir()) == []
    assert run("audit", "verify")[0] == 0
    assert audit_count(driver, neo4j_settings.neo4j_database) == 4 + 1  # and the export's own record
