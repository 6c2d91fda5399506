"""Masked roles navigate by opaque handles: every key holding an identifier reaches an analyst as a
handle (AES-SIV of the key), which the API takes back in paths and queries; no answer and no page
the analyst's browser receives carries the identifier in full."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from playwright.sync_api import Response

from casegraph.access.handles import Handles
from casegraph.graph.users import add_user
from casegraph.settings import Settings
from casegraph.web.app import create_web_app
from tests import web_helpers as web
from tests.test_thin_path import PERSON, PHONE, ingest_all, register_agencies

PURPOSE = {"X-Purpose": quote("川渝联合专案 2024-01")}
CARD = "6222020200112233446"
RIC = PERSON.split(":", 1)[1]
FULL = (RIC, CARD)
HANDLE = re.compile(r"h:[0-9a-f]{34,}")


def test_handles_are_deterministic_private_and_tamper_proof() -> None:
    one, other = Handles(os.urandom(64)), Handles(os.urandom(64))
    handle = one.handle(PERSON)
    assert handle == one.handle(PERSON) and HANDLE.fullmatch(handle) and RIC not in handle
    assert one.key(handle) == PERSON
    assert other.key(handle) is None  # another installation's secret
    flipped = handle[:-1] + ("0" if handle[-1] != "0" else "1")
    assert one.key(flipped) is None and one.key("h:zz") is None and one.key(PERSON) is None


def test_the_secret_is_shared_by_the_processes_of_one_home(tmp_path: Path) -> None:
    first, second = Handles.for_installation(tmp_path), Handles.for_installation(tmp_path)
    assert second.key(first.handle(PERSON)) == PERSON
    assert (tmp_path / "handle.key").stat().st_mode & 0o077 == 0


@pytest.fixture()
def analyst(driver: Driver, neo4j_settings: Settings, home: Path) -> Iterator[tuple[TestClient, str]]:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    ingest_all(driver, neo4j_settings, home)
    key = add_user(driver, db, "handles-analyst", "cq-police", "analyst", "test")[1]
    with TestClient(create_web_app(neo4j_settings)) as client:
        client.headers.update({"Authorization": f"Bearer {key}", **PURPOSE})
        yield client, key


def _clean(text: str) -> None:
    leaked = [f for f in FULL if f in text]
    assert not leaked, f"{leaked} in {text[:300]}"


def test_an_analyst_walks_the_graph_by_handles(analyst: tuple[TestClient, str]) -> None:
    client, _ = analyst
    found = client.get("/v1/lookup", params={"identifier": RIC})
    assert found.status_code == 200, found.text
    _clean(found.text)
    person = found.json()["key"]
    assert HANDLE.fullmatch(person)
    around = client.get(f"/v1/entities/{person}/neighbors", params={"depth": 2})
    assert around.status_code == 200, around.text
    _clean(around.text)
    keys = {n["key"] for n in around.json()["neighbors"]}
    card = next(k for k in keys if HANDLE.fullmatch(k) and client.get(f"/v1/entities/{k}").json()["label"] == "Account")
    assert PHONE in keys  # a phone number is not masked: its key stays as it is
    for path in (f"/v1/entities/{card}", f"/v1/entities/{card}/neighbors"):
        answer = client.get(path)
        assert answer.status_code == 200, answer.text
        _clean(answer.text)
    paths = client.get("/v1/paths", params={"from": person, "to": PHONE})
    assert paths.status_code == 200, paths.text
    _clean(paths.text)
    assert paths.json()["paths"][0]["nodes"][0]["key"] == person
    names = client.get("/v1/names", params={"q": "张伟"})
    assert names.status_code == 200 and person in {r["key"] for r in names.json()["results"]}
    _clean(names.text)
    doc = found.json()["documents"][0]["key"]
    opened = client.get(f"/v1/documents/{doc}")
    assert opened.status_code == 200
    _clean(opened.text)
    assert person in {m["key"] for m in opened.json()["mentions"]}
    # a handle that was not made here is refused as any unknown key is
    assert client.get(f"/v1/entities/h:{'ab' * 40}").status_code == 422


def test_the_analysts_chart_never_receives_an_identifier(analyst: tuple[TestClient, str],
                                                        neo4j_settings: Settings) -> None:
    """In Debian's Chromium: the analyst finds 张伟 by name, opens the chart and expands it twice;
    no response the page received and no DOM holds the resident ID or the card number."""
    _, key = analyst
    from tests.test_web import expand_some_node, node_count, search

    settings = neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6})
    with web.serving(settings) as base, web.chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        bodies: list[str] = []

        def keep(response: Response) -> None:
            if "/v1/" in response.url or "/web/" in response.url:
                with contextlib.suppress(Exception):
                    bodies.append(response.url + response.text())

        page.on("response", keep)
        web.sign_in(page, base, key, "川渝联合专案 2024-01")
        search(page, "张伟")
        page.click("#search-results a[data-key^='h:']")
        page.wait_for_selector("#chart[data-ready]")
        root = page.evaluate("document.getElementById('chart').chart.cy.nodes('.root').map(n => n.id())")[0]
        assert HANDLE.fullmatch(root)
        first = node_count(page)
        expanded = {root, expand_some_node(page, {root})}
        expand_some_node(page, expanded)
        assert node_count(page) > first
        ids = page.evaluate("document.getElementById('chart').chart.cy.nodes().map(n => n.id())")
        assert any(HANDLE.fullmatch(i) for i in ids if i != root)
        for text in [*bodies, page.content()]:
            _clean(text)
