"""Issue 19 on the real server: alerts from detection runs (a new ring, a changed one, a watched ring)
and from merges (the linker's, or a confirmed 疑似同一), within sharing, idempotent, written with the
run or the merge that raises them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.detect import DetectionParams
from casegraph.detect.jobs import detect_on_graph, write_run
from casegraph.graph import audit_log, decisions, linking
from casegraph.ingest.resolution.linker import link_pending
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.resolution_helpers import write_text
from tests.test_access_api import auth
from tests.test_resolution_api import NAME_ONLY, WITH_ID
from tests.test_thin_path import PERSON, THIN, register_agencies

AGENCIES = ["cq-police", "sc-regulator", "sc-procuratorate"]
# A second penalty naming a new party on the suspect's phone: the phone ring grows by one person.
NEW_PARTY = "ric:510104199203153026"
SECOND_PENALTY = ("四川省金融监督管理局\n行政处罚决定书\n川金罚决字[2023]9号\n"
                  "当事人：王芳，身份证号510104199203153026，联系电话13823456789。\n"
                  "经查，当事人为他人吸收公众存款提供帮助。\n")


@pytest.fixture()
def keys(driver: Driver, neo4j_settings: Settings, home: Path) -> dict[tuple[str, str], str]:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    ingest(driver, db, [THIN / "cq-police-filing.txt"], "cq-police", home)
    ingest(driver, db, [THIN / "sc-regulator-penalty.txt"], "sc-regulator", home)
    return add_users(driver, db, AGENCIES, roles=("investigator",))


@pytest.fixture()
def client(keys: dict[tuple[str, str], str], neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as app_client:
        yield app_client


def alerts_of(client: TestClient, key: str) -> list[dict[str, Any]]:
    response = client.get("/v1/alerts", headers=auth(key))
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def ring_alerts_of(client: TestClient, key: str) -> list[dict[str, Any]]:
    return [a for a in alerts_of(client, key) if a["trigger"].startswith("ring_")]


def detect(driver: Driver, db: str) -> int:
    """A detection run over the whole graph, written back; the alerts it raised."""
    started = datetime.now(UTC)
    projection, result, stats = detect_on_graph(driver, db, None, DetectionParams(score_threshold=0.0))
    return write_run(driver, db, f"run-test-{time.monotonic_ns()}", None, projection, result, stats, started)


def count_alerts(driver: Driver, db: str) -> int:
    records, _, _ = driver.execute_query("MATCH (a:Alert) RETURN count(a) AS n", database_=db)
    return int(records[0]["n"])


def watch(client: TestClient, key: str, kind: str, value: str) -> dict[str, Any]:
    response = client.post("/v1/watches", json={"kind": kind, "value": value, "for_agency": True},
                           headers=auth(key))
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_new_ring_alerts_its_watchers_and_case_agencies_once_and_a_change_within_sharing(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path, tmp_path: Path) -> None:
    db = neo4j_settings.neo4j_database
    police, regulator, prosecutor = (keys[(a, "investigator")] for a in AGENCIES)
    watch(client, police, "entity", PERSON)
    assert detect(driver, db) == 0  # two documents, no ring yet
    ingest(driver, db, [THIN / "sc-procuratorate-record.json"], "sc-procuratorate", home)
    assert detect(driver, db) >= 3
    # (the record also raises a 疑似同一 candidate on the watched person: its alert is tested below)
    [for_police] = ring_alerts_of(client, police)
    assert for_police["trigger"] == "ring_new" and for_police["events"] == ["new_ring"]
    assert for_police["entity"]["key"] == PERSON and for_police["visible"] is True
    ring_id = for_police["ring"]["id"]
    assert for_police["ring"]["visible_members"] >= 2 and for_police["own_cases"]
    # The agencies whose cases put members in the ring hear of it too, each once.
    for key in (regulator, prosecutor):
        [alert] = ring_alerts_of(client, key)
        assert alert["ring"]["id"] == ring_id and alert["for_agency"] is True and alert["own_cases"]
    # The same detection again: the same rings, no second alert.
    before = count_alerts(driver, db)
    assert detect(driver, db) == 0 and count_alerts(driver, db) == before

    # The regulator watches the ring; its next penalty, restricted to itself, adds a party to it.
    watch(client, regulator, "ring", ring_id)
    second = tmp_path / "sc-regulator-penalty-2.txt"
    second.write_text(SECOND_PENALTY, encoding="utf-8")
    ingest(driver, db, [second], "sc-regulator", home, sharing="restricted", shared_with=[])
    assert detect(driver, db) >= 3
    changed = ring_alerts_of(client, regulator)[0]
    assert changed["trigger"] == "ring_changed" and "members_added" in changed["events"]
    # A watch on the ring follows it from run to run: the ring of this run continues the one watched.
    assert changed["watch"] and changed["ring"]["lineage"] == ring_id and changed["ring"]["id"] != ring_id
    assert NEW_PARTY in changed["ring"]["added"]  # its own document: it sees who joined
    police_changed = ring_alerts_of(client, police)[0]
    assert police_changed["trigger"] == "ring_changed" and police_changed["visible"] is True
    # The new party is known only from a document restricted from the police: not named to it.
    assert police_changed["ring"]["added"] == [] and NEW_PARTY not in str(police_changed)
    assert NEW_PARTY.removeprefix("ric:") not in str(alerts_of(client, prosecutor))


def test_a_confirmed_same_person_alerts_the_watchers_of_either_and_the_watch_follows(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    db = neo4j_settings.neo4j_database
    police, regulator = keys[("cq-police", "investigator")], keys[("sc-regulator", "investigator")]
    ingest(driver, db, [THIN / "sc-procuratorate-record.json"], "sc-procuratorate", home, link=False)
    records, _, _ = driver.execute_query(
        "MATCH (p:Person {name: '张伟'}) WHERE p.key STARTS WITH 'mention:' RETURN p.key AS key", database_=db)
    [named] = [r["key"] for r in records]
    watch(client, police, "entity", PERSON)
    by_name = watch(client, regulator, "entity", named)
    decisions.confirm(driver, db, PERSON, named, "li.cq", "同一身份证号与手机号")
    [alert] = alerts_of(client, police)
    assert alert["trigger"] == "same_person_confirmed" and alert["entity"]["key"] == PERSON
    assert alert["visible"] is True and alert["other"] == named
    [theirs] = alerts_of(client, regulator)
    assert theirs["entity"]["key"] == named and theirs["other"] == PERSON
    listed = client.get("/v1/watches", headers=auth(regulator)).json()["data"]
    assert [w["target"] for w in listed if w["id"] == by_name["id"]] == [PERSON]
    # The same decision again raises nothing new.
    decisions.confirm(driver, db, PERSON, named, "li.cq", "同一身份证号与手机号")
    assert count_alerts(driver, db) == 2


def ring_alert(client: TestClient, key: str, driver: Driver, db: str, home: Path) -> dict[str, Any]:
    """The third document makes the thin documents' ring; the one alert it raises for `key`'s agency."""
    ingest(driver, db, [THIN / "sc-procuratorate-record.json"], "sc-procuratorate", home)
    detect(driver, db)
    [alert] = alerts_of(client, key)
    return alert


def test_alerts_are_handled_per_agency_and_a_joint_handling_is_seen_only_by_its_agencies(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    db = neo4j_settings.neo4j_database
    police, regulator, prosecutor = (keys[(a, "investigator")] for a in AGENCIES)
    alert = ring_alert(client, regulator, driver, db, home)  # its penalty put members in the ring
    handle = f"/v1/alerts/{alert['id']}/handling"
    assert client.post(handle, json={"state": "acknowledged"}, headers=auth(police)).status_code == 404
    assert client.post(handle, json={"state": "assigned"}, headers=auth(regulator)).status_code == 422
    client.post(handle, json={"state": "acknowledged", "note": "已阅"}, headers=auth(regulator))
    done = client.post(handle, json={"state": "assigned", "assignee": "sc-regulator-investigator"},
                       headers=auth(regulator))
    assert done.status_code == 200 and done.json()["assignee"] == "sc-regulator-investigator"
    closed = client.post(handle, json={"state": "closed"}, headers=auth(regulator)).json()
    assert closed["state"] == "closed" and [e["action"] for e in closed["log"]] == ["acknowledged", "assigned",
                                                                                   "closed"]
    # 联合处置: the police open a record on the ring; the regulator, who sees the ring, joins and notes.
    ring_id = alert["ring"]["id"]
    opened = client.post("/v1/joint-handlings", json={"ring": ring_id, "note": "涉两地"}, headers=auth(police))
    assert opened.status_code == 201, opened.text
    joint = opened.json()
    assert joint["agencies"] == ["cq-police"] and joint["lineage"] == ring_id
    assert client.get("/v1/joint-handlings", headers=auth(regulator)).json()["data"] == []
    note = {"note": "已冻结账户"}
    assert client.post(f"/v1/joint-handlings/{joint['id']}/notes", json=note, headers=auth(regulator)
                       ).status_code == 404  # not in it yet
    joined = client.post(f"/v1/joint-handlings/{joint['id']}/join", json={}, headers=auth(regulator)).json()
    assert joined["agencies"] == ["cq-police", "sc-regulator"]
    client.post(f"/v1/joint-handlings/{joint['id']}/notes", json=note, headers=auth(regulator))
    [seen] = client.get("/v1/joint-handlings", params={"ring": ring_id}, headers=auth(police)).json()["data"]
    assert [(e["agency"], e["action"]) for e in seen["log"]] == [
        ("cq-police", "opened"), ("sc-regulator", "joined"), ("sc-regulator", "note")]
    assert client.get("/v1/joint-handlings", headers=auth(prosecutor)).json()["data"] == []
    # An agency that may not see the ring can neither open nor join one on it.
    driver.execute_query("MATCH (d:Document) SET d.sharing = 'restricted', d.shared_with = []", database_=db)
    records, _, _ = driver.execute_query("MATCH (d:Document {agency: 'sc-procuratorate'}) DETACH DELETE d "
                                         "RETURN count(*) AS n", database_=db)
    assert records[0]["n"] == 1
    assert client.post(f"/v1/joint-handlings/{joint['id']}/join", json={}, headers=auth(prosecutor)
                       ).status_code == 404
    assert client.post("/v1/joint-handlings", json={"ring": ring_id}, headers=auth(prosecutor)).status_code == 404


def test_joint_tasks_have_an_owner_of_a_member_agency_a_due_date_and_are_closed_to_agencies_outside(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    db = neo4j_settings.neo4j_database
    police, regulator, prosecutor = (keys[(a, "investigator")] for a in AGENCIES)
    ring_id = ring_alert(client, regulator, driver, db, home)["ring"]["id"]
    joint = client.post("/v1/joint-handlings", json={"ring": ring_id}, headers=auth(police)).json()
    client.post(f"/v1/joint-handlings/{joint['id']}/join", json={}, headers=auth(regulator))
    tasks = f"/v1/joint-handlings/{joint['id']}/tasks"
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    later = (date.today() + timedelta(days=30)).isoformat()
    # The owner is a user of an agency in the record: not of the procuratorate, which is outside it.
    outsider = {"title": "调取流水", "owner": "sc-procuratorate-investigator", "due": later}
    refused = client.post(tasks, json=outsider, headers=auth(police))
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_input"
    late = client.post(tasks, json={"title": "冻结涉案账户", "owner": "sc-regulator-investigator", "due": yesterday,
                                    "note": "两日内"}, headers=auth(police))
    assert late.status_code == 201, late.text
    task = late.json()
    assert (task["state"], task["owner"], task["owner_agency"], task["due"]) == (
        "open", "sc-regulator-investigator", "sc-regulator", yesterday)
    assert task["overdue"] is True and task["created_agency"] == "cq-police"
    client.post(tasks, json={"title": "询问证人", "owner": "cq-police-investigator", "due": later},
                headers=auth(regulator))
    listed = client.get("/v1/joint-tasks", params={"ring": ring_id}, headers=auth(regulator)).json()["data"]
    assert [t["title"] for t in listed] == ["冻结涉案账户", "询问证人"]  # soonest due first
    overdue = client.get("/v1/joint-tasks", params={"overdue": "true"}, headers=auth(police)).json()["data"]
    assert [t["id"] for t in overdue] == [task["id"]]
    # An agency outside the record neither sees its tasks, nor adds one, nor closes one.
    assert client.get("/v1/joint-tasks", headers=auth(prosecutor)).json()["data"] == []
    assert client.post(tasks, json=outsider, headers=auth(prosecutor)).status_code == 404
    state = f"/v1/joint-tasks/{task['id']}/state"
    assert client.post(state, json={"state": "done"}, headers=auth(prosecutor)).status_code == 404
    done = client.post(state, json={"state": "done", "note": "已冻结"}, headers=auth(regulator))
    assert done.status_code == 200 and done.json()["state"] == "done" and done.json()["overdue"] is False
    assert done.json()["done_by"] == "sc-regulator-investigator"
    assert [e["action"] for e in done.json()["log"]] == ["created", "done"]
    again = client.post(state, json={"state": "done"}, headers=auth(police)).json()
    assert len(again["log"]) == 2 and again["done_by"] == "sc-regulator-investigator"  # no change, no entry
    assert client.get("/v1/joint-tasks", params={"overdue": "true"}, headers=auth(police)).json()["data"] == []
    # Every change is audited, the refused one of the outsider too.
    client.app.state.audit_log.flush()  # type: ignore[attr-defined]
    changes = [e for e in audit_log.query(driver, db) if e["path"] == state]
    assert [(e["agency"], e["status"], e["params"]["body.state"]) for e in changes] == [
        ("sc-procuratorate", 404, "done"), ("sc-regulator", 200, "done"), ("cq-police", 200, "done")]
    assert changes[1]["params"]["body.note"] == "已冻结" and changes[1]["returned"] == [task["id"]]
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/joint-handlings/{joint_id}/tasks", "/v1/joint-tasks", "/v1/joint-tasks/{task_id}/state"} <= set(paths)


def test_a_candidate_raised_rejected_or_split_alerts_the_watchers_of_either_once(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    police, regulator = keys[("cq-police", "investigator")], keys[("sc-regulator", "investigator")]
    write_text(driver, db, WITH_ID, "/cq/filing-2.txt", "cq-police")
    watch(client, police, "entity", PERSON)
    sc_doc, _ = write_text(driver, db, NAME_ONLY, "/sc/alert.txt", "sc-regulator")  # 张伟 by name and card only
    [raised] = alerts_of(client, police)
    assert raised["trigger"] == "same_person_candidate" and raised["entity"]["key"] == PERSON
    named = raised["other"]
    assert raised["visible"] is True and named.startswith("mention:")
    # Proposing the same pair again (a re-run of the linker) raises nothing new.
    before = count_alerts(driver, db)
    linking.upsert_candidates(driver, db, "Person", [{"a": PERSON, "b": named, "score": 0.9, "reasons": ["x"]}])
    link_pending(driver, db)
    assert count_alerts(driver, db) == before
    # Restricted from the police, the regulator's document makes the alert hit-only: no name, no key.
    driver.execute_query("MATCH (d:Document {key: $key}) SET d.sharing = 'restricted', d.shared_with = []",
                         key=sc_doc, database_=db)
    [hidden] = alerts_of(client, police)
    assert hidden["visible"] is False and "other" not in hidden and named not in str(hidden)
    assert hidden["holders"][0]["agency"] == "sc-regulator"
    driver.execute_query("MATCH (d:Document {key: $key}) SET d.sharing = 'shared'", key=sc_doc, database_=db)
    # The regulator watches its own 张伟; the police keep the two apart: both hear of it, once.
    watch(client, regulator, "entity", named)
    decisions.reject(driver, db, PERSON, named, "li.cq", "出生年份不符")
    decisions.reject(driver, db, PERSON, named, "li.cq", "出生年份不符")
    assert [(a["trigger"], a["other"]) for a in alerts_of(client, regulator)] == [("candidate_rejected", PERSON)]
    assert alerts_of(client, police)[0]["trigger"] == "candidate_rejected"
    # A confirm overrides the rejection (the regulator's watch follows to PERSON); a split undoes it, and
    # the watch follows the regulator's 张伟 back to his own key.
    decisions.confirm(driver, db, PERSON, named, "li.cq", "同一账户")
    decisions.split(driver, db, PERSON, [sc_doc], "li.cq", "账户系冒用")
    [split] = [a for a in alerts_of(client, regulator) if a["trigger"] == "split"]
    assert split["entity"]["key"] == named and split["other"] == PERSON
    [theirs] = [a for a in alerts_of(client, police) if a["trigger"] == "split"]
    assert theirs["entity"]["key"] == PERSON and theirs["other"] == named
    listed = client.get("/v1/watches", headers=auth(regulator)).json()["data"]
    assert [w["target"] for w in listed] == [named]
