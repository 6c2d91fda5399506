"""`casegraph watch add|list|remove` (issue 19): the local admin sets an agency's or a user's watches;
each command is audited, and a bad value is a clear error with exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

from neo4j import Driver

from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.access_helpers import add_users, audit_count
from tests.test_access_cli import Run, run  # noqa: F401  (the `run` fixture: the CLI on the test server)
from tests.test_thin_path import PERSON, THIN


def test_watch_add_list_remove(run: Run, driver: Driver, neo4j_settings: Settings, home: Path) -> None:  # noqa: F811
    db = neo4j_settings.neo4j_database
    before = audit_count(driver, db)
    code, out = run("watch", "add", "identifier", "500103-19850312-4515", "--agency", "sc-procuratorate")
    assert code == 0 and "sc-procuratorate 的全部用户" in out  # the CLI speaks Chinese by default
    code, out = run("watch", "add", "case", "case:sc-procuratorate:川检刑诉〔2023〕17号", "--agency",
                    "sc-procuratorate", "--user", "sc-procuratorate-investigator")
    assert code == 0 and "当前关注" in out
    code, out = run("watch", "list", "--agency", "sc-procuratorate", "--user", "sc-procuratorate-investigator")
    listed = [json.loads(line) for line in out.splitlines()]
    assert {w["kind"] for w in listed} == {"entity", "case"}
    assert {w["target"] for w in listed} == {PERSON, "case:sc-procuratorate:川检刑诉(2023)17号"}
    code, out = run("watch", "list", "--agency", "sc-procuratorate", "--derived")
    derived = [json.loads(line) for line in out.splitlines()]
    assert "ric:510104199007213028" not in {w["target"] for w in derived}  # the user's case watch is not the agency's
    assert audit_count(driver, db) >= before + 4
    case_watch = next(w for w in listed if w["kind"] == "case")
    code, _ = run("watch", "remove", case_watch["id"], "--agency", "sc-procuratorate")
    assert code == 1  # another user's watch: the agency-wide remover does not see it
    code, _ = run("watch", "remove", case_watch["id"], "--agency", "sc-procuratorate",
                  "--user", "sc-procuratorate-investigator")
    assert code == 0
    code, _ = run("watch", "add", "identifier", "12345", "--agency", "sc-procuratorate")
    assert code == 1
    # The agency's watch fires on another agency's new document naming him.
    copy = home.parent / "penalty-copy.txt"
    copy.write_bytes((THIN / "sc-regulator-penalty.txt").read_bytes() + b"\n")
    ingest(driver, db, [copy], "sc-regulator", home)
    records, _, _ = driver.execute_query("MATCH (a:Alert {agency: 'sc-procuratorate'}) RETURN a.entity AS e",
                                         database_=db)
    assert [r["e"] for r in records] == [PERSON]


def test_joint_open_join_note_list_and_alert_handling(run: Run, driver: Driver,  # noqa: F811
                                                     neo4j_settings: Settings) -> None:
    from tests.test_alerts_rings import detect

    db = neo4j_settings.neo4j_database
    add_users(driver, db, ["cq-police", "sc-procuratorate"], roles=("investigator",))  # tasks' owners
    before = audit_count(driver, db)
    assert detect(driver, db) >= 1  # the thin documents' shared phone makes a ring: its agencies hear of it
    records, _, _ = driver.execute_query("MATCH (a:Alert {agency: 'sc-regulator'}) RETURN a.id AS id, a.ring AS ring",
                                         database_=db)
    alert_id, ring = records[0]["id"], records[0]["ring"]
    code, out = run("joint", "alert", alert_id, "closed", "--agency", "sc-regulator", "--note", "已核实")
    assert code == 0 and "closed" in out
    assert run("joint", "alert", alert_id, "closed", "--agency", "cq-police")[0] == 1  # not its alert
    code, out = run("joint", "open", ring, "--agency", "sc-regulator", "--note", "涉两地")
    assert code == 0
    joint = json.loads(out)
    assert run("joint", "list", "--agency", "sc-procuratorate") == (0, "")  # not in it
    assert run("joint", "note", joint["id"], "已冻结", "--agency", "sc-procuratorate")[0] == 1
    assert run("joint", "join", joint["id"], "--agency", "sc-procuratorate")[0] == 0
    assert run("joint", "note", joint["id"], "已冻结", "--agency", "sc-procuratorate")[0] == 0
    code, out = run("joint", "list", "--agency", "sc-regulator", "--ring", ring)
    [listed] = [json.loads(line) for line in out.splitlines()]
    assert listed["agencies"] == ["sc-regulator", "sc-procuratorate"]
    assert [e["action"] for e in listed["log"]] == ["opened", "joined", "note"]
    assert run("joint", "open", "no-such-ring", "--agency", "cq-police")[0] == 1
    # Tasks: owned by a user of an agency in the record, listed when overdue, done by one in it.
    task_of = ("joint", "task", "add", joint["id"], "冻结涉案账户", "--due", "2020-01-31")
    assert run(*task_of, "--owner", "cq-police-investigator", "--agency", "sc-regulator")[0] == 1  # outside
    assert run(*task_of, "--owner", "sc-procuratorate-investigator", "--agency", "cq-police")[0] == 1
    assert run("joint", "task", "add", joint["id"], "冻结", "--due", "31.01.2020", "--owner", "x",
               "--agency", "sc-regulator")[0] == 1  # not a date
    code, out = run(*task_of, "--owner", "sc-procuratorate-investigator", "--agency", "sc-regulator")
    assert code == 0
    task = json.loads(out)
    assert task["overdue"] is True and task["owner_agency"] == "sc-procuratorate"
    code, out = run("joint", "task", "list", "--agency", "sc-procuratorate", "--overdue")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [task["id"]]
    assert run("joint", "task", "list", "--agency", "cq-police") == (0, "")
    assert run("joint", "task", "done", task["id"], "--agency", "cq-police")[0] == 1
    code, out = run("joint", "task", "done", task["id"], "--agency", "sc-procuratorate", "--note", "已冻结")
    assert code == 0 and "已完成" in out
    assert run("joint", "task", "list", "--agency", "sc-regulator", "--overdue") == (0, "")
    assert audit_count(driver, db) >= before + 17
