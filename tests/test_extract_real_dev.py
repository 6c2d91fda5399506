"""Extraction on real published judgments: the DEV part of the real-text gold set (36 LeCaRDv2
judgments, MIT licence; source, licence and SHA-256 of each text in tests/gold/real/SOURCE.md).
Floors a little under what the rules reach, so that a regression fails; the TEST part is scored
by the lead only, never here."""

from __future__ import annotations

from pathlib import Path

import pytest

from casegraph.ingest.evaluate import Report, evaluate

DEV = Path(__file__).parent / "gold" / "real" / "dev" / "truth.json"
ENTITY_FLOORS = {"PERSON": 0.95, "ORG": 0.85, "CASE_NUMBER": 0.97, "MONEY": 0.98, "DATE": 0.98, "CHARGE": 0.88}


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(DEV)


def test_every_dev_document_is_read(report: Report) -> None:
    assert report.documents >= 36 and report.unexpected_errors == []


@pytest.mark.parametrize(("entity_type", "floor"), ENTITY_FLOORS.items())
def test_entity_types_hold_their_floor(report: Report, entity_type: str, floor: float) -> None:
    score = report.entities[entity_type]
    assert score.tp > 0 and score.f1 >= floor, (entity_type, score)


def test_roles_and_relations_hold_their_floor(report: Report) -> None:
    roles = report.micro(report.roles)
    assert roles.f1 >= 0.84, roles
    for role in ("defendant", "lawyer", "prosecutor", "victim", "witness"):
        assert report.roles[role].f1 >= 0.82, (role, report.roles[role])
    assert report.micro(report.relations).f1 >= 0.70
    assert report.relations["EMPLOYED_BY"].f1 >= 0.5 and report.relations["CO_DEFENDANT"].f1 >= 0.6
