"""Masking at one depth (issue 22): whatever GET operation the OpenAPI document lists, a caller whose
role sees identifiers masked (analyst, admin) never receives a full resident ID, USCC or account
number, wherever in the graph it sits: entity keys, names, evidence quotes, a ring member's `why`
lines, a review note, an access request's purpose, the audit log's parameters.

The graph: the small generated corpus with a ring-detection run written back, then seeded with
identifiers in every field the API can return. Each example draws a role, an agency, an operation
and the values of its parameters from what the graph holds, and checks the body as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import Depends
from fastapi.responses import Response
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver
from stdnum.cn import ric as stdnum_ric

import casegraph.api.job_kinds  # noqa: F401  (registers "ring-detection")
from casegraph.access.masking import mask_json, mask_text
from casegraph.api.app import create_app
from casegraph.api.auth import authenticated
from casegraph.graph import jobs
from casegraph.graph.connection import get_driver
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.graph_corpus import ingest_corpus

ROLES = ("investigator", "prosecutor", "analyst", "admin")
MASKED = frozenset({"analyst", "admin"})
AGENCIES = ("cq-police", "sc-regulator")
PURPOSE = "渝公(经)立字(2024)37号"


def _ric(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + stdnum_ric.calc_check_digit(body)


# Seeded identifiers, in the shapes each kind takes in real files: an 18-character resident ID (one
# ending in X), a 15-digit old one, USCCs with letters and all digits, cards and accounts of 12-21 digits.
SEEDED_RICS = [_ric("500103", "19850312", "451"), _ric("510104", "19760229", "008"), "11010519491231002X"]
SEEDED = [*SEEDED_RICS, "510104760229008", "91500103MA5U3X2K3A", "915101007093456789", "92510100MA61Q8XX5B",
          "6222020200112233446", "6217003810012345678", "622848001234567890123", "110012345678"]
_ID_IN_TEXT = "身份证号{0}，对公账户{4}，统一社会信用代码{3}，银行卡{5}"


def _seed_text(i: int) -> str:
    n = len(SEEDED)
    return _ID_IN_TEXT.format(*(SEEDED[(i + j) % n] for j in range(n)))


@dataclass
class World:
    client: TestClient
    keys: dict[tuple[str, str], str]
    secrets: frozenset[str]
    pools: dict[str, list[str]]


def _secrets(driver: Driver, db: str) -> frozenset[str]:
    """Every full identifier the graph holds: the seeded ones and those of entity keys and numbers."""
    records = driver.execute_query(
        "MATCH (n) WHERE n.key STARTS WITH 'ric:' OR n.key STARTS WITH 'acct:' OR n.key STARTS WITH 'uscc:' "
        "RETURN n.key AS key, n.number AS number", database_=db).records
    found = {r["key"].split(":", 1)[1] for r in records} | {r["number"] for r in records if r["number"]}
    return frozenset(s for s in found | set(SEEDED) if len(s) >= 12 and mask_text(s) != s)


def _seed(driver: Driver, db: str) -> None:
    """Identifiers into every text the API returns: names, numbers' names, quotes, why lines, notes."""
    driver.execute_query(
        "MATCH (n) WHERE n:Person OR n:Organization "
        "WITH n, toInteger(rand() * 1000) AS i SET n.name = n.name + $texts[i % size($texts)]",
        texts=[_seed_text(i) for i in range(len(SEEDED))], database_=db)
    driver.execute_query(
        "MATCH ()-[m:MENTIONED_IN]->() WITH m, toInteger(rand() * 1000) AS i "
        "SET m.text = coalesce(m.text, '') + $texts[i % size($texts)]",
        texts=[_seed_text(i) for i in range(len(SEEDED))], database_=db)
    members = driver.execute_query("MATCH (r:Ring)-[h:HAS_MEMBER]->(m) RETURN elementId(h) AS id, h.why AS why",
                                   database_=db).records
    rows = []
    for i, record in enumerate(members):
        why = json.loads(record["why"] or "[]")
        for reason in why:
            if "sources" in reason:
                reason["note"] = _seed_text(i)
                reason["other"] = f"{reason.get('other', '')} {SEEDED[i % len(SEEDED)]}"
        rows.append({"id": record["id"], "why": json.dumps(why, ensure_ascii=False)})
    driver.execute_query("UNWIND $rows AS row MATCH ()-[h]->() WHERE elementId(h) = row.id SET h.why = row.why",
                         rows=rows, database_=db)
    driver.execute_query("MATCH (r:Ring) SET r.note = $note", note=_seed_text(1), database_=db)


