"""Shapes of bank export: 万元, 进/出 flags, GBK with a title line, split columns, epoch times, AMLSim's
payer/payee table found by its header names, and one transfer in two statements counted once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from casegraph.graph.ledgers import CHINA_TZ, parse_timestamp
from casegraph.graph.projection import from_ledgers

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
