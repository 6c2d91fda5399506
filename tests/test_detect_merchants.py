"""Shops' one-off customers are business, a burst of one-off payers is a fan; slow cycles among them."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from casegraph.cli import app
from casegraph.detect.merchants import burst_p_value, merchant_like
from casegraph.detect.one_off import branching_factor
from casegraph.detect.transfers import Transfer

START = date(2023, 1, 1)
COLUMNS = "from=orig_acct,to=bene_acct,amount=base_amt,time=tran_timestamp"
DAY = 86400.0


def test_burst_p_value_tells_a_burst_from_a_steady_stream() -> None:
    rng = random.Random(5)
    steady = [rng.uniform(0, 180) * DAY for _ in range(120)]
    burst = [(100 + rng.uniform(0, 12)) * DAY for _ in range(8)]
    assert burst_p_value(steady, 0, 180 * DAY, DAY) > 0.2
    assert burst_p_value(burst, 0, 180 * DAY, DAY) < 1e-3
    assert burst_p_value(burst[:1], 0, 180 * DAY, DAY) == 1.0


def test_merchant_like_needs_a_majority_and_a_steady_pace() -> None:
    rng = random.Random(6)
    sides = {"shop": [rng.uniform(0, 180) * DAY for _ in range(100)],
             "fan": [(60 + rng.uniform(0, 15)) * DAY for _ in range(8)],
             "busy": [rng.uniform(0, 180) * DAY for _ in range(5)]}
    counterparties = {"shop": 104, "fan": 11, "busy": 30}
    lives = dict.fromkeys(sides, (0.0, 180 * DAY))
    assert merchant_like(sides, counterparties, lives, DAY, 0.2) == {"shop"}


def test_branching_factor_counts_only_accounts_that_receive_and_pay() -> None:
    def tx(src: str, dst: str) -> Transfer:
        return Transfer(0.0, src, dst, 1.0, 0, None)

    shop = [tx(f"c{i}", "shop") for i in range(50)]
    assert branching_factor(shop) == 0.0
    cycle = [tx("a", "b"), tx("b", "c"), tx("c", "a")]
    assert branching_factor(cycle) == 1.0
    assert branching_factor(shop + cycle) < 0.1


def shop_street(tmp_path: Path, seed: int = 8) -> Path:
    """150 busy accounts paying 2-4 standing partners all year on whole days; 4 shops each paid once
    by 60-90 customers spread over the year; one fan-in of 8 busy payers in 15 days; one 5-cycle
    whose hops are 1-3 days apart (longer than any one-day window), each keeping 90-99 %."""
    rng = random.Random(seed)
    lines = ["tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp"]

    def row(src: int, dst: int, amount: float, day: float) -> None:
        lines.append(f"{len(lines)},{src},{dst},TRANSFER,{amount:.2f},{START + timedelta(days=int(day))}")

    accounts = list(range(1000, 1150))
    for src in accounts:
        for dst in rng.sample([a for a in accounts if a != src], rng.randrange(2, 5)):
            every = rng.uniform(7, 30)
            day = rng.uniform(0, every)
            while day < 360:
                row(src, dst, rng.uniform(30, 90), day)
                day += every
    for shop in (2000, 2001, 2002, 2003):
        for customer in rng.sample(accounts, rng.randrange(60, 90)):
            row(customer, shop, rng.uniform(5, 40), rng.uniform(0, 360))
    for payer in rng.sample(accounts[10:], 8):
        row(payer, 1003, rng.uniform(40, 60), 200 + rng.uniform(0, 15))
    amount, day = 500.0, 100.0
    for hop, src in enumerate((1005, 1006, 1007, 1008, 1009)):
        amount *= rng.uniform(0.9, 0.99)
        day += rng.uniform(1, 3)
        row(src, (1005, 1006, 1007, 1008, 1009)[(hop + 1) % 5], amount, day)
    ledger = tmp_path / "transactions.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ledger


def test_shops_are_no_fans_and_a_busy_accounts_fan_and_slow_cycle_are_found(tmp_path: Path) -> None:
    ledger = shop_street(tmp_path)
    result = CliRunner().invoke(app, ["detect", "rings", "--ledger", str(ledger), "--columns", COLUMNS,
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    above = [r for r in report["rings"] if r["score"] > report["threshold"]]
    keys = [{m["key"].rsplit(":", 1)[-1] for m in r["members"]} for r in above]
    assert not any(shop in ring for ring in keys for shop in ("2000", "2001", "2002", "2003")), keys
    assert any("1003" in ring and len(ring) == 9 for ring in keys), keys
    assert {"1005", "1006", "1007", "1008", "1009"} in keys, keys
    assert len(above) == 2, keys
