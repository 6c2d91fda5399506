"""The resolution routes: thin calls over the decisions, with the uniform error body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.settings import Settings
from tests.resolution_helpers import count, register_agencies, write_text

RIC = "ric:500103198503124515"
WITH_ID = ("重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕45号\n犯罪嫌疑人张伟，男，1985年3月12日出生，公民身份号码500103198503124515。"
           "张伟使用其名下账户6222020200112233446收取资金。")
NAME_ONLY = "四川监管局\n风险提示函\n川金管风提〔2023〕9号\n经查，张伟通过其名下账户6222020200112233446向多人转账。"


@pytest.fixture()
def client(driver: Driver, neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as test_client:
        yield test_client


def test_candidates_confirm_and_split_over_http(client: TestClient, driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    write_text(driver, db, WITH_ID, "/cq/filing.txt")
    second, _ = write_text(driver, db, NAME_ONLY, "/sc/alert.txt", "sc-regulator")
    listed = client.get("/v1/resolution/candidates").json()
    assert listed["count"] == 1
    other = next(k for k in (listed["data"][0]["a"], listed["data"][0]["b"]) if k != RIC)
    confirmed = client.post("/v1/resolution/confirm", json={"keep": RIC, "merge": other, "by": "li", "why": "same card"})
    assert confirmed.status_code == 201 and confirmed.json()["kind"] == "confirm"
    assert count(driver, db, "MATCH (p:Person {name: '张伟'}) RETURN count(p)") == 1
    split = client.post("/v1/resolution/split", json={"key": RIC, "documents": [second], "by": "wang", "why": "no"})
    assert split.status_code == 201 and split.json()["keys"] == [RIC, other]
    assert [d["kind"] for d in client.get("/v1/resolution/decisions").json()] == ["split", "confirm"]


def test_errors_have_the_uniform_body(client: TestClient, driver: Driver, neo4j_settings: Settings) -> None:
    missing = client.post("/v1/resolution/reject", json={"a": RIC, "b": "ric:1", "by": "li", "why": "x"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    invalid = client.post("/v1/resolution/confirm", json={"keep": RIC, "merge": RIC, "by": "", "why": "x"})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid_input"
    gone = client.delete("/v1/documents/doc:nothing")
    assert gone.status_code == 404


def test_delete_document_over_http(client: TestClient, driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    key, _ = write_text(driver, db, WITH_ID, "/cq/filing.txt")
    assert client.delete(f"/v1/documents/{key}").status_code == 204
    assert count(driver, db, "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:Agency RETURN count(n)") == 0
