"""The writer against a real Neo4j: idempotent re-ingest, a new version of a document replaces its
facts and nothing else, deleting a document removes what only it stated, one transfer from two
banks' statements is one relationship."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.errors import NotFound
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow, TransferRow
from casegraph.graph.writer import delete_document, write_documents
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.resolution_helpers import count, dump, register_agencies, write_text

FILING = ("重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕45号\n犯罪嫌疑人张伟，男，1985年3月12日出生，公民身份号码500103198503124515，"
          "住重庆市渝中区解放碑路1号，联系电话13823456789。张伟使用其名下账户6222020200112233446收取资金。")
PENALTY = ("四川监管局\n行政处罚决定书\n川金罚决字〔2023〕8号\n当事人张伟，男，公民身份号码500103198503124515，"
           "联系电话13823456789。")
FILING_V2 = FILING.replace("13823456789", "13900001111")


def test_rewriting_the_same_document_changes_nothing(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    write_text(driver, db, FILING, "/cases/filing.txt")
    write_text(driver, db, PENALTY, "/cases/penalty.txt", "sc-regulator")
    before = dump(driver, db)
    write_text(driver, db, FILING, "/cases/filing.txt")
    write_text(driver, db, PENALTY, "/cases/penalty.txt", "sc-regulator")
    assert dump(driver, db) == before
    assert count(driver, db, "MATCH (p:Person {key: 'ric:500103198503124515'}) RETURN size(p.sources)") == 2


def test_new_version_replaces_its_facts_and_nothing_else(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    old_key, _ = write_text(driver, db, FILING, "/cases/filing.txt")
    other_key, _ = write_text(driver, db, PENALTY, "/cases/penalty.txt", "sc-regulator")
    new_key, stats = write_text(driver, db, FILING_V2, "/cases/filing.txt")
    assert stats.replaced == 1
    assert count(driver, db, "MATCH (d:Document {key: $k}) RETURN count(d)", k=old_key) == 0
    # The old phone is still stated by the penalty decision; the new one by the new version only.
    assert count(driver, db, "MATCH (p:Phone {key: 'phone:13823456789'}) RETURN size(p.sources)") == 1
    assert count(driver, db, "MATCH (p:Phone {key: 'phone:13900001111'}) RETURN count(p)") == 1
    sources = driver.execute_query("MATCH (:Person {key: 'ric:500103198503124515'})-[r:USES]->(:Phone {key: "
                                   "'phone:13823456789'}) RETURN r.sources AS s", database_=db).records
    assert [r["s"] for r in sources] == [[other_key]]
    person = driver.execute_query("MATCH (p:Person {key: 'ric:500103198503124515'}) RETURN p.sources AS s",
                                  database_=db).records[0]["s"]
    assert sorted(person) == sorted([other_key, new_key])


def test_delete_removes_only_what_the_document_alone_stated(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    filing_key, _ = write_text(driver, db, FILING, "/cases/filing.txt")
    write_text(driver, db, PENALTY, "/cases/penalty.txt", "sc-regulator")
    delete_document(driver, db, filing_key)
    assert count(driver, db, "MATCH (a:Account) RETURN count(a)") == 0  # only the filing named the card
    assert count(driver, db, "MATCH (c:Case {number: '渝公(经)立字(2023)45号'}) RETURN count(c)") == 0
    assert count(driver, db, "MATCH (p:Person {key: 'ric:500103198503124515'}) RETURN count(p)") == 1
    assert count(driver, db, "MATCH ()-[r]->() WHERE $k IN coalesce(r.sources, []) RETURN count(r)", k=filing_key) == 0
    assert count(driver, db, "MATCH (n) WHERE $k IN coalesce(n.sources, []) RETURN count(n)", k=filing_key) == 0
    with pytest.raises(NotFound):
        delete_document(driver, db, filing_key)


def _ledger(key: str, path: str, serial: str) -> DocumentFacts:
    facts = DocumentFacts({"key": key, "sha256": key[4:], "agency": "cq-police", "path": path, "kind": "ledger"})
    facts.transfers = [TransferRow("acct:6216619702954061685", "acct:6217995543057340705", serial, 649.19,
                                   "2022-09-15T16:54:28", serial)]
    for number in ("6216619702954061685", "6217995543057340705"):
        facts.nodes.append(NodeRow("Account", f"acct:{number}", {"number": number}))
        facts.rels.append(RelRow("MENTIONED_IN", "Account", f"acct:{number}", "Document", key, "ledger"))
    return facts


def test_one_transfer_in_two_statements_is_one_relationship(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    write_documents(driver, db, [_ledger("doc:aa", "/boc.csv", "2022091501"), _ledger("doc:bb", "/psbc.csv", "2022091501")])
    records = driver.execute_query("MATCH ()-[r:TRANSFERRED]->() RETURN r.sources AS s, r.amount AS amount",
                                   database_=db).records
    assert len(records) == 1 and sorted(records[0]["s"]) == ["doc:aa", "doc:bb"] and records[0]["amount"] == 649.19
    delete_document(driver, db, "doc:aa")
    assert count(driver, db, "MATCH ()-[r:TRANSFERRED]->() RETURN count(r)") == 1


# An indictment telling the statements' transfer (`_ledger`): the day, the accounts and the amount, no clock.
TOLD = ("重庆市公安局\n起诉意见书\n渝公（经）诉字〔2023〕46号\n犯罪嫌疑人张伟，男，公民身份号码500103198503124515。"
        "2022年9月15日，张伟通过其名下账户6216619702954061685向账户6217995543057340705转账人民币649.19元。")
STATEMENT_FID = "6216619702954061685>6217995543057340705|64919|2022-09-15|0"


@pytest.mark.parametrize("prose_first", [True, False])
def test_a_transfer_an_indictment_tells_is_the_statements_transfer(driver: Driver, neo4j_settings: Settings,
                                                                   prose_first: bool) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    if prose_first:
        told_key, _ = write_text(driver, db, TOLD, "/cases/opinion.txt", link=False)
    write_documents(driver, db, [_ledger("doc:aa", "/boc.csv", STATEMENT_FID)])
    if not prose_first:
        told_key, _ = write_text(driver, db, TOLD, "/cases/opinion.txt", link=False)
    records = driver.execute_query("MATCH ()-[r:TRANSFERRED]->() RETURN r.sources AS s, r.at AS at, r.tx_id AS tx",
                                   database_=db).records
    # One fact with both sources, and the statement's clock and serial whichever came first.
    assert [(sorted(r["s"]), r["at"], r["tx"]) for r in records] == [
        (sorted(["doc:aa", told_key]), "2022-09-15T16:54:28", STATEMENT_FID)]


LATE_CREDIT = [Path(__file__).parent / "fixtures" / "ledgers" / f"late_credit_{side}_feedback_gbk.csv"
               for side in ("payer", "payee")]


@pytest.mark.parametrize("payer_first", [True, False])
def test_a_credit_booked_days_after_its_debit_is_one_transfer(driver: Driver, neo4j_settings: Settings,
                                                              tmp_path: Path, payer_first: bool) -> None:
    """Two banks' feedback ingested one after the other (fixtures README): the Friday-night transfer
    credited on Monday and the one credited after midnight are one relationship each, the debit's
    time kept; equal transfers on consecutive days and a debit and a credit a week apart stay two."""
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    for path in LATE_CREDIT if payer_first else LATE_CREDIT[::-1]:
        ingest(driver, db, [path], "cq-police", tmp_path)
    records = driver.execute_query(
        "MATCH (:Account {key: 'acct:6217003760005550001'})-[r:TRANSFERRED]->(:Account {key: "
        "'acct:6222020200117770002'}) RETURN r.amount AS amount, r.at AS at, size(r.sources) AS n ORDER BY r.at",
        database_=db).records
    assert [(r["amount"], r["n"]) for r in records] == [
        (50000.0, 2), (8000.0, 2), (8000.0, 2), (1200.0, 2), (600.0, 1), (600.0, 1)]
    assert [r["at"] for r in records][:4:3] == ["2024-03-08T23:58:41", "2024-03-14T23:59:30"]


def test_a_failing_batch_leaves_nothing(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    good = _ledger("doc:cc", "/a.csv", "1")
    bad = _ledger("doc:dd", "/b.csv", "2")
    bad.document["sharing"] = {"not": "a property value"}  # maps cannot be stored: the statement fails
    with pytest.raises(Exception, match=r"(?i)property"):
        write_documents(driver, db, [good, bad])
    assert count(driver, db, "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n)") == 0


def test_a_later_document_without_aliases_keeps_a_nodes_aliases(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    first, second = DocumentFacts({"key": "doc:ee", "path": "/e.txt"}), DocumentFacts({"key": "doc:ff", "path": "/f.txt"})
    first.nodes.append(NodeRow("Person", "ric:2", {"name": "李四"}, ["SC"], ["李老四"], ["ric"]))
    second.nodes.append(NodeRow("Person", "ric:2", {"name": "李四"}, ["SC"]))
    for facts in (first, second):
        facts.rels.append(RelRow("MENTIONED_IN", "Person", "ric:2", "Document", facts.key, "0", {"start": 0, "end": 2}))
    write_documents(driver, db, [first])
    write_documents(driver, db, [second])
    person = driver.execute_query("MATCH (p:Person {key: 'ric:2'}) RETURN p.aliases AS a, p.merged_on AS m",
                                  database_=db).records[0]
    assert (person["a"], person["m"]) == (["李老四"], ["ric"])
    # A node with no alias stores none (not an empty list); a created mention stores no sources.
    write_documents(driver, db, [DocumentFacts({"key": "doc:gg", "path": "/g.txt"},
                                               [NodeRow("Phone", "phone:13800000000", {}, ["CQ"])],
                                               [RelRow("MENTIONED_IN", "Phone", "phone:13800000000", "Document",
                                                       "doc:gg", "0", {"start": 0, "end": 11})])])
    assert count(driver, db, "MATCH (p:Phone) WHERE p.aliases IS NULL AND p.merged_on IS NULL RETURN count(p)") == 1
    assert count(driver, db, "MATCH (:Phone)-[m:MENTIONED_IN]->(:Document {key: 'doc:gg'}) "
                             "WHERE m.sources IS NULL RETURN count(m)") == 1
