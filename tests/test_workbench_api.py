"""The API routes the workbench added: a document with its mentions, paths between two entities, and
fuzzy name search; each within sharing, audited, masked for masked roles. Against the real test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.graph.users import add_user
from casegraph.names import parse_query
from casegraph.settings import Settings
from casegraph.web.app import create_web_app
from tests.test_thin_path import PERSON, PHONE, ingest_all, register_agencies

PURPOSE = {"X-Purpose": quote("渝公(经)立字(2023)45号")}


@pytest.fixture()
def clients(driver: Driver, neo4j_settings: Settings, home: Path) -> Iterator[dict[str, TestClient]]:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    ingest_all(driver, neo4j_settings, home)
    keys = {role: add_user(driver, db, f"wb-{role}", "cq-police", role, "test")[1]
            for role in ("investigator", "analyst", "admin")}
    # The Sichuan regulator's penalty decision is sealed: the Chongqing police may not even get a hit from it.
    driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) SET d.sharing = 'sealed'", database_=db)
    app = create_web_app(neo4j_settings)
    with TestClient(app) as base:
        yield {role: TestClient(app, headers={"Authorization": f"Bearer {key}", **PURPOSE})
               for role, key in keys.items()}
        del base


def _documents(client: TestClient) -> list[dict[str, str]]:
    return list(client.get(f"/v1/entities/{PERSON}").json()["documents"])


def test_a_document_has_its_text_and_every_mention_linked(clients: dict[str, TestClient]) -> None:
    client = clients["investigator"]
    doc = next(d for d in _documents(client) if d["agency"] == "cq-police")
    response = client.get(f"/v1/documents/{doc['key']}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["agency"] == "cq-police" and "立案决定书" in body["text"]
    spans = {(m["key"], body["text"][m["start"]:m["end"]]) for m in body["mentions"]}
    assert (PERSON, "张伟") in spans and (PHONE, "138-2345-6789") in spans
    assert body["case"]["number"]


def test_a_document_the_agency_may_not_see_is_not_found(clients: dict[str, TestClient], driver: Driver,
                                                        neo4j_settings: Settings) -> None:
    sealed = driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) RETURN d.key AS key",
                                  database_=neo4j_settings.neo4j_database).records[0]["key"]
    response = clients["investigator"].get(f"/v1/documents/{sealed}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert clients["investigator"].get("/v1/documents/ric:500103198503124515").status_code == 422


def test_analysts_read_documents_masked_and_admins_not_at_all(clients: dict[str, TestClient]) -> None:
    doc = next(d for d in _documents(clients["investigator"]) if d["agency"] == "cq-police")
    masked = clients["analyst"].get(f"/v1/documents/{doc['key']}")
    assert masked.status_code == 200
    assert "500103198503124515" not in masked.text and "500103********4515" in masked.text
    assert clients["admin"].get(f"/v1/documents/{doc['key']}").status_code == 403


def test_paths_between_two_entities_over_visible_facts(clients: dict[str, TestClient], driver: Driver,
                                                        neo4j_settings: Settings) -> None:
    """The person's own phone fact is in the sealed penalty decision; the way the police may see goes
    through the 疑似同一 candidate (the procuratorate's mention of 张伟) who uses that phone."""
    sealed = driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) RETURN d.key AS key",
                                  database_=neo4j_settings.neo4j_database).records[0]["key"]
    client = clients["investigator"]
    found = client.get("/v1/paths", params={"from": PERSON, "to": PHONE})
    assert found.status_code == 200, found.text
    paths = found.json()["paths"]
    assert paths and all(p["nodes"][0]["key"] == PERSON and p["nodes"][-1]["key"] == PHONE for p in paths)
    assert [e["type"] for e in paths[0]["edges"]] == ["POSSIBLY_SAME_AS", "USES"]
    assert all(e["sources"] and sealed not in e["sources"] for p in paths for e in p["edges"])
    assert sealed not in found.text
    assert client.get("/v1/paths", params={"from": PHONE, "to": PHONE}).status_code == 422


