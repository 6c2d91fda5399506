"""The small generated corpus, ingested through casegraph's own ingest, one agency folder at a time.

By default every agency folder is shared except sc-police, whose files are sealed (only sc-police
sees them); a test module that needs other sharing passes its own `sharing` per agency. Modules
ingest once each (module-scoped fixtures): the per-test `driver` fixture empties the graph, so a
session-wide ingested graph would not survive the modules in between.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from neo4j import Driver

from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus_small"
TRUTH = CORPUS / "truth.json"
SEALED_AGENCY = "sc-police"
# agency -> (sharing level, agencies a restricted document is shared with)
Sharing = Mapping[str, tuple[str, list[str]]]
DEFAULT_SHARING: Sharing = {SEALED_AGENCY: ("sealed", [])}


def ingest_corpus(driver: Driver, database: str, home: Path, sharing: Sharing = DEFAULT_SHARING) -> None:
    """Empty the graph, register the truth's agencies and ingest every agency folder with its sharing
    (`shared` for agencies not named in `sharing`)."""
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=database)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=database)
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        level, shared_with = sharing.get(folder.name, ("shared", []))
        ingest(driver, database, [folder], folder.name, home, sharing=level, shared_with=shared_with)
