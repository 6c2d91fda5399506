"""Issue 19 on the real server: watches, alerts raised in the writer's transaction, delivered within
the sharing rules (full, or hit-only), never twice, never to another agency, and not lost in a crash."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.test_access_api import auth, get
from tests.test_thin_path import PERSON, THIN, register_agencies

AGENCIES = ["cq-police", "sc-regulator", "sc-procuratorate"]
WATCHER = ("cq-police", "investigator")
SUSPECT_AS_TYPED = "500103 19850312 4515"  # the suspect's resident ID, spelled with spaces
PENALTY = THIN / "sc-regulator-penalty.txt"


@pytest.fixture()
def keys(driver: Driver, neo4j_settings: Settings, home: Path) -> dict[tuple[str, str], str]:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest(driver, neo4j_settings.neo4j_database, [THIN / "cq-police-filing.txt"], "cq-police", home)
    return add_users(driver, neo4j_settings.neo4j_database, AGENCIES)


@pytest.fixture()
def client(keys: dict[tuple[str, str], str], neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as app_client:  # `keys` first: the watcher's filing is in
        yield app_client


def alerts_of(client: TestClient, key: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/v1/alerts", params=params, headers=auth(key))
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def watch_suspect(client: TestClient, key: str, *, for_agency: bool = True) -> dict[str, Any]:
    response = client.post("/v1/watches", json={"kind": "identifier", "value": SUSPECT_AS_TYPED,
                                                "for_agency": for_agency}, headers=auth(key))
    assert response.status_code == 201, response.text
    watch: dict[str, Any] = response.json()
    assert watch["target"] == PERSON
    return watch


def wait_for_alerts(client: TestClient, key: str, committed_at: float, n: int = 1) -> list[dict[str, Any]]:
    """The caller's alerts once `n` are there; fails unless they appear within 5 s of the commit."""
    while True:
        found = alerts_of(client, key)
        if len(found) >= n:
            return found
        assert time.monotonic() - committed_at < 5.0, "no alert within 5 s of the commit"
        time.sleep(0.1)


def test_a_shared_document_naming_a_watched_suspect_alerts_the_watcher_in_full(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    watcher = keys[WATCHER]
    watch = watch_suspect(client, watcher)
    assert alerts_of(client, watcher) == []  # the watcher's own filing names him: no alert to itself
    ingest(driver, neo4j_settings.neo4j_database, [PENALTY], "sc-regulator", home, sharing="shared")
    [alert] = wait_for_alerts(client, watcher, time.monotonic())
    assert alert["visible"] is True and alert["entity"]["key"] == PERSON
    assert alert["document"]["agency"] == "sc-regulator" and alert["document"]["filename"] == PENALTY.name
    assert [c["number"] for c in alert["cases"]] == ["川金罚决字(2023)8号"]
    assert alert["own_cases"] == ["case:cq-police:渝公(经)立字(2023)45号"]
    assert "named" in alert["events"]
    assert alert["watch"] == watch["id"] and alert["read"] is False
    assert alert["grade"]["grade"] in ("低", "中", "高", "重大") and alert["grade"]["parts"]
    # Every user of the watching agency gets it (an agency watch); analysts see identifiers masked,
    # the entity's key as its handle (which opens the entity, never shows the identifier).
    [for_analyst] = alerts_of(client, keys[("cq-police", "analyst")])
    assert re.fullmatch(r"h:[0-9a-f]{34,}", for_analyst["entity"]["key"])
    assert PERSON.split(":", 1)[1] not in str(for_analyst)
    opened = get(client, keys[("cq-police", "analyst")], f"/v1/entities/{for_analyst['entity']['key']}")
    assert opened.status_code == 200 and opened.json()["key"] == for_analyst["entity"]["key"]
    # Never to a user of another agency.
    for agency in ("sc-regulator", "sc-procuratorate"):
        assert alerts_of(client, keys[(agency, "investigator")]) == []
    # Read per user; filters.
    assert client.post("/v1/alerts/read", json={"ids": [alert["id"]]}, headers=auth(watcher)).json() == {"marked": 1}
    assert alerts_of(client, watcher, unread=True) == []
    assert len(alerts_of(client, keys[("cq-police", "analyst")], unread=True)) == 1
    assert len(alerts_of(client, watcher, grade=alert["grade"]["grade"])) == 1
    other = next(g for g in ("低", "中", "高", "重大") if g != alert["grade"]["grade"])
    assert alerts_of(client, watcher, grade=other) == []


def test_a_document_restricted_from_the_watcher_gives_a_hit_only_alert(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    watcher = keys[WATCHER]
    watch_suspect(client, watcher)
    ingest(driver, neo4j_settings.neo4j_database, [PENALTY], "sc-regulator", home, sharing="restricted",
           shared_with=["sc-procuratorate"])
    [alert] = wait_for_alerts(client, watcher, time.monotonic())
    assert alert["visible"] is False and alert["hit"] is True
    assert alert["holders"] == [{"agency": "sc-regulator", "cases": 1}]
    assert alert["access_request"] == "/v1/access-requests"
    assert "document" not in alert and "cases" not in alert
    text = str(alert)
    for content in (PENALTY.name, "川金罚决字", "6222020200112233446", "13823456789"):
        assert content not in text
    # Once the owner shares it, the same alert shows in full.
    driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) SET d.sharing = 'shared'",
                         database_=neo4j_settings.neo4j_database)
    [shown] = alerts_of(client, watcher)
    assert shown["id"] == alert["id"] and shown["visible"] is True


