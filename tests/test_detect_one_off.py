"""One-off fans and cycles among busy accounts, and `eval rings` against AMLSim-style group truth."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from casegraph.cli import app
from casegraph.detect.group_truth import evaluate_groups, load_group_truth
from casegraph.detect.one_off import binomial_tail, fdr_select

START = date(2017, 1, 1)
COLUMNS = "from=orig_acct,to=bene_acct,amount=base_amt,time=tran_timestamp"


def amlsim_like(tmp_path: Path, seed: int = 3) -> tuple[Path, Path]:
    """120 busy accounts paying their usual partners all year, whole-day timestamps, small amounts;
    one fan-in of 6 one-off payers spread over two months, and one 5-cycle of one-off transfers
    whose hops run out of time order. The label columns are there, as AMLSim writes them."""
    rng = random.Random(seed)
    lines = ["tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id"]

    def row(src: int, dst: int, amount: float, day: int, alert: int = -1) -> None:
        at = START + timedelta(days=day)
        lines.append(f"{len(lines)},{src},{dst},TRANSFER,{amount:.2f},{at}T00:00:00Z,{alert >= 0},{alert}")

    accounts = list(range(200, 320))
    for src in accounts:
        for dst in rng.sample([a for a in accounts if a != src], 3):
            for day in range(rng.randrange(10), 180, 10 + rng.randrange(10)):
                row(src, dst, rng.uniform(100, 1000), day)
    for n, payer in enumerate((201, 215, 230, 244, 260, 290)):  # busy payers, once each, 10 days apart
        row(payer, 250, rng.uniform(100, 200), 20 + 10 * n, alert=0)
    cycle = [205, 222, 238, 271, 303]
    for hop, day in zip(range(5), (40, 52, 44, 47, 41), strict=True):  # no time order, no amount match
        row(cycle[hop], cycle[(hop + 1) % 5], rng.uniform(100, 1000), day, alert=1)
    ledger = tmp_path / "transactions.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    truth = tmp_path / "truth_groups.csv"
    truth.write_text("alert_id,typology,reliable,members\n"
                     "0,fan_in,true,250;201;215;230;244;260;290\n"
                     f"1,cycle,true,{';'.join(map(str, cycle))}\n"
                     "2,stack,false,300;301;302\n", encoding="utf-8")
    return ledger, truth


def test_binomial_tail_and_fdr() -> None:
    assert binomial_tail(0, 10, 0.1) == 1.0
    assert abs(binomial_tail(1, 1, 0.25) - 0.25) < 1e-12
    assert abs(binomial_tail(2, 3, 0.5) - 0.5) < 1e-12
    picked = fdr_select({"a": 0.001, "b": 0.02, "c": 0.5}, tests=10, rate=0.2)
    assert picked == {"a", "b"}  # 0.02 <= 2 * 0.2 / 10; 0.5 > 3 * 0.2 / 10


def test_one_off_fan_and_cycle_found_among_busy_accounts(tmp_path: Path) -> None:
    ledger, truth = amlsim_like(tmp_path)
    result = CliRunner().invoke(app, ["detect", "rings", "--ledger", str(ledger), "--columns", COLUMNS,
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rings = json.loads(result.stdout)["rings"]
    by_members = {frozenset(m["key"].rsplit(":", 1)[-1] for m in r["members"]): r for r in rings}
    fan = by_members.get(frozenset({"250", "201", "215", "230", "244", "260", "290"}))
    cycle = by_members.get(frozenset({"205", "222", "238", "271", "303"}))
    assert fan is not None and "fan_in" in fan["typologies"], by_members.keys()
    assert cycle is not None and "cycle" in cycle["typologies"], by_members.keys()
    assert len(rings) == 2  # the busy background forms no ring
    centre = next(m for m in fan["members"] if m["key"].endswith("250"))
    assert "fan_in" in centre["parts"] and all("cycle" in m["parts"] for m in cycle["members"])
    groups = load_group_truth(truth)
    report = evaluate_groups(groups, rings, json.loads(result.stdout)["threshold"])
    assert report.per_typology == {"fan_in": (1, 1), "cycle": (1, 1)}
    assert report.precision == 1.0


def test_eval_rings_prints_per_typology_for_group_truth(tmp_path: Path) -> None:
    ledger, truth = amlsim_like(tmp_path)
    result = CliRunner().invoke(app, ["eval", "rings", "--truth", str(truth), "--ledger", str(ledger),
                                      "--columns", COLUMNS])
    assert result.exit_code == 0, result.output
    assert "fan_in           1 of 1" in result.stdout and "cycle            1 of 1" in result.stdout
    assert "recall: 1.000 (2/2 reliable groups)" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("id,members\n1,2;3\n", encoding="utf-8")
    failed = CliRunner().invoke(app, ["eval", "rings", "--truth", str(bad), "--ledger", str(ledger),
                                      "--columns", COLUMNS])
    assert failed.exit_code == 2 and "缺少列" in " ".join(failed.output.replace("│", " ").split())


def test_group_scoring_rules() -> None:
    from casegraph.detect.group_truth import TruthGroup

    groups = [TruthGroup("0", "fan_in", True, frozenset("abcd")), TruthGroup("1", "stack", False, frozenset("xyz"))]
    half = [{"score": 2.0, "members": [{"key": "acct:a"}, {"key": "b"}, {"key": "q"}]}]
    report = evaluate_groups(groups, half, 0.9)
    assert report.recovered == ["0 (fan_in)"] and report.hits == 1  # 2 of 4 is half; 2 of 3 lie in it
    unlabelled = [{"score": 2.0, "members": [{"key": "x"}, {"key": "y"}]},
                  {"score": 0.5, "members": [{"key": "a"}, {"key": "b"}, {"key": "c"}]}]
    report = evaluate_groups(groups, unlabelled, 0.9)
    assert report.missed == ["0 (fan_in)"] and report.precision == 1.0  # an unreliable group is no false alarm
