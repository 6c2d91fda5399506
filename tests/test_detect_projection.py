"""The projection builders: records in, ledgers in (both layouts, dedupe, explicit mapping), clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from casegraph.graph.ledgers import LedgerError, parse_column_mapping, parse_timestamp
from casegraph.graph.projection import ProjectionError, from_ledgers, from_records, to_epoch

HEADER_A = "交易日期,交易时间,本方账号,本方户名,对方账号,对方户名,交易金额,借贷标志,余额,摘要,交易流水号"


def write(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_from_records_keys_like_networkx() -> None:
    edges = [{"from": "acct:1", "to": "acct:2", "type": "TRANSFERRED", "amount": n, "at": float(n)}
             for n in range(3)]
    g = from_records([], edges)
    assert sorted(g.edges(keys=True)) == [("acct:1", "acct:2", k) for k in range(3)]
    assert g.pred["acct:2"]["acct:1"][2]["amount"] == 2.0 and g.in_degree("acct:2") == 3
    assert g.number_of_nodes() == 2 and list(g.successors("acct:2")) == []


def test_from_records_types_times_and_missing_endpoints() -> None:
    g = from_records(
        [{"key": "ric:500103199001010011", "type": "Person", "name": "张伟", "regions": "CQ"}],
        [{"from": "ric:500103199001010011", "to": "acct:6222", "type": "HOLDS", "sources": "doc:1"},
         {"from": "acct:6222", "to": "acct:6223", "type": "TRANSFERRED", "amount": "100.5",
          "at": "2023-03-05T14:00:00", "tx_id": "X1", "sources": ["a.csv#row2"]}])
    assert g.nodes["ric:500103199001010011"]["regions"] == ["CQ"]
    assert g.nodes["acct:6223"]["type"] == "Account" and g.nodes["acct:6223"]["number"] == "6223"
    data = next(d for _, _, d in g.edges(data=True) if d["type"] == "TRANSFERRED")
    assert data["amount"] == 100.5 and data["at"] == to_epoch("2023-03-05T14:00:00+08:00")
    assert next(d for _, _, d in g.edges(data=True) if d["type"] == "HOLDS")["sources"] == ["doc:1"]


@pytest.mark.parametrize("edge", [
    {"from": "acct:1", "to": "acct:2", "type": "TRANSFERRED", "amount": 5},  # no time
    {"from": "acct:1", "to": "acct:2", "type": "KNOWS"},
    {"from": "acct:1", "type": "HOLDS"},
    {"from": "weird-key", "to": "acct:2", "type": "HOLDS"},
])
def test_from_records_rejects_bad_edges(edge: dict) -> None:
    with pytest.raises(ProjectionError):
        from_records([], [edge])


def test_ledger_flagged_amounts_and_dedupe_across_banks(tmp_path: Path) -> None:
    own = write(tmp_path / "a.csv", ["某银行账户交易明细", HEADER_A,
        "2023-03-05,14:22:01,6222000000000001,张伟,6222000000000002,李强,50000.00,借,1000,转账,TX001",
        "2023-03-06,09:00:00,6222000000000001,张伟,6222000000000009,王五,\"1,200.00\",贷,2200,货款,TX002"])
    other = write(tmp_path / "b.csv", [HEADER_A,
        "2023-03-05,14:22:01,6222000000000002,李强,6222000000000001,张伟,50000.00,贷,50000,转账,TX001"],
        encoding="gb18030")
    g = from_ledgers([own, other])
    transfers = sorted((u, v, d["amount"], d["tx_id"], len(d["sources"])) for u, v, d in g.edges(data=True))
    assert transfers == [("acct:6222000000000001", "acct:6222000000000002", 50000.0, "TX001", 2),
                         ("acct:6222000000000009", "acct:6222000000000001", 1200.0, "TX002", 1)]
    assert g.nodes["acct:6222000000000009"]["type"] == "Account"


def test_ledger_split_columns_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["交易时间", "账号", "对方账号", "对方户名", "收入金额", "支出金额", "余额", "摘要"])
    sheet.append(["2023-03-05 10:00:00", "6217000000000001", "6217000000000002", "赵六", None, 300.0, 1, "x"])
    sheet.append(["2023-03-05 11:00:00", "6217000000000001", "6217000000000003", "钱七", 800.0, None, 2, "y"])
    book.save(tmp_path / "c.xlsx")
    g = from_ledgers([tmp_path / "c.xlsx"])
    pairs = sorted((u, v, d["amount"]) for u, v, d in g.edges(data=True))
    assert pairs == [("acct:6217000000000001", "acct:6217000000000002", 300.0),
                     ("acct:6217000000000003", "acct:6217000000000001", 800.0)]
    # without a tx id the same row twice is one transfer
    g2 = from_ledgers([tmp_path / "c.xlsx", tmp_path / "c.xlsx"])
    assert g2.number_of_edges() == 2


def test_explicit_mapping_wins(tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv",
                 ["付款,收款,金额,时间", "111,222,10,2023/3/5 08:00", "222,333,9.5,2023/3/5 09:00"])
    with pytest.raises(LedgerError, match="no statement header"):
        from_ledgers([path])
    g = from_ledgers([path], parse_column_mapping("from=付款,to=收款,amount=金额,time=时间"))
    assert sorted((u, v) for u, v in g.edges()) == [("acct:111", "acct:222"), ("acct:222", "acct:333")]


def test_mapping_and_time_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="needs from, to, amount and time"):
        parse_column_mapping("from=a,to=b")
    with pytest.raises(LedgerError, match="unknown column mapping key"):
        parse_column_mapping("payer=a,to=b,amount=c,time=d")
    with pytest.raises(LedgerError, match="no such ledger"):
        from_ledgers([tmp_path / "missing.csv"])
    bad = write(tmp_path / "bad.csv", [HEADER_A, "yesterday,,1,a,2,b,5,借,0,x,T1"])
    with pytest.raises(LedgerError, match="row 2"):
        from_ledgers([bad])
    assert parse_timestamp("2023年3月5日", "142201") == parse_timestamp("2023-03-05", "14:22:01")
