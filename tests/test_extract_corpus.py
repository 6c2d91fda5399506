"""Extraction quality on the generated small corpus must not regress below the issue's targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from casegraph.ingest.evaluate import Report, evaluate

CORPUS = Path(__file__).parent / "fixtures" / "corpus_small" / "truth.json"
IDENTIFIER_LIKE = ("ID_NUMBER", "USCC", "BANK_ACCOUNT", "PHONE", "MONEY", "DATE", "CASE_NUMBER")
NAMED = ("PERSON", "ORG", "CHARGE", "ADDRESS")


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(CORPUS)


@pytest.mark.parametrize("entity_type", IDENTIFIER_LIKE)
def test_identifiers_money_dates_and_case_numbers_reach_0_98(report: Report, entity_type: str) -> None:
    score = report.entities[entity_type]
    assert score.tp > 0
    assert score.f1 >= 0.98, (entity_type, score)


@pytest.mark.parametrize("entity_type", NAMED)
def test_names_charges_and_addresses_reach_0_90(report: Report, entity_type: str) -> None:
    score = report.entities[entity_type]
    assert score.tp > 0
    assert score.f1 >= 0.90, (entity_type, score)


def test_relations_reach_0_85_overall(report: Report) -> None:
    overall = report.micro(report.relations)
    assert overall.tp > 0
    assert overall.f1 >= 0.85, overall


def test_every_broken_file_is_refused_and_nothing_else_is(report: Report) -> None:
    assert report.broken_expected > 0
    assert report.broken_refused == report.broken_expected
    assert report.unexpected_errors == []
    assert report.documents > 100
