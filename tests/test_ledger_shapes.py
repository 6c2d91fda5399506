"""Shapes of bank export: 万元, 进/出 flags, GBK with a title line, split columns, epoch times, AMLSim's
payer/payee table found by its header names, and one transfer in two statements counted once; the
police's bank-query feedback and a personal statement read alike by the ingest and detection readers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from casegraph.graph.ledgers import CHINA_TZ, LedgerError, parse_timestamp
from casegraph.graph.projection import from_ledgers
from casegraph.ingest.readers.ledger_stream import open_ledger
from casegraph.ingest.readers.statement_headers import flag_is_out, match_fields
from casegraph.ingest.resolution.ledger_accounts import LedgerAccounts
from casegraph.model import Transaction

SAMPLES = Path(__file__).parent / "fixtures" / "ledgers"
A, B, C = "acct:6222021001000001", "acct:6228480002000002", "acct:6217000003000003"


def _edges(paths: list[Path]) -> dict[tuple[str, str, float], dict[str, object]]:
    graph = from_ledgers(paths)
    return {(src, dst, round(data["amount"], 2)): data for src, dst, data in graph.edges(data=True)}


def test_statements_in_wanyuan_with_flags_and_split_columns_count_a_shared_transfer_once() -> None:
    edges = _edges([SAMPLES / "statement_a_wanyuan_gbk.csv", SAMPLES / "statement_b_split_utf8.csv"])
    assert set(edges) == {(A, B, 125_000.0), (C, A, 10_000_000.0), (B, C, 32_500.0)}  # no cash row
    shared = edges[(A, B, 125_000.0)]
    assert len(shared["sources"]) == 2  # type: ignore[arg-type]  # in both statements, counted once
    assert shared["at"] == datetime(2024, 3, 5, 9, 12, tzinfo=CHINA_TZ).timestamp()


def test_payer_payee_table_with_epoch_times_needs_no_mapping() -> None:
    edges = _edges([SAMPLES / "table_epoch.csv"])
    assert set(edges) == {(C, A, 150.0), (C, B, 99.5)}
    assert edges[(C, A, 150.0)]["at"] == 1709856000.0
    assert edges[(C, B, 99.5)]["at"] == 1709942400.0  # milliseconds read as such


def test_epoch_numbers_and_dates_are_told_apart() -> None:
    assert parse_timestamp(1709856000) == 1709856000.0
    assert parse_timestamp("1709856000000") == 1709856000.0
    assert parse_timestamp("20240308") == datetime(2024, 3, 8, tzinfo=CHINA_TZ).timestamp()


def _shared_once(paths: list[Path], payer: str, payee: str, amount: float) -> dict[tuple[str, str, float], int]:
    graph = from_ledgers(paths)
    found = {(src, dst, round(data["amount"], 2)): len(data["sources"]) for src, dst, data in graph.edges(data=True)}
    assert found[(payer, payee, amount)] == 2  # in both statements, counted once
    return found


def test_signed_amounts_and_debit_credit_columns_in_two_banks_statements(tmp_path: Path) -> None:
    """Bank 1 writes one signed amount column (UTF-8 with a BOM, a title line, date and time in one
    column); bank 2 splits 借方发生额 / 贷方发生额 (GBK, the date alone). The A->B transfer is in both."""
    signed = tmp_path / "bank1_signed.csv"
    signed.write_text("\ufeff账户交易明细（2024年3月）\n"
                      "交易时间,本方账号,对方账号,交易金额,余额,摘要,交易流水号\n"
                      "2024-03-05 09:12:00,6222021001000001,6228480002000002,\"-1,250.00\",8750.00,货款,S1\n"
                      "2024-03-06 11:00:00,6222021001000001,6217000003000003,+300.00,9050.00,退款,S2\n",
                      encoding="utf-8")
    split = tmp_path / "bank2_debit_credit.csv"
    split.write_bytes(("交易明细查询反馈\n"
                       "交易日期,本方账号,对方账号,借方发生额,贷方发生额,余额,交易流水号\n"
                       "20240305,6228480002000002,6222021001000001,,\"1,250.00\",2250.00,S1\n"
                       "20240307,6228480002000002,6217000003000003,80.00,,2170.00,S3\n").encode("gbk"))
    found = _shared_once([signed, split], A, B, 1250.0)
    assert set(found) == {(A, B, 1250.0), (C, A, 300.0), (B, C, 80.0)}
    unsigned = tmp_path / "bank4_unsigned.csv"  # no flag and no sign anywhere: refused, not guessed
    unsigned.write_text("交易日期,本方账号,对方账号,交易金额\n2024-03-05,6222021001000001,6228480002000002,5.00\n",
                        encoding="utf-8")
    with pytest.raises(LedgerError, match="unsigned amount"):
        from_ledgers([unsigned])


def test_xlsx_statement_with_title_rows_reads_like_its_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["中国农业银行 账户交易明细"])
    sheet.append(["查询期间：2024-03-01 至 2024-03-31"])
    sheet.append(["交易日期", "交易时间", "本方账号", "对方账号", "交易金额", "借贷标志", "交易流水号"])
    sheet.append(["2024-03-05", "09:12:00", "6228480002000002", "6222021001000001", 1250, "贷", "S1"])
    sheet.append([datetime(2024, 3, 8), None, "6228480002000002", "6217000003000003", "2,000.00", "借", "S4"])
    path = tmp_path / "bank3.xlsx"
    book.save(path)
    other = tmp_path / "bank1.csv"
    other.write_text("交易日期,本方账号,对方账号,交易金额,借贷标志,交易流水号\n"
                     "2024-03-05,6222021001000001,6228480002000002,1250.00,借,S1\n", encoding="utf-8")
    found = _shared_once([path, other], A, B, 1250.0)
    assert set(found) == {(A, B, 1250.0), (B, C, 2000.0)}


POLICE_FEEDBACK = SAMPLES / "police_query_feedback_gbk.csv"
PERSONAL = SAMPLES / "personal_statement_title_account.csv"
ZHANG, LI, WANG = "6217003760001234567", "6222020200112233446", "6228480012345678901"


def _ingest_transfers(path: Path) -> set[tuple[str, str, float, str]]:
    stream = open_ledger(path)
    return {(t.from_account, t.to_account, t.amount, t.at[:10]) for batch in stream.batches() for t in batch
            if t.from_account and t.to_account}


def test_the_police_feedback_layout_reads_the_same_in_both_readers() -> None:
    """交易时间 holds the whole date-time, the counter account is 交易对手账卡号, a refused transfer
    (交易是否成功 = 失败) moved no money, a cash withdrawal has no counter account. 交易卡号 and 交易账号 side by
    side: the queried account is written as its account number."""
    zhang = "44050165010800001234"
    expected = {(LI, zhang, 5000.0, "2019-03-12"), (zhang, WANG, 3000.0, "2019-03-12")}
    assert _ingest_transfers(POLICE_FEEDBACK) == expected
    edges = _edges([POLICE_FEEDBACK])
    assert {(s.removeprefix("acct:"), d.removeprefix("acct:"), a) for s, d, a in edges} == \
        {(p, q, a) for p, q, a, _ in expected}
    assert edges[(f"acct:{LI}", f"acct:{zhang}", 5000.0)]["at"] == \
        datetime(2019, 3, 12, 10, 15, 30, tzinfo=CHINA_TZ).timestamp()
    stream = open_ledger(POLICE_FEEDBACK)
    rows = [t for batch in stream.batches() for t in batch]
    assert [t.holder_name for t in rows] == ["张三"] * 3
    assert any("失败" in w for w in stream.warnings)


def test_a_personal_statement_with_its_account_in_the_title_lines() -> None:
    expected = {(LI, ZHANG, 5000.0, "2019-03-12"), ("6228480012345670000", LI, 1000.0, "2019-03-14")}
    assert _ingest_transfers(PERSONAL) == expected
    assert {(s.removeprefix("acct:"), d.removeprefix("acct:"), a) for s, d, a in _edges([PERSONAL])} == \
        {(p, q, a) for p, q, a, _ in expected}
    assert {t.holder_name for batch in open_ledger(PERSONAL).batches() for t in batch} == {"李四"}


@pytest.mark.parametrize(("flag", "out"), [("出", True), ("进", False), ("转出", True), ("转入", False),
                                           ("借", True), ("贷方", False), ("支出", True), ("收入", False),
                                           ("付款", True), ("DR", True), ("C", False), ("", None), ("其他", None)])
def test_debit_credit_flags_as_banks_write_them(flag: str, out: bool | None) -> None:
    assert flag_is_out(flag) is out


def test_header_words_in_their_variants() -> None:
    fields = match_fields(["交易日期", "本方帐号", "对方帐号", "交易金额(元)", "借贷标志", "交易状态"])
    assert fields == {"date": 0, "account": 1, "counterparty_account": 2, "amount": 3, "direction": 4, "status": 5}
    assert match_fields(["交易卡号", "交易时间", "交易对手账卡号", "交易金额", "收付标志"])["datetime"] == 1


def test_the_statement_sheet_is_found_behind_an_account_details_sheet(tmp_path: Path) -> None:
    """Bank exports often open with 开户信息 (the account's details) and put the rows in 交易明细."""
    from openpyxl import Workbook

    book = Workbook()
    details = book.active
    assert details is not None
    details.title = "开户信息"
    details.append(["账号", "户名", "证件号码", "开户行", "开户日期"])
    details.append([LI, "李四", "440102198102021234", "中国工商银行广州天河支行", "2015-06-01"])
    rows = book.create_sheet("交易明细")
    rows.append(["交易卡号", "交易时间", "交易金额", "收付标志", "交易对手账卡号", "对手户名", "交易是否成功"])
    rows.append([LI, "2019-03-12 10:15:30", "5,000.00", "出", ZHANG, "张三", "成功"])
    rows.append([LI, "2019-03-14 08:00:00", "1,000.00", "进", WANG, "王五", "成功"])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    expected = {(LI, ZHANG, 5000.0, "2019-03-12"), (WANG, LI, 1000.0, "2019-03-14")}
    assert _ingest_transfers(path) == expected
    assert {(s.removeprefix("acct:"), d.removeprefix("acct:"), a) for s, d, a in _edges([path])} == \
        {(p, q, a) for p, q, a, _ in expected}


def test_a_flag_column_named_with_a_slash_gives_each_row_its_direction(tmp_path: Path) -> None:
    """收/支 (the generator's own header) was taken for no flag by the ingest reader, which then read
    every unsigned amount as an inflow."""
    path = tmp_path / "shouzhi.csv"
    path.write_text("交易日期,交易时间,本方账号,收/支,交易金额,对方账号\n"
                    f"2022/1/15,14:40:22,{LI},支,2907.30,{ZHANG}\n2022/3/13,18:31:09,{LI},收,198.68,{ZHANG}\n",
                    encoding="utf-8")
    assert _ingest_transfers(path) == {(LI, ZHANG, 2907.3, "2022-01-15"), (ZHANG, LI, 198.68, "2022-03-13")}
    assert {(s.removeprefix("acct:"), d.removeprefix("acct:"), a) for s, d, a in _edges([path])} == \
        {(LI, ZHANG, 2907.3), (ZHANG, LI, 198.68)}


def test_one_transfer_in_two_banks_statements_with_their_own_serials_is_counted_once(tmp_path: Path) -> None:
    """The payer's bank and the payee's bank number the same transfer differently; two equal transfers
    on one day stay two, and an equal serial in unrelated statements joins nothing."""
    payer = tmp_path / "payer_bank.csv"
    payer.write_text("交易时间,本方账号,对方账号,交易金额,借贷标志,交易流水号\n"
                     f"2024-03-05 09:12:00,{LI},{ZHANG},500.00,借,ICBC0001\n"
                     f"2024-03-05 09:13:00,{LI},{ZHANG},500.00,借,ICBC0002\n"
                     f"2024-03-06 10:00:00,{LI},{WANG},80.00,借,1\n", encoding="utf-8")
    payee = tmp_path / "payee_bank.csv"
    payee.write_text("交易日期,交易时间,本方账号,对方账号,交易金额,借贷标志,交易序号\n"
                     f"2024-03-05,09:12:03,{ZHANG},{LI},500.00,贷,1\n"
                     f"2024-03-05,09:13:02,{ZHANG},{LI},500.00,贷,2\n"
                     f"2024-03-07,11:00:00,{ZHANG},{WANG},80.00,借,3\n", encoding="utf-8")
    graph = from_ledgers([payer, payee])
    pairs = sorted((s, d, data["amount"], len(data["sources"])) for s, d, data in graph.edges(data=True))
    assert pairs == sorted([(f"acct:{LI}", f"acct:{WANG}", 80.0, 1), (f"acct:{LI}", f"acct:{ZHANG}", 500.0, 2),
                            (f"acct:{LI}", f"acct:{ZHANG}", 500.0, 2), (f"acct:{ZHANG}", f"acct:{WANG}", 80.0, 1)])
    # ingest writes each statement's transfers with the identity a MERGE meets the other's by
    shared = set(_fids(payer)) & set(_fids(payee))
    assert len(shared) == 2 and all(f.startswith(f"{LI}>{ZHANG}|50000|2024-03-05|") for f in shared)
    # one bank's feedback file holding both accounts' statements: still once each
    both = tmp_path / "one_bank_two_accounts.csv"
    both.write_text(payer.read_text(encoding="utf-8") + "\n".join(
        f"2024-03-05 {clock},{ZHANG},{LI},500.00,贷,X{n}" for n, clock in enumerate(("09:12:03", "09:13:02"))) + "\n",
        encoding="utf-8")
    assert sorted(len(d["sources"]) for _, _, d in from_ledgers([both]).edges(data=True)) == [1, 2, 2]
    assert len(set(_fids(both))) == 3


def _fids(path: Path) -> list[str]:
    accounts = LedgerAccounts()
    return [row.fid for batch in open_ledger(path).batches() for row in accounts.add(batch)]


def test_a_file_of_statements_one_after_another_keeps_each_transfers_order_over_many_days() -> None:
    """A bank's file lists one account's month, then the next account's: the days come back, and a
    transfer between the two still gets the same identity from both statements."""
    accounts = LedgerAccounts()
    rows = [Transaction(LI, ZHANG, 100.0, f"2024-03-{day:02d}T10:00:00", n, own_account=LI)
            for n, day in enumerate(range(1, 11), start=1)]
    rows += [Transaction(LI, ZHANG, 100.0, f"2024-03-{day:02d}T10:00:05", 20 + day, own_account=ZHANG)
             for day in range(1, 11)]
    fids = [row.fid for row in accounts.add(rows)]
    assert len(set(fids)) == 10 and fids[:10] == fids[10:]