def test_a_sealed_document_gives_no_alert_not_even_a_hit_until_it_is_unsealed(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    """Sealed is "owner only, not even a hit" (DESIGN), for alerts as for lookups: a watch must not be
    a way to learn that a sealed file names someone. The alert is kept, and shows once unsealed."""
    db = neo4j_settings.neo4j_database
    watcher = keys[WATCHER]
    watch_suspect(client, watcher)
    ingest(driver, db, [PENALTY], "sc-regulator", home, sharing="sealed")
    records, _, _ = driver.execute_query("MATCH (a:Alert) RETURN count(a) AS n", database_=db)
    assert records[0]["n"] == 1  # written with the facts, in their transaction
    assert alerts_of(client, watcher) == []
    assert alerts_of(client, watcher, unread=True) == []
    driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) SET d.sharing = 'restricted', "
                         "d.shared_with = ['sc-procuratorate']", database_=db)
    [hit] = alerts_of(client, watcher)
    assert hit["visible"] is False and hit["holders"] == [{"agency": "sc-regulator", "cases": 1}]


def test_reingesting_the_same_file_raises_no_second_alert(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path, tmp_path: Path) -> None:
    watcher = keys[WATCHER]
    watch_suspect(client, watcher)
    watch_suspect(client, watcher)  # the same watch twice is one watch
    db = neo4j_settings.neo4j_database
    ingest(driver, db, [PENALTY], "sc-regulator", home)
    ingest(driver, db, [PENALTY], "sc-regulator", home)
    copy = tmp_path / "copy-of-penalty.txt"  # the same bytes under another name: the same document
    copy.write_bytes(PENALTY.read_bytes())
    ingest(driver, db, [copy], "sc-regulator", home)
    assert len(alerts_of(client, watcher)) == 1
    records, _, _ = driver.execute_query("MATCH (a:Alert) RETURN count(a) AS n", database_=db)
    assert records[0]["n"] == 1


CRASHING_INGEST = """
import os, sys
from collections.abc import Iterator
from pathlib import Path
from casegraph.graph.connection import get_driver
from casegraph.api.app import create_app
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
settings = Settings(NEO4J_URI=sys.argv[1], NEO4J_PASSWORD=sys.argv[2])
seen = []
def crash_after_first_commit(path):
    seen.append(path)
    if len(seen) == 2:  # the first file's batch is committed; die before anything else runs
        os._exit(137)
ingest(get_driver(settings), settings.neo4j_database, [Path(p) for p in sys.argv[4:]], "sc-regulator",
       Path(sys.argv[3]), batch_size=1, on_file=crash_after_first_commit, link=False)
"""


