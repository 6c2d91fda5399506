"""Ledgers streamed into a real Neo4j in parts (issue 22): a transfer in the payer's and the payee's
statements stays one fact with both sources whatever the part size; the bank-statement shapes (a title
line above the header, 进/出 flags, amounts in 万元, GBK) are read on the stream; a file refused midway
(wrong encoding past the head) writes nothing; the parts of a statement stay unseen until its Document
is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.errors import UnreadableFile
from casegraph.graph.facts import AgencyRef
from casegraph.graph.writer import retract_ledger_parts, write_ledger_part
from casegraph.ingest.ledger_ingest import ingest_ledger
from casegraph.ingest.readers import read_file
from casegraph.ingest.readers.ledger_stream import HEAD, open_ledger
from casegraph.ingest.resolution.document import document_key
from casegraph.ingest.resolution.ledger_accounts import LedgerAccounts, transfer_part
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.conftest import FIXTURES
from tests.resolution_helpers import count, register_agencies

SAMPLES = FIXTURES / "ledgers"
A, B, C = "acct:6222021001000001", "acct:6228480002000002", "acct:6217000003000003"
POLICE = AgencyRef("cq-police", "CQ", "police")
HEADER = "交易日期,交易时间,本方账号,对方账号,交易金额,借贷标志,交易流水号\n"


def _reset(driver: Driver, database: str) -> None:
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=database)
    register_agencies(driver, database)


def _transfers(driver: Driver, database: str) -> dict[tuple[str, str], tuple[float, int]]:
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r:TRANSFERRED]->(b) RETURN a.key AS a, b.key AS b, r.amount AS amount, size(r.sources) AS n",
        database_=database)
    return {(r["a"], r["b"]): (r["amount"], r["n"]) for r in records}


@pytest.mark.parametrize("part_rows", [1, 20_000])
def test_a_transfer_in_both_statements_is_one_fact_with_both_sources(driver: Driver, neo4j_settings: Settings,
                                                                     part_rows: int) -> None:
    db = neo4j_settings.neo4j_database
    _reset(driver, db)
    for name in ("statement_a_wanyuan_gbk.csv", "statement_b_split_utf8.csv"):
        ingest_ledger(driver, db, SAMPLES / name, POLICE, "shared", [], [], part_rows=part_rows)
    assert _transfers(driver, db) == {(A, B): (125_000.0, 2), (C, A): (10_000_000.0, 1), (B, C): (32_500.0, 1)}
    # one mention per account and statement, with the row that first names it
    assert count(driver, db, "MATCH (:Account {key: $k})-[m:MENTIONED_IN]->(:Document) RETURN count(m)", k=A) == 2


def test_the_stream_reads_what_the_whole_file_reader_reads(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    rows = [f"2023-03-{1 + i % 28:02d},14:22:{i % 60:02d},62220202000012345{i % 7:02d},62170051819093786{i % 5:02d},"
            f"{100 + i}.50,{'借' if i % 2 else '贷'},T{i},往来款项转账\n" for i in range(2_500)]
    header = HEADER.replace("\n", ",摘要\n")
    bad = "2023-13-01,,1,2,abc,借,X,坏行\n"
    path.write_text("某银行账户交易明细\n" + header + "".join(rows) + bad, encoding="gb18030")
    stream = open_ledger(path)
    assert stream.encoding == "gb18030" and stream.header_index == 1
    batches = list(stream.batches(1_000))
    assert [len(b) for b in batches] == [1_000, 1_000, 500]
    whole = read_file(path)
    assert [t for b in batches for t in b] == whole.transactions
    assert stream.warnings == whole.warnings and "row 2503" in stream.warnings[0]


def test_a_ledger_refused_past_its_head_writes_nothing(driver: Driver, neo4j_settings: Settings, tmp_path: Path,
                                                       home: Path) -> None:
    db = neo4j_settings.neo4j_database
    _reset(driver, db)
    path = tmp_path / "ledger.csv"
    line = "2023-03-05,14:22:01,6222020200001234567,6217005181909378652,100.00,借,T1\n"
    body = (HEADER + line * (2 * HEAD // len(line.encode()))).encode() + b"\xff\xfe bad bytes\n"
    path.write_bytes(body)
    with pytest.raises(UnreadableFile, match="wrong encoding: not valid utf-8 at byte"):
        open_ledger(path)
    report = ingest(driver, db, [path], "cq-police", home)
    assert report.ingested == 0 and "wrong encoding" in report.quarantined[0].reason
    assert count(driver, db, "MATCH (n) WHERE NOT n:Agency AND NOT n:SchemaMigration RETURN count(n)") == 0


def test_parts_of_a_statement_refused_midway_are_taken_back(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _reset(driver, db)
    ingest_ledger(driver, db, SAMPLES / "statement_b_split_utf8.csv", POLICE, "shared", [], [])
    other = open_ledger(SAMPLES / "statement_a_wanyuan_gbk.csv")
    key = document_key(other.sha256)
    accounts = LedgerAccounts()
    document = {"key": key}
    for transactions in other.batches(1):
        write_ledger_part(driver, db, transfer_part(document, accounts.add(transactions)))
    assert _transfers(driver, db)[(A, B)] == (125_000.0, 2)  # the shared one gained the new source
    retract_ledger_parts(driver, db, key, [f"acct:{n}" for n in accounts.first_row])
    assert _transfers(driver, db) == {(A, B): (125_000.0, 1), (B, C): (32_500.0, 1)}


def test_each_account_goes_into_the_first_part_that_names_it_only() -> None:
    stream = open_ledger(SAMPLES / "statement_a_wanyuan_gbk.csv")
    accounts, written = LedgerAccounts(), set()
    parts = [transfer_part({"key": "k"}, accounts.add(rows), written) for rows in stream.batches(1)]
    named = [{k for t in part.transfers for k in (t.from_key, t.to_key)} for part in parts]
    keys = [[n.key for n in part.nodes] for part in parts]
    assert sum(map(len, keys)) == len(set().union(*named))  # each account once in all
    for i, part_keys in enumerate(keys):  # in the first part whose transfers name it
        assert set(part_keys) == named[i] - set().union(set(), *named[:i])