def _pools(driver: Driver, db: str, job_id: str, user_names: list[str]) -> dict[str, list[str]]:
    def column(query: str) -> list[str]:
        return [r["v"] for r in driver.execute_query(query, database_=db).records if r["v"]]

    entity_keys = column("MATCH (n) WHERE n.key STARTS WITH 'ric:' OR n.key STARTS WITH 'acct:' "
                         "OR n.key STARTS WITH 'uscc:' OR n.key STARTS WITH 'phone:' RETURN n.key AS v LIMIT 60")
    return {
        "key": entity_keys + column("MATCH (c:Case) RETURN c.key AS v LIMIT 10"),
        "ring_id": column("MATCH (r:Ring) RETURN r.id AS v ORDER BY r.score DESC LIMIT 20"),
        "job_id": [job_id],
        "name": user_names,
        "request_id": column("MATCH (r:AccessRequest) RETURN r.id AS v LIMIT 10") or ["req-none"],
        "identifier": [k.split(":", 1)[1] for k in entity_keys if not k.startswith("phone:")][:30] + SEEDED,
        "search": column("MATCH (p:Person) RETURN substring(p.name, 0, 2) AS v LIMIT 20"),
    }


@pytest.fixture(scope="module")
def world(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    db = neo4j_settings.neo4j_database
    driver = get_driver(neo4j_settings)
    ingest_corpus(driver, db, tmp_path_factory.mktemp("home"))
    job = jobs.create(driver, db, "ring-detection", {"threshold": 0.3}, agency=AGENCIES[0], user="test")
    assert jobs.run_job(neo4j_settings, job["id"]) == "succeeded"
    _seed(driver, db)
    keys = add_users(driver, db, list(AGENCIES), roles=ROLES)
    app = create_app(neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6}))
    with TestClient(app) as client:
        # Things for the access-request and audit views to hold: purposes and parameters with identifiers.
        for agency in AGENCIES:
            investigator = {"Authorization": f"Bearer {keys[(agency, 'investigator')]}"}
            for identifier in SEEDED_RICS:
                client.get("/v1/lookup", params={"identifier": identifier, "purpose": f"核查{identifier}"},
                           headers=investigator)
            client.post("/v1/access-requests", headers=investigator,
                        json={"identifier": SEEDED_RICS[0], "holder": AGENCIES[1 - AGENCIES.index(agency)],
                              "purpose": f"协查身份证{SEEDED_RICS[0]}"})
        pools = _pools(driver, db, job["id"], [f"{a}-{r}" for a in AGENCIES for r in ROLES])
        yield World(client, keys, _secrets(driver, db), pools)


def _get_operations() -> list[tuple[str, list[str], list[str]]]:
    """(path, its path parameters, its query parameters) of every GET under /v1 in the OpenAPI document."""
    schema = create_app(Settings(NEO4J_PASSWORD="unused")).openapi()  # type: ignore[call-arg]
    found = []
    for path, operations in schema["paths"].items():
        if "get" in operations and path.startswith("/v1/"):
            params = operations["get"].get("parameters", [])
            found.append((path, [p["name"] for p in params if p["in"] == "path"],
                          [p["name"] for p in params if p["in"] == "query"]))
    return sorted(found)


GET_OPERATIONS = _get_operations()


def _query(draw: st.DrawFn, pools: dict[str, list[str]], names: list[str]) -> dict[str, str]:
    query = {"purpose": PURPOSE}
    if "identifier" in names:
        query["identifier"] = draw(st.sampled_from(pools["identifier"]))
    if "name" in names:
        query["name"] = draw(st.sampled_from(pools["search"]))
    if "depth" in names:
        query["depth"] = str(draw(st.integers(1, 2)))
    if "limit" in names:
        query["limit"] = "500" if "/rings" in str(names) else "200"
    return query


