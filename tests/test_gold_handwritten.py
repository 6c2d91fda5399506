"""The hand-written real-style gold documents (tests/gold/real/handwritten-dev, handwritten-test):
penalty decisions, police filings and intake records, recommendations and indictments written by the
team in the styles those agencies use. Checks what is committed; builds nothing."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from casegraph.ingest.kinds import classify

REAL = Path(__file__).parent / "gold" / "real"
PARTS = ("handwritten-dev", "handwritten-test", "handwritten-holdout")
# hw07/hw08 (dev only): judgments written for ORG forms of any province and narrative transfers
# handwritten-holdout (session 9): four styles unseen while tuning, scored before and after the rule changes
DOCUMENTS = {"handwritten-dev": 13, "handwritten-test": 6, "handwritten-holdout": 4}
KINDS = {"handwritten-dev": {"penalty_decision", "indictment", "prosecution_recommendation", "filing_decision"},
         "handwritten-test": {"penalty_decision", "indictment", "prosecution_recommendation", "filing_decision"},
         "handwritten-holdout": {"penalty_decision", "indictment", "prosecution_recommendation", "judgment"}}
# Penalty decisions name who is penalised and the legal representative, as the generated gold does.
PENALTY_ROLES = ("penalized_party", "legal_rep")
_spec = importlib.util.spec_from_file_location("check_sources", REAL / "check_sources.py")
assert _spec and _spec.loader
check_sources = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_sources)


def _documents(part: str) -> list[dict[str, object]]:
    documents: list[dict[str, object]] = json.loads((REAL / part / "truth.json").read_text(encoding="utf-8"))[
        "documents"]
    return documents


@pytest.mark.parametrize("part", PARTS)
def test_annotations_are_consistent(part: str) -> None:
    annotated, problems = check_sources.check_truth(part)
    assert annotated == DOCUMENTS[part]
    assert [p for p in problems if not any(f"unknown role {role!r}" in p for role in PENALTY_ROLES)] == []


@pytest.mark.parametrize("part", PARTS)
def test_every_occurrence_of_an_annotated_string_is_marked(part: str) -> None:
    for document in _documents(part):
        text = str(document["text"])
        mentions: list[dict[str, object]] = document["mentions"]  # type: ignore[assignment]
        covered = [False] * len(text)
        for mention in mentions:
            for position in range(int(str(mention["start"])), int(str(mention["end"]))):
                covered[position] = True
        for string in {str(mention["text"]) for mention in mentions}:
            start = text.find(string)
            while start >= 0:
                assert any(covered[start:start + len(string)]), (document["path"], string, start)
                start = text.find(string, start + 1)


@pytest.mark.parametrize("part", PARTS)
def test_kinds_are_the_titles_and_agencies_are_not_only_sichuan_chongqing(part: str) -> None:
    documents = _documents(part)
    for document in documents:
        text = str(document["text"])
        expected = "filing_decision" if "受案登记表" in text[:60] else classify(text)
        assert document["kind"] == expected, document["path"]
        assert document["case_number"], document["path"]
    kinds = {document["kind"] for document in documents}
    assert KINDS[part] <= kinds
    assert not any(str(document["case_number"])[:1] in "川渝" for document in documents)
