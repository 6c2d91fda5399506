"""What `make run` promises: the examples of several agencies in both regions meet in one graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver

from casegraph.access import Caller
from casegraph.graph import lookups
from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.conftest import REPO

EXAMPLES = REPO / "examples"


def _ingest_examples(driver: Driver, db: str, home: Path) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=db)
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        report = ingest(driver, db, [folder], folder.name, home)
        assert not report.quarantined, report.quarantined
    return truth


def test_shared_phone_of_the_examples_returns_cases_of_both_regions(driver: Driver, neo4j_settings: Settings,
                                                                      home: Path) -> None:
    db = neo4j_settings.neo4j_database
    truth = _ingest_examples(driver, db, home)
    ring = truth["rings"][0]
    phones = [m["key"] for m in ring["members"] if m["type"] == "Phone"]
    assert phones, "the examples' ring shares a phone"
    reader = Caller(user="reader", agency=truth["agencies"][0]["id"], role="investigator")  # all shared
    found = lookups.lookup(driver, db, reader, phones[0].removeprefix("phone:"))
    regions = {agency["region"] for agency in truth["agencies"] if agency["id"] in found["agencies"]}
    assert regions == {"CQ", "SC"}
    assert len({c["agency"] for c in found["cases"]}) >= 2


CONTROLLER = "ric:51030219870520232X"


def test_an_account_lookup_names_its_holder_and_bank_and_a_phone_its_user(driver: Driver, neo4j_settings: Settings,
                                                                           home: Path) -> None:
    # Issue 18: "an account lookup gives neither holder nor bank"; examples/README.md says whose both are.
    db = neo4j_settings.neo4j_database
    _ingest_examples(driver, db, home)
    reader = Caller(user="reader", agency="cq-police", role="investigator")
    account = lookups.lookup(driver, db, reader, "6228 4828 7667 4490 470")
    assert account["properties"].get("bank") == "中国农业银行"
    assert [(p["key"], p["name"]) for p in account["held_by"]] == [(CONTROLLER, "罗雪婷")]
    assert all(p["sources"] for p in account["held_by"])
    phone = lookups.lookup(driver, db, reader, "18685133017")
    assert [(p["key"], p["name"]) for p in phone["used_by"]] == [(CONTROLLER, "罗雪婷")]
    # Only what a visible document says: sealed from the reader, the holder is gone with its documents.
    driver.execute_query("MATCH (d:Document) SET d.sharing = 'sealed'", database_=db)
    own = Caller(user="reader", agency="sc-police", role="investigator")
    seen = lookups.lookup(driver, db, own, "6228482876674490470")
    assert all(set(p["sources"]) <= set(seen["properties"]["sources"]) for p in seen.get("held_by", []))
