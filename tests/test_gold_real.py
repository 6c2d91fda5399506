"""The real-text gold set (tests/gold/real): texts unchanged from the published source, annotations
consistent. Builds nothing; checks what is committed."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REAL = Path(__file__).parent / "gold" / "real"


def _load(name: str, path: Path) -> Any:
    """The gold tools are scripts, not a package: load one by path (registered, for its dataclasses)."""
    spec = importlib.util.spec_from_file_location(f"gold_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check_sources = _load("check_sources", REAL / "check_sources.py")
build_gold = _load("build_gold", REAL.parent / "build_gold.py")


def test_source_list_covers_the_split() -> None:
    listed = check_sources.listed_sources()
    parts = [part for part, _ in listed.values()]
    assert parts.count("dev") == 48 and parts.count("test") == 27 and parts.count("dev-holdout") == 10


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
    # dev-holdout marks PERSON and ORG only (an unseen check of names, see its README)
    for part in ("dev", "test"):
        path = REAL / part / "truth.json"
        if not path.is_file():
            continue
        for document in json.loads(path.read_text(encoding="utf-8"))["documents"]:
            assert document["case_number"], document["path"]
            assert any(r["type"] == "ROLE_IN" and r["role"] == "defendant" for r in document["relations"]), \
                document["path"]


def test_transfers_carry_the_normalized_amount_and_date() -> None:
    build_gold = _load("build_gold", REAL.parent / "build_gold.py")
    body = ["{P#p1|张某}于{D#d1|2019年1月31日|2019-01-31}将{M#m1|402.9204万元|4029204}转入{O#o1|某某甲有限公司}账户。",
            "@ TRANSFERRED_TO p1 o1 amount=m1 date=d1", "@ ROLE_IN p1 o1"]
    document = build_gold.parse_document("x.txt judgment utf-8", body)
    transfer, other = document["relations"]
    assert transfer["attrs"] == {"amount": 4029204, "date": "2019-01-31"}
    assert "attrs" not in other


def test_markup_marks_every_occurrence_and_keeps_names_apart(tmp_path: Path) -> None:
    markup = _load("markup", REAL / "markup.py")
    (tmp_path / "spec").mkdir()
    (tmp_path / "docs").mkdir()
    text = "被告人王某与王某某、王某1共谋，王某转给王某17231元，被害人王某某于同年5月3日收到13000元和3000元。\n"
    (tmp_path / "docs" / "001.txt").write_text(text, encoding="utf-8")
    (tmp_path / "spec" / "001.txt").write_text(
        "P #p1 王某\nP 王某某\nP 王某1\n+ P 王某1 | M 7231元\nD 同年5月3日 = 2019-05-03\nM 3000元\n"
        "@ ROLE_IN p1 c defendant\n", encoding="utf-8")
    problems = markup.write_markup(tmp_path, "001", tmp_path / "docs")
    assert problems == ["001: '@ ROLE_IN p1 c defendant': no mention has id 'c'"]
    marked = (tmp_path / "src" / "001.txt").read_text(encoding="utf-8")
    assert marked.count("{P#p1|王某}") == 1 and marked.count("{P|王某}") == 1
    assert marked.count("|王某某}") == 2 and "{P|王某1}{M|7231元|7231}" in marked
    assert "{D|同年5月3日|2019-05-03}" in marked and "13000元" in marked and "{M|3000元|3000}" in marked


def test_builder_links_a_defined_short_form_to_its_full_name() -> None:
    document = build_gold.parse_document("x.txt judgment utf-8", [
        "{O|河南德润化工有限公司}破产（以下简称{O#d|德润公司}），{P#p|张某}系{O|德润公司}会计；"
        "{O|鑫达公司}另有其名。",
        "@ EMPLOYED_BY p d"])
    entities = {m["text"]: m["entity"] for m in document["mentions"] if m["type"] == "ORG"}
    assert entities["河南德润化工有限公司"] == entities["德润公司"] is not None
    assert entities["鑫达公司"] is None
    assert all(m["entity"] == entities["德润公司"] for m in document["mentions"] if m["text"] == "德润公司")
