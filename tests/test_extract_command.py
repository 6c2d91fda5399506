"""The extract command's JSON contract and the evaluation on the hand-written gold set."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from casegraph.cli import app
from casegraph.ingest.evaluate import evaluate

GOLD = Path(__file__).parent / "gold" / "truth.json"
runner = CliRunner()


def test_extract_jsonl_contract_and_broken_files_do_not_stop_the_batch(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("起诉书\n川检刑诉〔2022〕17号\n被告人张某某，男，涉嫌集资诈骗罪，非法吸收资金35万元。", encoding="gb18030")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [Path(r["doc"]).name for r in records] == ["a.txt", "b.txt", "c.pdf"]
    text = good.read_bytes().decode("gb18030")
    first = records[0]
    assert first["errors"] == [] and first["entities"]
    for entity in first["entities"]:
        assert set(entity) >= {"type", "text", "start", "end", "normalized"}
        assert text[entity["start"]:entity["end"]] == entity["text"]
    assert {r["type"] for r in first["relations"]} == {"ROLE_IN"}
    assert records[1]["errors"] == ["empty file"]
    assert records[2]["errors"] and "PDF" in records[2]["errors"][0]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "xml"])
    assert result.exit_code != 0


def test_gold_set_reaches_its_measured_scores() -> None:
    report = evaluate(GOLD)
    assert report.documents >= 30 and not report.unexpected_errors
    for entity_type in ("ID_NUMBER", "USCC", "BANK_ACCOUNT", "PHONE", "MONEY", "DATE", "CASE_NUMBER", "CHARGE",
                        "ADDRESS", "ORG"):
        assert report.entities[entity_type].f1 >= 0.97, entity_type
    assert report.entities["PERSON"].f1 >= 0.95
    assert report.micro(report.relations).f1 >= 0.95


def test_eval_command_prints_the_table() -> None:
    result = runner.invoke(app, ["eval", "extraction", "--gold", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "PERSON" in result.output and "ROLE_IN" in result.output