def test_the_chart_shows_candidate_links_between_visible_entities(clients: dict[str, TestClient]) -> None:
    around = clients["investigator"].get(f"/v1/entities/{PERSON}/neighbors", params={"depth": 1}).json()
    assert any(e["type"] == "POSSIBLY_SAME_AS" for e in around["edges"])


@pytest.mark.parametrize("spelling", ["张伟", "張偉", "zhang wei", "Zhangwei", "章伟", "张伟 1985", "张伟 重庆"])
def test_name_search_takes_pinyin_traditional_and_misspelt_names(clients: dict[str, TestClient],
                                                                 spelling: str) -> None:
    found = clients["investigator"].get("/v1/names", params={"q": spelling})
    assert found.status_code == 200, found.text
    first = found.json()["results"][0]
    assert first["key"] == PERSON and first["name"] == "张伟"
    assert first["regions"] and first["cases"] >= 1 and "cq-police" in first["agencies"]


@pytest.mark.parametrize("spelling", ["张伟 1990", "张伟 广东", "李娜"])
def test_name_search_qualifiers_tell_namesakes_apart(clients: dict[str, TestClient], spelling: str) -> None:
    found = clients["investigator"].get("/v1/names", params={"q": spelling})
    assert found.status_code == 404 or PERSON not in {r["key"] for r in found.json()["results"]}


def test_name_search_tells_nothing_of_sealed_documents(clients: dict[str, TestClient]) -> None:
    # The penalty decision names the company too, but sealed: only what the police filing says shows.
    found = clients["investigator"].get("/v1/names", params={"q": "鼎盛财富"})
    assert found.status_code == 200
    assert found.json()["hidden"] is None


def test_name_search_gives_holders_of_restricted_names_and_cases_of_its_leading_results(
        clients: dict[str, TestClient], driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    # One result asked for: the best one, with its agencies and cases (read for the leading results only).
    first = clients["investigator"].get("/v1/names", params={"q": "张伟", "limit": 1}).json()["results"]
    assert [r["key"] for r in first] == [PERSON] and first[0]["cases"] >= 1 and "cq-police" in first[0]["agencies"]
    # Every document restricted and held by others: the company is a hit, told by its holders only.
    driver.execute_query("MATCH (d:Document) WHERE d.agency <> 'sc-regulator' SET d.agency = 'cq-x'", database_=db)
    driver.execute_query("MATCH (d:Document) SET d.sharing = 'restricted', d.shared_with = []", database_=db)
    hidden = clients["investigator"].get("/v1/names", params={"q": "鼎盛财富"})
    assert hidden.status_code == 200, hidden.text
    assert hidden.json()["results"] == []
    assert "cq-x" in {h["agency"] for h in hidden.json()["hidden"]["holders"]}


def test_new_reads_are_audited_with_the_purpose(clients: dict[str, TestClient]) -> None:
    clients["investigator"].get("/v1/names", params={"q": "张伟"})
    records = clients["admin"].get("/v1/audit", params={"user": "wb-investigator"}).json()["data"]
    names = [r for r in records if r["path"] == "/v1/names"]
    assert names and names[-1]["purpose"] == "渝公(经)立字(2023)45号"
    assert "ric:500103********4515" in names[-1]["returned"]  # as the admin reads it: masked


def test_query_parsing_reads_years_and_regions_of_every_province() -> None:
    assert parse_query("张伟 1985").years == ("1985",)
    assert parse_query("张伟 重庆").regions == ("CQ",)
    assert parse_query("王芳 广东").regions == ("44",)
    assert parse_query("zhang wei 浙江省").regions == ("33",)
    assert parse_query("Zhang Wei").name == "zhangwei" and parse_query("Zhang Wei").latin
    assert parse_query("重庆").name == "重庆"  # all qualifiers: searched as a name
