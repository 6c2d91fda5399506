"""The neighbourhood in pages around a hub: a ledger account with thousands of counterparties.

The hub is written straight into the real test server: one account that sends money to N accounts
(one transfer each, a few with several), stated by two police ledgers (one shared, one sealed), plus
a holder and a phone. The API must answer with a page per relation type, exact counts of what the
caller may see, cursors that walk the rest without gaps or repeats, and its filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.graph.users import add_user
from casegraph.settings import Settings
from tests.test_thin_path import register_agencies

PURPOSE = {"X-Purpose": quote("渝公经立字（2024）37号")}
HUB = "acct:6222000000000000001"
COUNTERPARTIES = 2_000
SEALED_SHARE = 10  # every 10th counterparty is stated only by the sealed ledger

_BUILD = """
MERGE (shared:Document {key: 'doc:ledger-shared'}) SET shared.agency = 'cq-police', shared.sharing = 'shared',
  shared.filename = 'ledger-a.csv', shared.kind = 'bank_ledger'
MERGE (sealed:Document {key: 'doc:ledger-sealed'}) SET sealed.agency = 'cq-police', sealed.sharing = 'sealed',
  sealed.filename = 'ledger-b.csv', sealed.kind = 'bank_ledger'
MERGE (hub:Account {key: $hub}) SET hub.number = '6222000000000000001', hub.sources = ['doc:ledger-shared']
MERGE (p:Person {key: 'ric:500103198503124515'}) SET p.name = '张伟', p.sources = ['doc:ledger-shared']
MERGE (p)-[:HOLDS {sources: ['doc:ledger-shared']}]->(hub)
MERGE (ph:Phone {key: 'phone:13823456789'}) SET ph.number = '13823456789', ph.sources = ['doc:ledger-shared']
MERGE (p)-[:USES {sources: ['doc:ledger-shared']}]->(ph)
WITH hub
UNWIND range(1, $n) AS i
WITH hub, i, CASE WHEN i % $sealed_share = 0 THEN 'doc:ledger-sealed' ELSE 'doc:ledger-shared' END AS source
CREATE (b:Account {key: 'acct:62220100' + right('0000000000' + toString(i), 10),
                   number: '62220100' + right('0000000000' + toString(i), 10), sources: [source]})
CREATE (hub)-[:TRANSFERRED {amount: 1000.0 + i, at: '2024-0' + toString(1 + i % 6) + '-15T10:00:00',
                            sources: [source]}]->(b)
// the first five counterparties also pay back, twice: more facts, so they come first
FOREACH (_ IN CASE WHEN i <= 5 THEN [1, 2] ELSE [] END |
  CREATE (b)-[:TRANSFERRED {amount: 10.0, at: '2024-07-01T09:00:00', sources: [source]}]->(hub))
