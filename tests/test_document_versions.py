"""Big changes in bounded transactions, never half-done to a reader (issue 24), on a real Neo4j.

A large document is written in parts as a PendingDocument and published in one small transaction;
a replaced or deleted one is retired in one small transaction and its facts taken away in batches.
Each test stops the work half-way, as a crash would, and checks what a lookup shows then and after
the next run finishes it.
"""

from __future__ import annotations

from neo4j import Driver

from casegraph.access.caller import Caller
from casegraph.errors import NotFound
from casegraph.graph import lookups
from casegraph.graph.doctor import _documents
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow, TransferRow
from casegraph.graph.queries import cypher
from casegraph.graph.retraction import retire_document, retired_documents, retract_retired
from casegraph.graph.writer import _parts, _write, delete_document, write_documents
from casegraph.settings import Settings
from tests.resolution_helpers import count, dump, register_agencies

OWNER = "6222020200112233446"
POLICE = Caller("officer", "cq-police", "investigator", "渝公经立字（2024）37号")


def _statement(version: int, rows: int, shared: int) -> DocumentFacts:
    """The owner's statement, version `version`: `shared` counterparties in every version, the rest
    this version's own (so a lookup can tell which version it is looking at)."""
    key = f"doc:{version:064d}"
    facts = DocumentFacts({"key": key, "sha256": key[4:], "agency": "cq-police", "path": "/ledgers/owner.csv",
                           "kind": "ledger", "sharing": "restricted"})
    numbers = [OWNER] + [f"62170000{i:011d}" if i < shared else f"6217{version:04d}{i:011d}" for i in range(rows)]
    for row, number in enumerate(numbers):
        facts.nodes.append(NodeRow("Account", f"acct:{number}", {"number": number}))
        facts.rels.append(RelRow("MENTIONED_IN", "Account", f"acct:{number}", "Document", key, f"row{row}",
                                 {"row": row}))
    facts.transfers = [TransferRow(f"acct:{OWNER}", f"acct:{number}", f"v{version if i >= shared else 0}-{i}",
                                   100.0 + i, "2024-03-01T10:00:00", None)
                       for i, number in enumerate(numbers[1:])]
    return facts


def _sources_seen(driver: Driver, db: str, number: str) -> list[str]:
    try:
        found = lookups.entity(driver, db, POLICE, f"acct:{number}")
    except NotFound:
        return []
    return sorted(d["key"] for d in found.get("documents") or [])


def test_a_large_document_stays_unseen_until_its_last_part(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    facts = _statement(1, rows=60, shared=0)
    parts = _parts(facts, 25)
    assert len(parts) > 3
    with driver.session(database=db) as session:  # a crash after two parts
        for part in parts[:2]:
            session.execute_write(_write, [part], "PendingDocument", True)
    assert count(driver, db, "MATCH (a:Account) RETURN count(a)") == 50
    assert _sources_seen(driver, db, OWNER) == []
    assert not _documents(neo4j_settings).ok
    # The next ingest of the same file finishes it; the graph is what one transaction would give.
    stats = write_documents(driver, db, [_statement(1, rows=60, shared=0)], staged_rows=25)
    assert stats.documents == 1 and stats.transfers == 60
    assert _sources_seen(driver, db, OWNER) == [facts.key]
    staged = dump(driver, db)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:Agency DETACH DELETE n", database_=db)
    write_documents(driver, db, [_statement(1, rows=60, shared=0)])
    assert dump(driver, db) == staged
    assert _documents(neo4j_settings).ok


def test_a_replaced_version_is_unseen_from_the_switch_and_gone_after(driver: Driver,
                                                                     neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    old, new = _statement(1, rows=40, shared=10), _statement(2, rows=40, shared=10)
    write_documents(driver, db, [old], staged_rows=15)
    only_old, only_new, both = "6217000100000000030", "6217000200000000030", "6217000000000000003"
    assert _sources_seen(driver, db, only_old) == [old.key]
    # The switch, then a crash before any fact is taken away: the old version is out of sight at once.
    new.replaces = [old.key]
    with driver.session(database=db) as session:
        for part in _parts(new, 15):
            session.execute_write(_write, [part], "PendingDocument", True)
        assert _sources_seen(driver, db, only_new) == []  # not published yet: the old one still shows
        assert _sources_seen(driver, db, both) == [old.key]
        session.execute_write(lambda tx: retire_document(tx, old.key)
                              and tx.run("MATCH (d:PendingDocument {key: $k}) REMOVE d:PendingDocument "
                                         "SET d:Document", k=new.key).consume())
    assert retired_documents(driver, db) == [old.key]
    assert _sources_seen(driver, db, only_old) == []
    assert _sources_seen(driver, db, both) == [new.key]
    assert _sources_seen(driver, db, OWNER) == [new.key]
    assert not _documents(neo4j_settings).ok
    # The next run takes the old facts away in small transactions.
    assert retract_retired(driver, db, batch=7) == 1
    assert count(driver, db, "MATCH (a:Account {number: $n}) RETURN count(a)", n=only_old) == 0
    assert count(driver, db, "MATCH ()-[r]->() WHERE $k IN coalesce(r.sources, []) RETURN count(r)",
                 k=old.key) == 0
    assert count(driver, db, "MATCH (d) WHERE d.key = $k RETURN count(d)", k=old.key) == 0
    replaced = dump(driver, db)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:Agency DETACH DELETE n", database_=db)
    write_documents(driver, db, [_statement(2, rows=40, shared=10)])
    assert dump(driver, db) == replaced


def test_a_retraction_cut_short_is_finished_by_the_next_run(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    kept = _statement(3, rows=20, shared=20)   # states the same transfers as the shared part below
    gone = _statement(4, rows=50, shared=20)
    gone.document["path"] = "/ledgers/other.csv"
    write_documents(driver, db, [kept])
    before = dump(driver, db)
    write_documents(driver, db, [gone], staged_rows=30)
    # Delete: retired at once, then a crash after the facts and half the nodes were taken away.
    with driver.session(database=db) as session:
        session.execute_write(lambda tx: retire_document(tx, gone.key))
        ids = [r["id"] for r in session.run(cypher("retired_fact_nodes"), key=gone.key)]
        session.run(cypher("retract_retired_rels"), ids=ids, key=gone.key, batch=4).consume()
        session.run(cypher("retract_retired_nodes"), ids=ids[:len(ids) // 2], key=gone.key, batch=4).consume()
    assert _sources_seen(driver, db, "6217000400000000040") == []
    delete_document_again = retract_retired(driver, db, batch=4)
    assert delete_document_again == 1
    assert dump(driver, db) == before


def test_delete_hides_at_once_and_refuses_what_is_not_there(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    facts = _statement(5, rows=30, shared=0)
    write_documents(driver, db, [facts], staged_rows=10)
    delete_document(driver, db, facts.key)
    left = "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:Agency AND NOT n:WriterLock RETURN count(n)"
    assert count(driver, db, left) == 0
    try:
        delete_document(driver, db, facts.key)
    except NotFound:
        pass
    else:
        raise AssertionError("a second delete must say there is no such document")
