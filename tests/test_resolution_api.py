"""The resolution routes over HTTP: behind the API key, the deciding user is the caller,
candidates are limited to what the caller's agency sees, only an owner's admin deletes a document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.resolution_helpers import count, register_agencies, write_text

RIC = "ric:500103198503124515"
WITH_ID = ("重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕45号\n犯罪嫌疑人张伟，男，1985年3月12日出生，公民身份号码500103198503124515。"
           "张伟使用其名下账户6222020200112233446收取资金。")
NAME_ONLY = "四川监管局\n风险提示函\n川金管风提〔2023〕9号\n经查，张伟通过其名下账户6222020200112233446向多人转账。"


@pytest.fixture()
def keys(driver: Driver, neo4j_settings: Settings) -> dict[tuple[str, str], str]:
    register_agencies(driver, neo4j_settings.neo4j_database)
    return add_users(driver, neo4j_settings.neo4j_database, ["cq-police", "sc-regulator"])


@pytest.fixture()
def client(keys: dict[tuple[str, str], str], neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as test_client:
        yield test_client


def auth(keys: dict[tuple[str, str], str], agency: str, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[(agency, role)]}"}


def test_candidates_confirm_and_split_over_http(client: TestClient, keys: dict[tuple[str, str], str],
                                                driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    investigator = auth(keys, "cq-police", "investigator")
    write_text(driver, db, WITH_ID, "/cq/filing.txt")
    second, _ = write_text(driver, db, NAME_ONLY, "/sc/alert.txt", "sc-regulator")
    assert client.get("/v1/resolution/candidates").status_code == 401
    assert client.get("/v1/resolution/candidates", headers=auth(keys, "cq-police", "analyst")).status_code == 403
    listed = client.get("/v1/resolution/candidates", headers=investigator).json()
    assert listed["count"] == 1
    other = next(k for k in (listed["data"][0]["a"], listed["data"][0]["b"]) if k != RIC)
    confirmed = client.post("/v1/resolution/confirm", json={"keep": RIC, "merge": other, "why": "same card"},
                            headers=investigator)
    assert confirmed.status_code == 201 and confirmed.json()["kind"] == "confirm"
    assert count(driver, db, "MATCH (p:Person {name: '张伟'}) RETURN count(p)") == 1
    split = client.post("/v1/resolution/split", json={"key": RIC, "documents": [second], "why": "no"},
                        headers=investigator)
    assert split.status_code == 201 and split.json()["keys"] == [RIC, other]
    made = client.get("/v1/resolution/decisions", headers=investigator).json()
    assert [d["kind"] for d in made] == ["split", "confirm"]
    assert all(d["by"] == "cq-police/cq-police-investigator" for d in made)
    # Another agency sees none of cq-police's decisions.
    assert client.get("/v1/resolution/decisions", headers=auth(keys, "sc-regulator", "investigator")).json() == []


def test_candidates_hidden_from_an_agency_that_cannot_see_both(client: TestClient, keys: dict[tuple[str, str], str],
                                                                driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    write_text(driver, db, WITH_ID, "/cq/filing.txt")
    write_text(driver, db, NAME_ONLY, "/sc/alert.txt", "sc-regulator")
    driver.execute_query("MATCH (d:Document {agency: 'cq-police'}) SET d.sharing = 'sealed'", database_=db)
    seen = client.get("/v1/resolution/candidates", headers=auth(keys, "sc-regulator", "investigator")).json()
    assert seen["count"] == 0 and "张伟" not in str(seen)
    assert client.get("/v1/resolution/candidates", headers=auth(keys, "cq-police", "investigator")).json()["count"] == 1


def test_errors_have_the_uniform_body(client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    investigator = auth(keys, "cq-police", "investigator")
    missing = client.post("/v1/resolution/reject", json={"a": RIC, "b": "ric:1", "why": "x"}, headers=investigator)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    invalid = client.post("/v1/resolution/confirm", json={"keep": RIC, "merge": RIC, "why": ""}, headers=investigator)
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid_input"
    gone = client.delete("/v1/documents/doc:nothing", headers=auth(keys, "cq-police", "admin"))
    assert gone.status_code == 404


def test_only_the_owners_admin_deletes_a_document(client: TestClient, keys: dict[tuple[str, str], str],
                                                   driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    key, _ = write_text(driver, db, WITH_ID, "/cq/filing.txt")
    assert client.delete(f"/v1/documents/{key}", headers=auth(keys, "cq-police", "investigator")).status_code == 403
    assert client.delete(f"/v1/documents/{key}", headers=auth(keys, "sc-regulator", "admin")).status_code == 403
    assert client.delete(f"/v1/documents/{key}", headers=auth(keys, "cq-police", "admin")).status_code == 204
    assert count(driver, db, "MATCH (n) WHERE n:Document OR n:Person OR n:Account OR n:Case RETURN count(n)") == 0
