"""Helpers of the writer, resolution and ingest-run tests: write a text as a document, and dump the
graph in a form two runs can be compared by."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from casegraph.graph.facts import AgencyRef
from casegraph.graph.queries import cypher
from casegraph.graph.writer import WriteStats, previous_versions, write_documents
from casegraph.ingest.extract import extract_text
from casegraph.ingest.resolution.document import document_key, resolve_document
from casegraph.ingest.resolution.linker import link_pending

AGENCIES = [("cq-police", "police", "CQ"), ("sc-police", "police", "SC"), ("cq-procuratorate", "procuratorate", "CQ"),
            ("sc-procuratorate", "procuratorate", "SC"), ("cq-regulator", "regulator", "CQ"),
            ("sc-regulator", "regulator", "SC")]


def register_agencies(driver: Driver, database: str) -> None:
    for agency_id, kind, region in AGENCIES:
        driver.execute_query(cypher("agency_upsert"), id=agency_id, kind=kind, region=region, name=agency_id,
                             default_sharing="shared", database_=database)


def write_text(driver: Driver, database: str, text: str, path: str, agency: str = "cq-police",
               link: bool = True) -> tuple[str, WriteStats]:
    """Extract, resolve and write one text as the document at `path`; returns its key."""
    doc = extract_text(text, path=path)
    region = "SC" if agency.startswith("sc") else "CQ"
    facts = resolve_document(doc, AgencyRef(agency, region, agency.split("-")[1]))
    facts.replaces = previous_versions(driver, database, [{"key": facts.key, "agency": agency, "path": path}]).get(
        facts.key, [])
    stats = write_documents(driver, database, [facts])
    if link:
        link_pending(driver, database)
    return document_key(doc.sha256), stats


def dump(driver: Driver, database: str) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """Nodes (label, key, sources) and relationships (type, from, to, fid, sources), no timestamps."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:SchemaMigration RETURN labels(n)[0] AS label, coalesce(n.key, n.id) AS key, "
        "n.sources AS sources", database_=database)
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.key, a.id) AS a, coalesce(b.key, b.id) AS b, "
        "r.fid AS fid, r.sources AS sources", database_=database)
    return ({(r["label"], r["key"], tuple(sorted(r["sources"] or []))) for r in nodes},
            {(r["type"], r["a"], r["b"], r["fid"], tuple(sorted(r["sources"] or []))) for r in rels})


def count(driver: Driver, database: str, query: str, **params: Any) -> int:
    records, _, _ = driver.execute_query(query, params, database_=database)
    return int(records[0][0])
