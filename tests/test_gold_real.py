"""The real-text gold set (tests/gold/real): texts unchanged from the published source, annotations
consistent. Builds nothing; checks what is committed."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

REAL = Path(__file__).parent / "gold" / "real"
_spec = importlib.util.spec_from_file_location("check_sources", REAL / "check_sources.py")
assert _spec and _spec.loader
check_sources = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_sources)


def test_source_list_covers_the_split() -> None:
    listed = check_sources.listed_sources()
    parts = [part for part, _ in listed.values()]
    assert parts.count("dev") == 36 and parts.count("test") == 27


def _over_parts(check: Callable[[str], tuple[int, list[str]]]) -> tuple[int, list[str]]:
    results = [check(part) for part in check_sources.PARTS]
    return sum(count for count, _ in results), [problem for _, problems in results for problem in problems]


def test_committed_texts_are_the_published_ones() -> None:
    checked, problems = _over_parts(check_sources.check_docs)
    assert problems == []
    assert checked > 0


def test_annotations_are_consistent() -> None:
    annotated, problems = _over_parts(check_sources.check_truth)
    assert problems == []
    assert annotated > 0


def test_every_document_has_its_case_number_and_roles() -> None:
    for part in check_sources.PARTS:
        path = REAL / part / "truth.json"
        if not path.is_file():
            continue
        for document in json.loads(path.read_text(encoding="utf-8"))["documents"]:
            assert document["case_number"], document["path"]
            assert any(r["type"] == "ROLE_IN" and r["role"] == "defendant" for r in document["relations"]), \
                document["path"]
