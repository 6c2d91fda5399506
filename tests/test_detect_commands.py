"""The `detect rings` and `eval rings` commands on a tiny ledger with one planted cycle and fan-in."""

from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casegraph.cli import app
from casegraph.detect.evaluation import aliases_from_mentions, document_keys, evaluate

HEADER = "交易日期,交易时间,本方账号,本方户名,对方账号,对方户名,交易金额,借贷标志,余额,摘要,交易流水号"
START = datetime(2023, 5, 1, 9, 0)


def planted_ledger(tmp_path: Path) -> Path:
    lines = [HEADER]
    serial = 0

    def row(at: datetime, payer: str, payee: str, amount: float) -> None:
        nonlocal serial
        serial += 1
        lines.append(f"{at:%Y-%m-%d},{at:%H:%M:%S},{payer},,{payee},,{amount:.2f},借,,转账,TX{serial:05d}")

    ring = ["6222000000000001", "6222000000000002", "6222000000000003"]
    for hop, payer in enumerate(ring):  # a cycle...
        row(START + timedelta(hours=6 * hop), payer, ring[(hop + 1) % 3], 300_000 - 1_000 * hop)
    for n in range(6):  # ...and a fan-in into its first account
        row(START + timedelta(days=2, hours=n), f"62170000000000{n:02d}", ring[0], 40_000)
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_detect_rings_json_reports_accounts_by_number(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["detect", "rings", "--ledger", str(planted_ledger(tmp_path))])
    assert result.exit_code == 0, result.output
    rings = json.loads(result.stdout)["rings"]
    assert len(rings) == 1
    assert {"id", "score", "typologies", "regions", "members"} <= rings[0].keys()
    assert set(rings[0]["typologies"]) >= {"cycle", "fan_in"}
    keys = {m["key"] for m in rings[0]["members"]}
    assert "6222000000000002" in keys and not any(k.startswith("acct:") for k in keys)


def test_detect_rings_without_ledger_reads_the_graph_and_says_when_it_is_down(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    # One retry is as real an outage as the default 30 s of them (a minute with the driver's backoff).
    monkeypatch.setenv("CASEGRAPH_NEO4J_RETRY_S", "1")
    result = CliRunner().invoke(app, ["detect", "rings"])
    assert result.exit_code == 1 and "Neo4j 在" in result.output and "无应答" in result.output


def test_eval_rings_counts_found_and_out_of_scope(tmp_path: Path) -> None:
    ledger = planted_ledger(tmp_path)
    members = [{"key": f"acct:622200000000000{n}", "type": "Account"} for n in (1, 2, 3)]
    truth = {"rings": [{"id": "R001", "members": members},
                       {"id": "R002", "members": [{"key": "ric:500103199001010011", "type": "Person"}]}],
             "decoys": []}
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "rings", "--truth", str(tmp_path / "truth.json"),
                                      "--ledger", str(ledger), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # the reported ring holds all 3 planted accounts but also 6 fan-in payers: 9 > 2 x 3
    assert report["out_of_scope"] == 1 and report["planted_rings"] == 1
    assert report["found"] == 0 and report["precision"] == 0.0
    bad = CliRunner().invoke(app, ["eval", "rings", "--truth", str(tmp_path / "missing.json"),
                                   "--ledger", str(ledger)])
    assert bad.exit_code != 0 and "不存在" in bad.output


def test_eval_rings_finds_the_whole_planted_ring(tmp_path: Path) -> None:
    ledger = planted_ledger(tmp_path)
    accounts = [f"622200000000000{n}" for n in (1, 2, 3)] + [f"62170000000000{n:02d}" for n in range(6)]
    def as_members(numbers: list[str]) -> list[dict[str, str]]:
        return [{"key": f"acct:{a}", "type": "Account"} for a in numbers]

    truth = {"rings": [{"id": "R001", "members": as_members(accounts)}],
             "decoys": [{"id": "D001", "kind": "salary_payments", "members": as_members(accounts[3:])}]}
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "rings", "--truth", str(tmp_path / "truth.json"),
                                      "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "recall: 1.000 (1/1)" in result.output and "precision: 1.000" in result.output
    # the "decoy" here is really inside the ring, so it is reported as flagged
    assert "decoys above threshold: 1 of 1 in scope (D001)" in result.output


def test_graph_nodes_count_as_the_truth_entity_their_mentions_denote(tmp_path: Path) -> None:
    """Two mention nodes of one unidentified person, aligned by span, are one ring member."""
    truth = {"persons": [{"id": "P1", "name": "李某", "ric": "510603199610188972"},
                         {"id": "P2", "name": "王某", "ric": "500107199306237262"}],
             "documents": [{"path": "a.txt", "mentions": [
                 {"type": "PERSON", "start": 0, "end": 3, "entity": "P1"},
                 {"type": "PERSON", "start": 10, "end": 13, "entity": "P2"}]}],
             "rings": [{"id": "R001", "members": [{"key": "ric:510603199610188972", "type": "Person"},
                                                  {"key": "ric:500107199306237262", "type": "Person"},
                                                  {"key": "acct:6222000000000001", "type": "Account"}]}]}
    (tmp_path / "a.txt").write_text("李帆鑫 ... 王倩与", encoding="utf-8")
    documents = document_keys(truth, tmp_path)
    [doc] = documents
    mentions = [(doc, "PERSON", 0, 3, "mention:aa:李帆鑫"), (doc, "PERSON", 1, 3, "mention:bb:李帆鑫"),
                (doc, "PERSON", 10, 12, "mention:aa:王倩"), (doc, "PERSON", 20, 22, "mention:aa:张三"),
                (doc, "ORG", 0, 3, "name:某公司")]
    aliases = aliases_from_mentions(truth, documents, mentions)
    assert aliases == {"mention:aa:李帆鑫": "ric:510603199610188972", "mention:bb:李帆鑫": "ric:510603199610188972",
                       "mention:aa:王倩": "ric:500107199306237262"}
    reported = [{"score": 2.0, "members": [{"key": "mention:aa:李帆鑫", "type": "Person"},
                                           {"key": "mention:bb:李帆鑫", "type": "Person"},
                                           {"key": "6222000000000001", "type": "Account"}]}]
    without = evaluate(truth, reported, 0.9, accounts_only=False)
    aligned = evaluate(truth, reported, 0.9, accounts_only=False, aliases=aliases)
    assert without.found == [] and without.correct == 0
    # 2 of the 3 members (the person once, the account): below 80 %, but half the ring is planted
    assert aligned.found == [] and aligned.correct == 1
    reported[0]["members"].append({"key": "mention:aa:王倩", "type": "Person"})
    assert evaluate(truth, reported, 0.9, accounts_only=False, aliases=aliases).found == ["R001"]