"""


@pytest.fixture(scope="module")
def hub_client(neo4j_settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    from casegraph.graph.connection import get_driver

    driver: Driver = get_driver(neo4j_settings)
    db = neo4j_settings.neo4j_database
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    register_agencies(driver, db)
    driver.execute_query(_BUILD, hub=HUB, n=COUNTERPARTIES, sealed_share=SEALED_SHARE, database_=db)
    police = add_user(driver, db, "pages-police", "cq-police", "investigator", "test")[1]
    other = add_user(driver, db, "pages-procuratorate", "sc-procuratorate", "investigator", "test")[1]
    app = create_app(neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6}))
    with TestClient(app) as base:
        yield (TestClient(app, headers={"Authorization": f"Bearer {police}", **PURPOSE}),
               TestClient(app, headers={"Authorization": f"Bearer {other}", **PURPOSE}))
        del base


def _page(client: TestClient, **params: object) -> dict[str, Any]:
    response = client.get(f"/v1/entities/{HUB}/neighbors", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _transfers(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in body["edges"] if e["type"] == "TRANSFERRED"]


# A link is one row per neighbour and direction: the five that paid back have two rows.
LINKS = COUNTERPARTIES + 5
VISIBLE = COUNTERPARTIES - COUNTERPARTIES // SEALED_SHARE


def test_a_hub_answers_one_page_per_type_with_counts_of_all(hub_client: tuple[TestClient, TestClient]) -> None:
    police, other = hub_client
    body = _page(police, limit=50)
    assert body["counts"] == {"HOLDS": 1, "TRANSFERRED": LINKS}
    transfers = _transfers(body)
    counterparties = {e["to"] if e["from"] == HUB else e["from"] for e in transfers}
    assert len(transfers) == 50 and len(body["neighbors"]) == len(counterparties) + 1  # and the holder
    # a link's facts are counted: wherever the five counterparties that paid back twice fall, their
    # link to the hub counts two transfers
    assert all(e["facts"] == (2 if e["to"] == HUB else 1) for e in transfers)
    more = body["more"]
    assert [(m["type"], m["remaining"]) for m in more] == [("TRANSFERRED", LINKS - 50)]
    # The other agency sees only what the shared ledger states: nine in ten counterparties.
    assert _page(other, limit=50)["counts"] == {"HOLDS": 1, "TRANSFERRED": VISIBLE + 5}


def test_cursors_walk_every_visible_link_once(hub_client: tuple[TestClient, TestClient]) -> None:
    _, other = hub_client
    body = _page(other, limit=400)
    links = [(e["from"], e["to"]) for e in _transfers(body)]
    cursor = body["more"][0]["next"]
    while cursor:
        page = _page(other, cursor=cursor, limit=400)
        assert set(page["counts"]) == {"TRANSFERRED"}
        links += [(e["from"], e["to"]) for e in _transfers(page)]
        cursor = page["more"][0]["next"] if page["more"] else None
    assert len(links) == len(set(links)) == VISIBLE + 5
    counterparties = {a if b == HUB else b for a, b in links}
    sealed = {f"acct:62220100{i:010d}" for i in range(SEALED_SHARE, COUNTERPARTIES + 1, SEALED_SHARE)}
    assert len(counterparties) == VISIBLE and not sealed & counterparties
    # the order is stable: the first page asked again is the same
    assert _page(other, limit=400)["edges"] == body["edges"]


def test_filters_by_type_relation_and_date(hub_client: tuple[TestClient, TestClient]) -> None:
    police, _ = hub_client
    persons = _page(police, types="Person", depth=2)
    assert {n["key"] for n in persons["neighbors"]} >= {"ric:500103198503124515"}
    assert all(n["label"] == "Person" for n in persons["neighbors"])
    held = _page(police, rel_types="HOLDS")
    assert held["counts"] == {"HOLDS": 1}
    # transfers dated in March 2024: i % 6 == 2 (the holder link carries no time and stays)
    march = _page(police, rel_types=["TRANSFERRED", "HOLDS"], since="2024-03-01", until="2024-03-31", limit=5)
    assert march["counts"] == {"HOLDS": 1, "TRANSFERRED": sum(1 for i in range(1, COUNTERPARTIES + 1) if i % 6 == 2)}
    assert all(e["latest"].startswith("2024-03") for e in march["edges"]
               if e["type"] == "TRANSFERRED")


@pytest.mark.parametrize("params", [{"types": "Planet"}, {"rel_types": "KNOWS"}, {"cursor": "not-a-cursor"},
                                    {"since": "2024-05-01", "until": "2024-01-01"}, {"since": "yesterday"}])
def test_bad_filters_are_refused_with_a_code(hub_client: tuple[TestClient, TestClient],
                                             params: dict[str, str]) -> None:
    police, _ = hub_client
    response = police.get(f"/v1/entities/{HUB}/neighbors", params=params)
    assert response.status_code == 422, response.text
    assert "Traceback" not in response.text and response.json()["error"]["code"]


def test_the_filters_are_declared_in_openapi(hub_client: tuple[TestClient, TestClient]) -> None:
    police, _ = hub_client
    operation = police.get("/openapi.json").json()["paths"]["/v1/entities/{key}/neighbors"]["get"]
    declared = {p["name"]: p for p in operation["parameters"]}
    assert {"types", "rel_types", "since", "until", "cursor", "limit", "depth"} <= set(declared)
    assert "TRANSFERRED" in str(declared["rel_types"]["schema"]) and "Person" in str(declared["types"]["schema"])


def test_the_chart_draws_a_page_and_fetches_more_on_click(neo4j_settings: Settings,
                                                         hub_client: tuple[TestClient, TestClient]) -> None:
    """In Debian's Chromium: the hub's chart holds one page of transfers and a "+N more" node that
    brings the next page when clicked; the date filter hides transfers outside the range and fetches
    those inside it."""
    from casegraph.graph.connection import get_driver
    from tests import web_helpers as web
    from tests.test_web import wait_until

    driver = get_driver(neo4j_settings)
    key = add_user(driver, neo4j_settings.neo4j_database, "pages-browser", "cq-police", "investigator", "test")[1]
    settings = neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6})
    chart = "document.getElementById('chart').chart.cy"
    with web.serving(settings) as base, web.chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        web.sign_in(page, base, key, "渝公经立字（2024）37号")
        page.goto(f"{base}/#/entity/{HUB}/1")
        page.wait_for_selector("#chart[data-ready]")
        more = f"{chart}.getElementById('more|{HUB}|TRANSFERRED')"
        assert page.evaluate(f"{more}.data('caption')") == f"+{LINKS - 300} TRANSFERRED"
        before = int(page.evaluate(f"{chart}.nodes('[type = \"Account\"]').length"))
        page.evaluate(f"{more}.emit('tap')")
        wait_until(page, f"{more}.data('caption') === '+{LINKS - 400} TRANSFERRED'")
        assert int(page.evaluate(f"{chart}.nodes('[type = \"Account\"]').length")) > before
        # transfers dated in March only: the others' links are hidden, the holder's (no date) stays
        page.fill("#filter-since", "2024-03-01")
        page.fill("#filter-until", "2024-03-31")
        page.dispatch_event("#filter-until", "change")
        # the page shown held no March transfer (latest first): the filter asks the server for them
        wait_until(page, f"{chart}.edges('[type = \"TRANSFERRED\"]:visible').length > 0")
        days = page.evaluate(f"{chart}.edges('[type = \"TRANSFERRED\"]:visible').map(e => e.data('latest'))")
        assert days and all(d.startswith("2024-03") for d in days)
        assert page.evaluate(f"{chart}.edges('[type = \"HOLDS\"]:visible').length") == 1
        assert not errors, errors


def test_a_cursor_continues_from_its_row_when_earlier_links_change(neo4j_settings: Settings,
                                                                   hub_client: tuple[TestClient, TestClient]) -> None:
    """The cursor remembers the last row, not an offset: links of page 1 that turn invisible before
    page 2 is asked shift nothing (an offset would skip as many rows of page 2)."""
    from casegraph.graph.connection import get_driver

    _, other = hub_client
    first = _page(other, limit=50, rel_types="TRANSFERRED")
    cursor = first["more"][0]["next"]
    second = _page(other, cursor=cursor, limit=50)
    gone = sorted({e["to"] for e in _transfers(first) if e["from"] == HUB})[:10]
    driver, db = get_driver(neo4j_settings), neo4j_settings.neo4j_database
    seal = ("MATCH (:Account {key: $hub})-[r:TRANSFERRED]->(b:Account) WHERE b.key IN $keys "
            "SET r.sources = [$source]")
    driver.execute_query(seal, hub=HUB, keys=gone, source="doc:ledger-sealed", database_=db)
    try:
        again = _page(other, cursor=cursor, limit=50)
        assert again["edges"] == second["edges"]
        assert again["more"][0]["remaining"] == second["more"][0]["remaining"]
        assert _page(other, limit=50, rel_types="TRANSFERRED")["counts"]["TRANSFERRED"] == \
            first["counts"]["TRANSFERRED"] - len(gone)
    finally:
        driver.execute_query(seal, hub=HUB, keys=gone, source="doc:ledger-shared", database_=db)
