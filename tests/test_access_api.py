"""Issue 6 over HTTP: keys, roles, purpose, sharing, hit/no-hit, access requests, masking, audit, limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.graph import audit_log, users
from casegraph.graph.queries import CYPHER_DIR
from casegraph.settings import Settings
from tests.access_helpers import add_users, audit_count, graph_size, set_sharing_of_agency
from tests.test_thin_path import PERSON, PHONE, ingest_all, register_agencies

AGENCIES = ["cq-police", "sc-regulator", "sc-procuratorate"]
PURPOSE = {"purpose": "渝公(经)立字(2023)45号"}


@pytest.fixture()
def keys(driver: Driver, neo4j_settings: Settings, home: Path) -> dict[tuple[str, str], str]:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_all(driver, neo4j_settings, home)
    return add_users(driver, neo4j_settings.neo4j_database, AGENCIES)


@pytest.fixture()
def client(keys: dict[tuple[str, str], str], neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as test_client:
        yield test_client


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def get(client: TestClient, key: str, path: str, **params: Any) -> Any:
    return client.get(path, params={**PURPOSE, **params}, headers=auth(key))


def test_missing_wrong_and_revoked_keys_are_401(client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    for headers in ({}, auth("cgk_" + "x" * 43), {"Authorization": "Basic abc"}, {"X-API-Key": "nonsense"}):
        response = client.get("/v1/lookup", params={"identifier": "13823456789", **PURPOSE}, headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    key = keys[("cq-police", "investigator")]
    assert get(client, key, "/v1/lookup", identifier="13823456789").status_code == 200
    assert client.get("/v1/lookup", params={"identifier": "13823456789", **PURPOSE},
                      headers={"X-API-Key": key}).status_code == 200
    admin = auth(keys[("cq-police", "admin")])
    assert client.post("/v1/users/cq-police-investigator/revoke", headers=admin).status_code == 200
    assert get(client, key, "/v1/lookup", identifier="13823456789").status_code == 401
    # An admin revokes only users of its own agency.
    assert client.post("/v1/users/sc-regulator-analyst/revoke", headers=admin).status_code == 404


def test_a_key_revoked_by_another_process_stops_working_within_the_cache_time(
        keys: dict[tuple[str, str], str], driver: Driver, neo4j_settings: Settings) -> None:
    """The API trusts a verified key for CASEGRAPH_API_KEY_CACHE_S; a revocation made elsewhere (the
    CLI, another API process) is honoured once that has passed, never later."""
    ttl_s = 1.0
    settings = neo4j_settings.model_copy(update={"api_key_cache_s": ttl_s})
    key = keys[("cq-police", "investigator")]
    with TestClient(create_app(settings)) as client:
        assert get(client, key, "/v1/lookup", identifier="13823456789").status_code == 200  # now cached
        users.revoke_user(driver, neo4j_settings.neo4j_database, "cq-police-investigator", "cq-police")
        revoked_at = time.monotonic()
        while get(client, key, "/v1/lookup", identifier="13823456789").status_code == 200:
            assert time.monotonic() - revoked_at < ttl_s + 0.5, "a revoked key outlived the cache time"
            time.sleep(0.05)
        assert get(client, key, "/v1/lookup", identifier="13823456789").status_code == 401


def test_roles_limit_what_a_caller_may_do(client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    admin, analyst = keys[("cq-police", "admin")], keys[("cq-police", "analyst")]
    investigator = keys[("cq-police", "investigator")]
    assert get(client, admin, "/v1/lookup", identifier="13823456789").status_code == 403
    assert get(client, analyst, "/v1/lookup", identifier="13823456789").status_code == 200
    assert client.get("/v1/audit", headers=auth(investigator)).status_code == 403
    created = client.post("/v1/users", json={"name": "new-one", "role": "analyst"}, headers=auth(analyst))
    assert created.status_code == 403 and created.json()["error"]["code"] == "forbidden"
    created = client.post("/v1/users", json={"name": "new-one", "role": "analyst"}, headers=auth(admin))
    assert created.status_code == 201 and created.json()["agency"] == "cq-police"
    new_key = created.json()["api_key"]
    assert get(client, new_key, "/v1/lookup", identifier="13823456789").status_code == 200
    listed = client.get("/v1/users", headers=auth(admin)).json()
    assert "new-one" in {u["name"] for u in listed["data"]} and "api_key" not in str(listed)
    assert client.post("/v1/users", json={"name": "new-one", "role": "analyst"}, headers=auth(admin)).status_code == 409


def test_person_lookups_need_a_stated_purpose(client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    key = keys[("cq-police", "investigator")]
    response = client.get("/v1/lookup", params={"identifier": "13823456789"}, headers=auth(key))
    assert response.status_code == 422 and "事由" in response.json()["error"]["message"]
    response = client.get(f"/v1/entities/{PERSON}", headers={**auth(key), "X-Purpose": quote("川检刑诉(2023)17号")})
    assert response.status_code == 200


def test_analysts_and_admins_see_identifiers_masked(client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    full = get(client, keys[("cq-police", "investigator")], f"/v1/entities/{PERSON}").json()
    masked = get(client, keys[("cq-police", "analyst")], f"/v1/entities/{PERSON}")
    assert full["properties"]["ric"] == "500103198503124515"
    assert masked.status_code == 200
    body = masked.json()
    # the key, which masking would break, is an opaque handle the analyst can send back (access/handles.py)
    assert body["key"].startswith("h:") and body["properties"]["ric"] == "500103********4515"
    assert "198503124515" not in masked.text
    again = get(client, keys[("cq-police", "analyst")], f"/v1/entities/{body['key']}").json()
    assert again["key"] == body["key"] and again["properties"]["ric"] == "500103********4515"
    card = get(client, keys[("cq-police", "analyst")], "/v1/lookup", identifier="6222020200112233446").json()
    assert card["key"].startswith("h:") and card["properties"]["number"] == "6222***********3446"


def test_hit_no_hit_tells_the_holders_and_nothing_else(client: TestClient, driver: Driver,
                                                       neo4j_settings: Settings,
                                                       keys: dict[tuple[str, str], str]) -> None:
    db = neo4j_settings.neo4j_database
    set_sharing_of_agency(driver, db, "cq-police", "restricted", ["sc-regulator"])
    set_sharing_of_agency(driver, db, "sc-regulator", "restricted")
    asker = keys[("sc-procuratorate", "investigator")]
    response = get(client, asker, f"/v1/entities/{PERSON}")
    assert response.status_code == 200
    assert response.json() == {"hit": True, "visible": False, "access_request": "/v1/access-requests",
                               "holders": [{"agency": "cq-police", "cases": 1}, {"agency": "sc-regulator", "cases": 1}]}
    # The neighbour route checks visibility on its own, cheaper statement: a hidden entity answers as above.
    assert get(client, asker, f"/v1/entities/{PERSON}/neighbors").json() == response.json()
    # cq-police shares with sc-regulator, so sc-regulator sees both documents.
    seen = get(client, keys[("sc-regulator", "investigator")], f"/v1/entities/{PERSON}").json()
    assert seen["visible"] is True and seen["agencies"] == ["cq-police", "sc-regulator"]
    # The phone is also in sc-procuratorate's own document: visible, but only with what it states.
    phone = get(client, asker, "/v1/lookup", identifier="13823456789").json()
    assert phone["visible"] is True and phone["agencies"] == ["sc-procuratorate"]
    assert [c["agency"] for c in phone["cases"]] == ["sc-procuratorate"]
    # Sealed material gives not even a hit.
    set_sharing_of_agency(driver, db, "sc-regulator", "sealed")
    assert get(client, asker, f"/v1/entities/{PERSON}").json()["holders"] == [{"agency": "cq-police", "cases": 1}]
    set_sharing_of_agency(driver, db, "cq-police", "sealed")
    response = get(client, asker, f"/v1/entities/{PERSON}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert get(client, asker, f"/v1/entities/{PERSON}/neighbors").status_code == 404
    neighbors = get(client, asker, f"/v1/entities/{PHONE}/neighbors", depth=3).json()
    assert PERSON not in str(neighbors) and "cq-police" not in str(neighbors)


def test_access_request_approved_by_the_holder_grants_for_a_time(client: TestClient, driver: Driver,
                                                                 neo4j_settings: Settings,
                                                                 keys: dict[tuple[str, str], str]) -> None:
    db = neo4j_settings.neo4j_database
    set_sharing_of_agency(driver, db, "cq-police", "restricted")
    set_sharing_of_agency(driver, db, "sc-regulator", "sealed")
    asker, holder = keys[("sc-procuratorate", "investigator")], keys[("cq-police", "investigator")]
    ask = client.post("/v1/access-requests", headers=auth(asker),
                      json={"identifier": "500103198503124515", "holder": "cq-police", "purpose": "川检刑诉(2023)17号"})
    assert ask.status_code == 201, ask.text
    request_id = ask.json()["id"]
    assert ask.json()["entity_key"] is None  # the asker learns no key it did not type
    # Only the holder decides; another agency cannot.
    other = client.post(f"/v1/access-requests/{request_id}/approve", json={"days": 5},
                        headers=auth(keys[("sc-regulator", "investigator")]))
    assert other.status_code == 404
    pending = client.get("/v1/access-requests", headers=auth(holder)).json()
    assert [r["id"] for r in pending["data"]] == [request_id] and pending["data"][0]["entity_key"] == PERSON
    approved = client.post(f"/v1/access-requests/{request_id}/approve", json={"days": 5}, headers=auth(holder))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    seen = get(client, asker, f"/v1/entities/{PERSON}").json()
    assert seen["visible"] is True and seen["agencies"] == ["cq-police"]
    again = client.post(f"/v1/access-requests/{request_id}/deny", json={}, headers=auth(holder))
    assert again.status_code == 409
    # The grant expires: once past, the caller is back to hit/no-hit.
    driver.execute_query("MATCH (g:AccessGrant) SET g.expires_at = datetime() - duration('PT1S')", database_=db)
    assert get(client, asker, f"/v1/entities/{PERSON}").json()["visible"] is False


def test_denied_request_grants_nothing(client: TestClient, driver: Driver, neo4j_settings: Settings,
                                       keys: dict[tuple[str, str], str]) -> None:
    set_sharing_of_agency(driver, neo4j_settings.neo4j_database, "cq-police", "restricted")
    set_sharing_of_agency(driver, neo4j_settings.neo4j_database, "sc-regulator", "restricted")
    asker = keys[("sc-procuratorate", "investigator")]
    ask = client.post("/v1/access-requests", headers=auth(asker),
                      json={"key": PERSON, "holder": "cq-police", "purpose": "川检刑诉(2023)17号"})
    assert ask.status_code == 201
    denied = client.post(f"/v1/access-requests/{ask.json()['id']}/deny", json={"note": "not yet"},
                         headers=auth(keys[("cq-police", "admin")]))
    assert denied.status_code == 200 and denied.json()["status"] == "denied"
    assert get(client, asker, f"/v1/entities/{PERSON}").json()["visible"] is False


def test_owner_changes_sharing_others_cannot(client: TestClient, driver: Driver, neo4j_settings: Settings,
                                             keys: dict[tuple[str, str], str]) -> None:
    records, _, _ = driver.execute_query("MATCH (d:Document {agency: 'cq-police'}) RETURN d.key AS key",
                                         database_=neo4j_settings.neo4j_database)
    doc = records[0]["key"]
    body = {"level": "restricted", "shared_with": ["sc-regulator"]}
    stranger = client.put(f"/v1/documents/{doc}/sharing", json=body,
                          headers=auth(keys[("sc-regulator", "investigator")]))
    assert stranger.status_code == 403
    owner = client.put(f"/v1/documents/{doc}/sharing", json=body, headers=auth(keys[("cq-police", "admin")]))
    assert owner.status_code == 200 and owner.json()["sharing"] == "restricted"
    bad = client.put(f"/v1/documents/{doc}/sharing", json={"level": "sealed", "shared_with": ["sc-regulator"]},
                     headers=auth(keys[("cq-police", "admin")]))
    assert bad.status_code == 422
    asker = keys[("sc-procuratorate", "investigator")]
    assert "cq-police" not in get(client, asker, f"/v1/entities/{PERSON}").json()["agencies"]


def test_every_authenticated_call_leaves_exactly_one_record(client: TestClient, driver: Driver,
                                                            neo4j_settings: Settings,
                                                            keys: dict[tuple[str, str], str]) -> None:
    db = neo4j_settings.neo4j_database
    key = keys[("cq-police", "investigator")]
    calls = [
        lambda: get(client, key, "/v1/lookup", identifier="13823456789"),
        lambda: get(client, key, f"/v1/entities/{PERSON}"),
        lambda: get(client, key, f"/v1/entities/{PHONE}/neighbors", depth=2),
        lambda: get(client, key, "/v1/entities/ric:110105194912310021"),           # 404
        lambda: client.get("/v1/lookup", params={"identifier": "1"}, headers=auth(key)),  # 422, no purpose
        lambda: client.get("/v1/audit", headers=auth(key)),                          # 403
        lambda: client.get("/v1/access-requests", headers=auth(key)),
    ]
    log = client.app.state.audit_log  # type: ignore[attr-defined]
    for call in calls:
        log.flush()
        before = audit_count(driver, db)
        response = call()
        assert response.status_code < 500
        log.flush()  # the record was durable in the spool before the answer; now in Neo4j too
        assert audit_count(driver, db) == before + 1, response.request.url
    before = audit_count(driver, db)
    client.get("/v1/lookup", params={"identifier": "13823456789", **PURPOSE})  # no key: no "who" to record
    log.flush()
    assert audit_count(driver, db) == before
    events = client.get("/v1/audit", params={"user": "cq-police-investigator"},
                        headers=auth(keys[("cq-police", "admin")])).json()["data"]
    assert [e["status"] for e in events] == [200, 200, 200, 404, 422, 403, 200]
    first = events[0]
    assert first["action"] == "lookup" and first["purpose"] == PURPOSE["purpose"]
    assert first["params"]["identifier"] == "13823456789" and PHONE in first["returned"]
    assert first["agency"] == "cq-police" and first["role"] == "investigator"
    assert audit_log.verify(driver, db) == []
    # Other agencies' admins do not read this agency's records.
    other = client.get("/v1/audit", params={"user": "cq-police-investigator"},
                       headers=auth(keys[("sc-regulator", "admin")])).json()
    assert other["count"] == 0


def test_audit_log_is_append_only_and_tamper_evident(client: TestClient, driver: Driver, neo4j_settings: Settings,
                                                     keys: dict[tuple[str, str], str]) -> None:
    db = neo4j_settings.neo4j_database
    for _ in range(3):
        get(client, keys[("cq-police", "investigator")], "/v1/lookup", identifier="13823456789")
    client.app.state.audit_log.flush()  # type: ignore[attr-defined]
    assert audit_count(driver, db) >= 3
    assert audit_log.verify(driver, db) == []
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/v1/audit"]) == {"get"} and not any("audit/" in p for p in paths)
    for path in (CYPHER_DIR / "queries").glob("*.cypher"):
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("//"))
        if "AuditEvent" in text:
            assert "DELETE" not in text.upper() and "REMOVE" not in text.upper() and "MERGE (A:AUDITEVENT" not in \
                text.upper(), path.name
    driver.execute_query("MATCH (e:AuditEvent {seq: 2}) SET e.purpose = 'nothing to see'", database_=db)
    problems = audit_log.verify(driver, db)
    assert problems and "record 2" in problems[0]


def test_rate_limit_per_key_answers_429_with_retry_after(keys: dict[tuple[str, str], str],
                                                         neo4j_settings: Settings) -> None:
    settings = neo4j_settings.model_copy(update={"api_rate_per_s": 0.5, "api_rate_burst": 3})
    with TestClient(create_app(settings)) as client:
        key, other = keys[("cq-police", "investigator")], keys[("cq-police", "analyst")]
        codes = [get(client, key, "/v1/lookup", identifier="13823456789").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = get(client, key, "/v1/lookup", identifier="13823456789")
        assert limited.json()["error"]["code"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1
        assert get(client, other, "/v1/lookup", identifier="13823456789").status_code == 200


def test_oversized_bodies_are_413(client: TestClient, keys: dict[tuple[str, str], str]) -> None:
    response = client.post("/v1/access-requests", content=b"{" + b" " * 70_000 + b"}",
                           headers={**auth(keys[("cq-police", "investigator")]), "Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


INJECTIONS = [
    "' OR 1=1 //", "\"}) MATCH (n) DETACH DELETE n //", "x` DETACH DELETE n //", "ric:1'}) RETURN 1 //",
    "phone:13823456789' OR '1'='1", "$agency", "{key}", "*:*", "张三\") OR (\"", "\\u0027; CALL db.labels()",
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_cypher_injection_in_every_parameter_changes_nothing(client: TestClient, driver: Driver,
                                                             neo4j_settings: Settings,
                                                             keys: dict[tuple[str, str], str], attack: str) -> None:
    db = neo4j_settings.neo4j_database
    before = graph_size(driver, db)
    key, admin = keys[("sc-procuratorate", "investigator")], keys[("sc-procuratorate", "admin")]
    set_sharing_of_agency(driver, db, "cq-police", "sealed")
    responses = [
        client.get("/v1/lookup", params={"identifier": attack, "purpose": attack}, headers=auth(key)),
        client.get(f"/v1/entities/{attack}", params=PURPOSE,
                   headers={**auth(key), "X-Purpose": attack.encode()}),
        client.get(f"/v1/entities/{attack}/neighbors", params={**PURPOSE, "depth": 2}, headers=auth(key)),
        client.get("/v1/search", params={"name": attack, **PURPOSE}, headers=auth(key)),
        client.post("/v1/access-requests", json={"key": attack, "holder": "cq-police", "purpose": attack},
                    headers=auth(key)),
        client.post(f"/v1/access-requests/{attack}/approve", json={"note": attack}, headers=auth(admin)),
        client.put(f"/v1/documents/{attack}/sharing", json={"level": "shared"}, headers=auth(admin)),
        client.get("/v1/audit", params={"user": attack, "action": attack}, headers=auth(admin)),
        client.post(f"/v1/users/{attack}/revoke", headers=auth(admin)),
        client.post("/v1/users", json={"name": attack, "role": "analyst"}, headers=auth(admin)),
        client.get("/v1/lookup", params={"identifier": "13823456789", **PURPOSE},
                   headers={"Authorization": f"Bearer {attack}".encode()}),
    ]
    for response in responses:
        assert response.status_code < 500, (response.request.url, response.text)
        assert "cq-police" not in response.text
    assert graph_size(driver, db) == before
