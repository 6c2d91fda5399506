"""What `make run` promises: the examples of several agencies in both regions meet in one graph."""

from __future__ import annotations

import json
from pathlib import Path

from neo4j import Driver

from casegraph.access import Caller
from casegraph.graph import lookups
from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.conftest import REPO

EXAMPLES = REPO / "examples"


def test_shared_phone_of_the_examples_returns_cases_of_both_regions(driver: Driver, neo4j_settings: Settings,
                                                                      home: Path) -> None:
    db = neo4j_settings.neo4j_database
    truth = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=db)
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        report = ingest(driver, db, [folder], folder.name, home)
        assert not report.quarantined, report.quarantined
    ring = truth["rings"][0]
    phones = [m["key"] for m in ring["members"] if m["type"] == "Phone"]
    assert phones, "the examples' ring shares a phone"
    reader = Caller(user="reader", agency=truth["agencies"][0]["id"], role="investigator")  # all shared
    found = lookups.lookup(driver, db, reader, phones[0].removeprefix("phone:"))
    regions = {agency["region"] for agency in truth["agencies"] if agency["id"] in found["agencies"]}
    assert regions == {"CQ", "SC"}
    assert len({c["agency"] for c in found["cases"]}) >= 2
