"""The thin path: case files of two agencies in two regions → one graph → a cross-agency lookup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.access import Caller
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph import lookups
from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests import graph_snapshot
from tests.conftest import FIXTURES
from tests.graph_snapshot import ingested_once

THIN = FIXTURES / "thin"
PERSON = "ric:500103198503124515"
PHONE = "phone:13823456789"
CARD = "acct:6222020200112233446"
# Every document here is shared, so any agency sees all of it.
READER = Caller(user="reader", agency="cq-police", role="investigator")


def register_agencies(driver: Driver, database: str) -> None:
    for agency_id, kind, region in [("cq-police", "police", "CQ"), ("sc-regulator", "regulator", "SC"),
                                    ("sc-procuratorate", "procuratorate", "SC")]:
        driver.execute_query(cypher("agency_upsert"), id=agency_id, kind=kind, region=region, name=agency_id,
                             default_sharing="shared", database_=database)


def ingest_thin(driver: Driver, settings: Settings, home: Path) -> None:
    db = settings.neo4j_database
    ingest(driver, db, [THIN / "cq-police-filing.txt"], "cq-police", home)
    ingest(driver, db, [THIN / "sc-regulator-penalty.txt"], "sc-regulator", home)
    ingest(driver, db, [THIN / "sc-procuratorate-record.json"], "sc-procuratorate", home)


def ingest_all(driver: Driver, settings: Settings, home: Path) -> None:
    """The thin files ingested, for tests of what comes after the ingest: when they were ingested on
    the same graph before, the graph they gave is written back (many tests start here; the tests of
    this module, of the ingest itself, run it every time)."""
    ingested_once(driver, settings.neo4j_database, "thin", lambda: ingest_thin(driver, settings, home))


def counts(driver: Driver, database: str) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:SchemaMigration OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r",
        database_=database)
    return records[0]["n"], records[0]["r"]


def test_shared_phone_returns_cases_of_both_regions(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_thin(driver, neo4j_settings, home)
    found = lookups.lookup(driver, neo4j_settings.neo4j_database, READER, "+86 138-2345-6789")
    assert found["key"] == PHONE
    assert found["agencies"] == ["cq-police", "sc-procuratorate", "sc-regulator"]
    numbers = {c["number"] for c in found["cases"]}
    assert numbers == {"渝公(经)立字(2023)45号", "川金罚决字(2023)8号", "川检刑诉(2023)17号"}


def test_person_and_card_are_one_node_across_agencies(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_thin(driver, neo4j_settings, home)
    db = neo4j_settings.neo4j_database
    person = lookups.entity(driver, db, READER, PERSON)
    assert person["agencies"] == ["cq-police", "sc-regulator"]
    # CQ from his ID; SC from the Sichuan regulator's penalty case he is a party to (DESIGN: regions)
    assert person["properties"]["birth_date"] == "1985-03-12" and person["properties"]["regions"] == ["CQ", "SC"]
    card = lookups.lookup(driver, db, READER, "6222 0202 0011 2233 446")
    assert card["key"] == CARD and card["agencies"] == ["cq-police", "sc-regulator"]
    records, _, _ = driver.execute_query("MATCH (p:Person {key: $k}) RETURN count(p) AS c", k=PERSON, database_=db)
    assert records[0]["c"] == 1


def test_reingest_changes_nothing(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_thin(driver, neo4j_settings, home)
    before = counts(driver, neo4j_settings.neo4j_database)
    report = ingest(driver, neo4j_settings.neo4j_database, [THIN / "cq-police-filing.txt"], "cq-police", home)
    assert report.unchanged == 1 and report.ingested == 0
    ingest_thin(driver, neo4j_settings, home)
    assert counts(driver, neo4j_settings.neo4j_database) == before


def test_invalid_identifiers_are_mentions_never_keys(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    register_agencies(driver, neo4j_settings.neo4j_database)
    ingest_thin(driver, neo4j_settings, home)
    db = neo4j_settings.neo4j_database
    records, _, _ = driver.execute_query(
        "MATCH (m:Mention)-[:MENTIONED_IN]->(d:Document) RETURN m.type AS type, m.text AS text", database_=db)
    assert ("ID_NUMBER", "510104199007213029") in {(r["type"], r["text"]) for r in records}  # check digit broken
    with pytest.raises(InvalidInput):
        lookups.lookup(driver, db, READER, "510104199007213029")
    records, _, _ = driver.execute_query("MATCH (p:Person {ric: $ric}) RETURN count(p) AS c",
                                         ric="510104199007213029", database_=db)
    assert records[0]["c"] == 0
    # A number that fails Luhn is no card, but may be a corporate account: kept, and flagged.
    account = lookups.lookup(driver, db, READER, "6222020200112233447")["properties"]
    assert account["luhn_ok"] is False and account["is_card"] is True


def test_broken_files_are_quarantined_and_the_batch_goes_on(driver: Driver, neo4j_settings: Settings,
                                                            home: Path, tmp_path: Path) -> None:
    register_agencies(driver, neo4j_settings.neo4j_database)
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("empty.txt", "junk.txt", "cq-police-filing.txt"):
        shutil.copy(THIN / name, batch / name)
    report = ingest(driver, neo4j_settings.neo4j_database, [batch], "cq-police", home)
    assert report.ingested == 1
    reasons = {Path(q.path).name: q.reason for q in report.quarantined}
    assert set(reasons) == {"empty.txt", "junk.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["junk.txt"]
    assert (home / "quarantine" / "quarantine.jsonl").read_text(encoding="utf-8").count("\n") == 2


def test_unknown_agency_is_refused(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    with pytest.raises(NotFound, match="not registered"):
        ingest(driver, neo4j_settings.neo4j_database, [THIN / "cq-police-filing.txt"], "nobody", home)


def test_documents_take_the_agencys_default_sharing(driver: Driver, neo4j_settings: Settings, home: Path) -> None:
    db = neo4j_settings.neo4j_database
    driver.execute_query(cypher("agency_upsert"), id="cq-police", kind="police", region="CQ", name="cq-police",
                         default_sharing="sealed", database_=db)
    ingest(driver, db, [THIN / "cq-police-filing.txt"], "cq-police", home)
    records, _, _ = driver.execute_query("MATCH (d:Document) RETURN d.sharing AS sharing", database_=db)
    assert [r["sharing"] for r in records] == ["sealed"]
    ingest(driver, db, [THIN / "sc-regulator-penalty.txt"], "cq-police", home, sharing="shared")
    records, _, _ = driver.execute_query("MATCH (d:Document) RETURN d.sharing AS s ORDER BY s", database_=db)
    assert [r["s"] for r in records] == ["sealed", "shared"]


def test_the_graph_written_back_for_later_tests_equals_the_ingested_one(driver: Driver, neo4j_settings: Settings,
                                                                         home: Path) -> None:
    """tests/graph_snapshot.py, which other modules' tests start from: labels, properties with their
    types, and relationships between the same nodes, as the ingest wrote them."""
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    ingest_thin(driver, neo4j_settings, home)
    ingested = graph_snapshot.take(driver, db)
    graph_snapshot.restore(driver, db, ingested)
    again = graph_snapshot.take(driver, db)

    def typed(snapshot: graph_snapshot.Snapshot) -> list[str]:
        return sorted(repr((sorted(n["labels"]), sorted((k, type(v).__name__, repr(v)) for k, v in n["props"].items())))
                      for n in snapshot.nodes)

    assert typed(again) == typed(ingested) and len(ingested.nodes) > 10
    assert again.canonical() == ingested.canonical() and len(ingested.rels) > 10
    assert {n["id"] for n in again.nodes}.isdisjoint({n["id"] for n in ingested.nodes})  # written anew
