"""The small generated corpus ingested once per test module: every agency folder shared, except
sc-police, whose files are sealed (only sc-police sees them)."""

from __future__ import annotations

import json
from pathlib import Path

from neo4j import Driver

from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus_small"
TRUTH = CORPUS / "truth.json"
SEALED_AGENCY = "sc-police"


def ingest_corpus(driver: Driver, database: str, home: Path) -> None:
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=database)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=database)
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        sharing = "sealed" if folder.name == SEALED_AGENCY else "shared"
        ingest(driver, database, [folder], folder.name, home, sharing=sharing)