def test_a_crash_right_after_the_commit_loses_no_alert(
        client: TestClient, keys: dict[tuple[str, str], str], neo4j_settings: Settings, home: Path,
        tmp_path: Path) -> None:
    watcher = keys[WATCHER]
    watch_suspect(client, watcher)
    second = tmp_path / "another-penalty.txt"
    second.write_bytes(PENALTY.read_bytes() + "\n".encode("gbk"))
    done = subprocess.run([sys.executable, "-c", CRASHING_INGEST, neo4j_settings.uri,
                           str(neo4j_settings.neo4j_password), str(home), str(PENALTY), str(second)],
                          capture_output=True, timeout=300)
    assert done.returncode == 137, done.stderr.decode(errors="replace")[-2000:]
    [alert] = alerts_of(client, watcher)
    assert alert["visible"] is True and alert["document"]["filename"] == PENALTY.name


def test_a_users_own_watch_alerts_only_that_user(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    watcher = keys[WATCHER]
    watch = watch_suspect(client, watcher, for_agency=False)
    listed = client.get("/v1/watches", headers=auth(watcher)).json()["data"]
    assert [w["id"] for w in listed] == [watch["id"]]
    assert client.get("/v1/watches", headers=auth(keys[("cq-police", "analyst")])).json()["data"] == []
    ingest(driver, neo4j_settings.neo4j_database, [PENALTY], "sc-regulator", home)
    assert len(alerts_of(client, watcher)) == 1
    assert alerts_of(client, keys[("cq-police", "analyst")]) == []
    assert client.delete(f"/v1/watches/{watch['id']}", headers=auth(keys[("sc-regulator", "investigator")])
                         ).status_code == 404
    assert client.delete(f"/v1/watches/{watch['id']}", headers=auth(watcher)).status_code == 204
    assert client.get("/v1/watches", headers=auth(watcher)).json()["data"] == []


def test_watching_the_agencys_open_cases_watches_their_parties_and_new_ones(
        client: TestClient, keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings,
        home: Path) -> None:
    """sc-procuratorate watches its open cases; its indictment's parties come under watch, and a party
    it files later is watched as it is ingested."""
    db = neo4j_settings.neo4j_database
    prosecutor = keys[("sc-procuratorate", "investigator")]
    created = client.post("/v1/watches", json={"kind": "open_cases", "for_agency": True}, headers=auth(prosecutor))
    assert created.status_code == 201 and created.json()["watched"] == 0  # it has no case yet
    ingest(driver, db, [THIN / "sc-procuratorate-record.json"], "sc-procuratorate", home)
    derived = client.get("/v1/watches", params={"derived": True}, headers=auth(prosecutor)).json()["data"]
    targets = {w["target"] for w in derived if w.get("parent")}
    assert {"ric:510104199007213028", "phone:13987654321"} <= targets
    # Another agency's penalty names 李娜 (ric:510104199007213028): the prosecutor hears of it.
    ingest(driver, db, [PENALTY], "sc-regulator", home)
    alerts = alerts_of(client, prosecutor)
    assert {a["entity"]["key"] for a in alerts} >= {"ric:510104199007213028", "phone:13823456789"}
    assert all(a["own_cases"] == ["case:sc-procuratorate:川检刑诉(2023)17号"] for a in alerts
               if a["entity"]["key"] == "ric:510104199007213028")


def test_bad_watches_are_clear_422s_and_admins_do_not_watch(
        client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    watcher = keys[WATCHER]
    for body in ({"kind": "identifier", "value": "12345"}, {"kind": "entity", "value": "nonsense"},
                 {"kind": "case", "value": "渝公立字45号"}, {"kind": "planet", "value": "x"}):
        response = client.post("/v1/watches", json=body, headers=auth(watcher))
        assert response.status_code == 422, body
        assert response.json()["error"]["code"]
    bad_since = client.get("/v1/alerts", params={"since": "yesterday"}, headers=auth(watcher))
    assert bad_since.status_code == 422 and "since" in bad_since.json()["error"]["message"]
    assert client.get("/v1/alerts", params={"since": "2026-01-01T00:00:00+08:00"}, headers=auth(watcher)
                      ).status_code == 200
    admin = client.post("/v1/watches", json={"kind": "identifier", "value": SUSPECT_AS_TYPED},
                        headers=auth(keys[("cq-police", "admin")]))
    assert admin.status_code == 403