@st.composite
def calls(draw: st.DrawFn, pools: dict[str, list[str]]) -> tuple[str, str, str, dict[str, str]]:
    role, agency = draw(st.sampled_from(ROLES)), draw(st.sampled_from(AGENCIES))
    path, path_params, query_params = draw(st.sampled_from(GET_OPERATIONS))
    url = path
    for name in path_params:
        url = url.replace("{" + name + "}", draw(st.sampled_from(pools.get(name) or ["none"])))
    return role, agency, url, _query(draw, pools, query_params)


def test_every_get_operation_is_drawn_from_the_openapi_document() -> None:
    paths = {path for path, _, _ in GET_OPERATIONS}
    assert {"/v1/lookup", "/v1/rings/{ring_id}", "/v1/jobs/{job_id}", "/v1/audit", "/v1/access-requests"} <= paths


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_full_identifier_reaches_a_masked_caller(world: World, data: st.DataObject) -> None:
    role, agency, url, query = data.draw(calls(world.pools), label="call")
    response = world.client.get(url, params=query, headers={"Authorization": f"Bearer {world.keys[(agency, role)]}"})
    assert response.status_code < 500, (url, response.text[:300])
    if role in MASKED:
        leaked = sorted(s for s in world.secrets if s in response.text)
        assert not leaked, f"{role} got {leaked[:3]} in full from {url}: {response.text[:300]}"


_MASKED_RIC = re.compile(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]")
_MASKED_ACCOUNT = re.compile(r"[0-9]{4}\*{4,22}[0-9]{4}")


def test_an_analyst_sees_a_ring_masked_where_an_investigator_sees_it_in_full(world: World) -> None:
    ring_id = world.pools["ring_id"][0]
    seen = {}
    for role in ("analyst", "investigator"):
        response = world.client.get(f"/v1/rings/{ring_id}",
                                    headers={"Authorization": f"Bearer {world.keys[(AGENCIES[0], role)]}"})
        assert response.status_code == 200, response.text
        seen[role] = response
    full = [s for s in world.secrets if s in seen["investigator"].text]
    assert full, "the seeded identifiers reach the ring's details"
    analyst = seen["analyst"]
    assert not [s for s in world.secrets if s in analyst.text]
    members = analyst.json()["members"]
    # shown masked, opened by its handle (the key in full reaches no analyst)
    assert any(_MASKED_ACCOUNT.search(m["identifier"]) or _MASKED_RIC.search(m["identifier"]) for m in members)
    assert any(re.fullmatch(r"h:[0-9a-f]{34,}", m["key"]) for m in members)
    assert any(_MASKED_RIC.search(str(m["why"])) for m in members)
    assert int(analyst.headers["content-length"]) == len(analyst.content)


def test_masking_keeps_the_chain_digests_and_server_ids() -> None:
    digest = "1234567890123456789012345678901234567890123456789012345678901234"
    job_id = "0123456789012345678901234567abcd"
    body = json.dumps({"hash": digest, "prev_hash": digest, "id": job_id, "status_url": f"/v1/jobs/{job_id}",
                       "decision": "decision:12345678901234a6", "n": 1234567890123,
                       "note": f"账号{SEEDED[7]}"}).encode()
    masked = json.loads(mask_json(body))
    assert masked["hash"] == masked["prev_hash"] == digest and masked["id"] == job_id
    assert masked["status_url"] == f"/v1/jobs/{job_id}" and masked["decision"] == "decision:12345678901234a6"
    assert masked["n"] == 1234567890123  # numbers are not identifiers as JSON writes them
    assert masked["note"] == "账号6222***********3446"


def test_a_body_that_cannot_be_masked_is_withheld(world: World) -> None:
    """A masked caller never receives bytes the layer cannot read (a zip, a PDF)."""
    app = create_app(world.client.app.state.settings)  # type: ignore[attr-defined]

    @app.get("/v1/test-binary", dependencies=[Depends(authenticated)], include_in_schema=False)
    def binary() -> Response:
        return Response(b"PK\x03\x04" + SEEDED[0].encode(), media_type="application/zip")

    with TestClient(app) as client:
        for role, status in (("analyst", 403), ("investigator", 200)):
            response = client.get("/v1/test-binary",
                                  headers={"Authorization": f"Bearer {world.keys[(AGENCIES[0], role)]}"})
            assert response.status_code == status
            assert (SEEDED[0].encode() in response.content) == (status == 200)
            if status == 403:
                assert response.json()["error"]["code"] == "masked_role"
