"""Bank statements in more banks' own layouts, read alike by the ingest and the detection readers: a
card number and the account number behind it are one account (开户信息 beside the statement, or the
police's 交易卡号 + 交易账号), old .xls exports, 合计/总计 lines, masked counter accounts, a counterparty
written in 摘要 or 对手信息. The statements and their expected transfers are in fixtures/ledgers/styles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.errors import UnreadableFile
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow
from casegraph.graph.ledgers import LedgerError
from casegraph.graph.projection import from_ledgers
from casegraph.graph.writer import write_documents
from casegraph.ingest.ledger_ingest import ingest_ledger
from casegraph.ingest.readers import read_file
from casegraph.ingest.readers.account_opening import links_for
from casegraph.ingest.readers.ledger_stream import open_ledger
from casegraph.ingest.readers.limits import IngestLimits
from casegraph.ingest.readers.statement_headers import is_summary_row, number_in_text
from casegraph.ingest.resolution.document import document_props
from casegraph.ingest.resolution.ledger_accounts import account_node
from casegraph.model import ExtractedDocument
from casegraph.settings import Settings
from tests.conftest import FIXTURES
from tests.resolution_helpers import count, register_agencies
from tests.test_ledger_stream import POLICE, _reset

STYLES = FIXTURES / "ledgers" / "styles"
HELDOUT = FIXTURES / "ledgers" / "heldout"  # written before the code, read by it first at the end of session 9


def _expected(folder: Path) -> dict[str, set[tuple[object, ...]]]:
    return {name: {tuple(t) for t in want} for name, want in
            json.loads((folder / "expected.json").read_text(encoding="utf-8"))["files"].items()}


EXPECTED = _expected(STYLES)
ZHANG_ACCOUNT, ZHANG_CARD = "44050165010800001234", "6217003760001234567"
ZHOU_ACCOUNT, ZHOU_CARD = "8110701012345678901", "6217680012345678"


def _ingested(path: Path) -> set[tuple[object, ...]]:
    return {(t.from_account, t.to_account, t.amount, t.at[:10]) for batch in open_ledger(path).batches()
            for t in batch if t.from_account and t.to_account}


def _detected(paths: list[Path]) -> list[tuple[object, ...]]:
    from datetime import datetime

    from casegraph.graph.ledgers import CHINA_TZ

    return [(s.removeprefix("acct:"), d.removeprefix("acct:"), a["amount"],
             datetime.fromtimestamp(a["at"], CHINA_TZ).date().isoformat())
            for s, d, a in from_ledgers(paths).edges(data=True)]


@pytest.mark.parametrize(("folder", "name"), [(f, n) for f in (STYLES, HELDOUT) for n in sorted(_expected(f))])
def test_each_style_gives_its_transfers_in_both_readers(folder: Path, name: str) -> None:
    expected = _expected(folder)[name]
    assert _ingested(folder / name) == expected
    assert sorted(_detected([folder / name])) == sorted(expected)


def test_the_folder_read_whole_counts_each_transfer_once_with_cards_as_their_accounts() -> None:
    found = _detected(sorted(p for p in STYLES.iterdir() if p.name != "expected.json"))
    assert sorted(found) == sorted(set().union(*EXPECTED.values()))  # each once: no card left as its own account
    assert not any(ZHANG_CARD in t[:2] or ZHOU_CARD in t[:2] for t in found)


def test_without_the_opening_data_a_card_stays_its_own_number(tmp_path: Path) -> None:
    alone = tmp_path / "abc_memo_counterparty.csv"
    shutil.copy(STYLES / alone.name, alone)
    assert (ZHANG_CARD, "6228480012345678901", 3000.0, "2019-03-12") in _ingested(alone)
    links = links_for([STYLES / "abc_memo_counterparty.csv"])
    assert links.canonical(ZHANG_CARD) == ZHANG_ACCOUNT and links.cards_of(ZHANG_ACCOUNT) == [ZHANG_CARD]


def test_the_police_feedback_ties_its_card_to_its_account_row_by_row() -> None:
    """交易卡号 and 交易账号 side by side: the queried account is the account number in both readers."""
    police = FIXTURES / "ledgers" / "police_query_feedback_gbk.csv"
    assert {t[1] for t in _ingested(police) if t[0] == "6222020200112233446"} == {ZHANG_ACCOUNT}
    assert {t[0] for t in _detected([police])} >= {ZHANG_ACCOUNT}
    assert ZHANG_CARD not in {n for t in _detected([police]) for n in t[:2]}


def test_summary_lines_and_masked_or_partial_numbers_are_no_transfer() -> None:
    assert is_summary_row(["合计", "", "5,500.00"]) and is_summary_row(["", "共4笔"])
    assert is_summary_row(["本页合计"]) and not is_summary_row(["2019-03-12", "合计收入"])
    assert number_in_text("跨行转出 李四 6222 0202 0011 2233 446") == ("6222020200112233446", "李四")
    assert number_in_text("转账 6228****8901") is None and number_in_text("2024-03-05 10:00:00") is None
    stream = open_ledger(STYLES / "ccb_signed_merged.xlsx")
    assert len([t for batch in stream.batches() for t in batch]) == 3  # no 总计 row, the masked one kept as no transfer
    assert any("masked" in w for w in stream.warnings)


def test_a_broken_xls_is_refused_with_its_reason_by_both_readers(tmp_path: Path) -> None:
    broken = tmp_path / "truncated.xls"
    broken.write_bytes((STYLES / "citic_feedback.xls").read_bytes()[:1500])
    with pytest.raises(UnreadableFile, match=r"\.xls"):
        open_ledger(broken)
    with pytest.raises(UnreadableFile, match=r"\.xls"):
        read_file(broken)
    with pytest.raises(LedgerError, match="XLS"):
        from_ledgers([broken])
    with pytest.raises(UnreadableFile, match="over the cap"):  # the sheet's row count, before any row is read
        open_ledger(STYLES / "citic_feedback.xls", limits=IngestLimits(ledger_rows=2))
    xlsx_named_xls = tmp_path / "mislabelled.xls"
    shutil.copy(STYLES / "ccb_signed_merged.xlsx", xlsx_named_xls)
    with pytest.raises(UnreadableFile, match=r"\.xls"):
        open_ledger(xlsx_named_xls)


def test_the_whole_file_reader_reads_xls_like_the_stream() -> None:
    result = read_file(STYLES / "citic_feedback.xls")
    assert result.format == "xls"
    assert {(t.from_account, t.to_account, t.amount) for t in result.transactions if t.to_account} == \
        {(a, b, amount) for a, b, amount, _ in EXPECTED["citic_feedback.xls"]}
    assert (ZHOU_ACCOUNT, "", 50.0) in {(t.from_account, t.to_account, t.amount) for t in result.transactions}


def test_ingest_writes_one_account_with_its_card_and_the_opening_holder(driver: Driver, neo4j_settings: Settings,
                                                                       tmp_path: Path) -> None:
    db = neo4j_settings.neo4j_database
    _reset(driver, db)
    register_agencies(driver, db)
    for name in ("citic_feedback.xls", "icbc_debit_credit_gbk.csv"):
        ingest_ledger(driver, db, STYLES / name, POLICE, "shared", [], [])
    records, _, _ = driver.execute_query(
        "MATCH (a:Account) WHERE a.key IN $keys OPTIONAL MATCH (h)-[r:HOLDS]->(a) "
        "RETURN a.key AS key, a.aliases AS aliases, h.key AS holder, size(r.sources) AS sources",
        keys=[f"acct:{n}" for n in (ZHOU_ACCOUNT, ZHOU_CARD, ZHANG_ACCOUNT, ZHANG_CARD)], database_=db)
    found = {r["key"]: (r["aliases"], r["holder"], r["sources"]) for r in records}
    assert found[f"acct:{ZHOU_ACCOUNT}"] == ([ZHOU_CARD], "ric:110105199009092014", 1)
    # the 工行 statement names 张三 by his account number; his opening file beside it gives card and holder
    assert found[f"acct:{ZHANG_ACCOUNT}"] == ([ZHANG_CARD], "ric:440102198505051230", 1)
    assert f"acct:{ZHOU_CARD}" not in found and f"acct:{ZHANG_CARD}" not in found
    # the 2,000 from 周九's card (中信) and from his account number (工行) are one transfer
    shared, _, _ = driver.execute_query(
        "MATCH (:Account {key: $a})-[r:TRANSFERRED]->(:Account {key: $b}) RETURN size(r.sources) AS n",
        a=f"acct:{ZHOU_ACCOUNT}", b="acct:6222020200112233446", database_=db)
    assert [r["n"] for r in shared] == [2]


def test_a_card_seen_before_or_after_its_opening_data_leads_to_its_account(driver: Driver, neo4j_settings: Settings,
                                                                          tmp_path: Path) -> None:
    """A statement read without the opening data writes the card as its own account; the opening file,
    ingested later, merges that node into the account's and leaves the card as its alias, so that a
    statement read after it, again without the opening data, writes to the account."""
    db = neo4j_settings.neo4j_database
    _reset(driver, db)
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    shutil.copy(STYLES / "abc_memo_counterparty.csv", before)
    shutil.copy(STYLES / "ccb_signed_merged.xlsx", after)
    ingest_ledger(driver, db, before / "abc_memo_counterparty.csv", POLICE, "shared", [], [])
    ingest_ledger(driver, db, STYLES / "开户信息_张三.csv", POLICE, "shared", [], [])
    ingest_ledger(driver, db, after / "ccb_signed_merged.xlsx", POLICE, "shared", [], [])
    records, _, _ = driver.execute_query(
        "MATCH (a:Account)-[r:TRANSFERRED]-(b:Account) WHERE a.key IN $keys "
        "RETURN a.key AS key, a.aliases AS aliases, a.number AS number, b.key AS other, r.amount AS amount",
        keys=[f"acct:{ZHANG_ACCOUNT}", f"acct:{ZHANG_CARD}"], database_=db)
    assert {(r["key"], r["other"], r["amount"]) for r in records} == {
        (f"acct:{ZHANG_ACCOUNT}", "acct:6228480012345678901", 3000.0),
        (f"acct:{ZHANG_ACCOUNT}", "acct:6217000003000003", 2000.0)}
    assert {(tuple(r["aliases"]), r["number"]) for r in records} == {((ZHANG_CARD,), ZHANG_ACCOUNT)}
    # a case file naming the card (as the resolver writes its mention): the mention lands on the account
    register_agencies(driver, db)
    doc = document_props(ExtractedDocument("note.txt", "ab" * 32, "", kind="police_filing"), POLICE, "shared", [])
    card = NodeRow("Account", *account_node(ZHANG_CARD))
    write_documents(driver, db, [DocumentFacts(document=doc, nodes=[card], rels=[
        RelRow("MENTIONED_IN", "Account", card.key, "Document", str(doc["key"]), "", {"start": 0, "end": 19})])])
    assert count(driver, db, "MATCH (a:Account {key: $k}) RETURN count(a)", k=f"acct:{ZHANG_CARD}") == 0
    assert count(driver, db, "MATCH (a:Account {key: $k, number: $n})-[:MENTIONED_IN]->(:Document {filename: "
                             "'note.txt'}) RETURN count(a)", k=f"acct:{ZHANG_ACCOUNT}", n=ZHANG_ACCOUNT) == 1


def test_amounts_in_fen_as_payment_companies_give_them(tmp_path: Path) -> None:
    """财付通's feedback writes 交易金额(分): 12345 is 123.45 yuan, in both readers."""
    path = tmp_path / "tenpay_feedback.csv"
    path.write_text("交易卡号,借贷类型,交易时间,交易金额(分),账户余额(分),对手侧银行卡号\n"
                    "6222020200112233446,出,2019-03-12 10:00:00,12345,100000,6228480012345678901\n"
                    "6222020200112233446,入,2019-03-13 10:00:00,99,100099,6217000003000003\n", encoding="utf-8")
    expected = {("6222020200112233446", "6228480012345678901", 123.45, "2019-03-12"),
                ("6217000003000003", "6222020200112233446", 0.99, "2019-03-13")}
    assert _ingested(path) == expected
    assert sorted(_detected([path])) == sorted(expected)


def test_a_file_named_as_account_data_that_holds_a_statement_is_read_as_one(tmp_path: Path) -> None:
    """账户信息及交易明细.xls: the opening sheet and the transactions in one file named after the first."""
    both = tmp_path / "账户信息及交易明细.xls"
    shutil.copy(STYLES / "citic_feedback.xls", both)
    assert _ingested(both) == EXPECTED["citic_feedback.xls"]
    assert sorted(_detected([both])) == sorted(EXPECTED["citic_feedback.xls"])
    empty = tmp_path / "开户信息.csv"
    empty.write_text("说明\n本次查询无结果\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="no recognised ledger header"):
        open_ledger(empty)
