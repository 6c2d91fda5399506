"""The extraction scorer: relations by value and by span, unordered CO_DEFENDANT, roles apart from
the case number, and TRANSFERRED_TO with its amount and date."""

from __future__ import annotations

from typing import Any

from casegraph.ingest.evaluate import Report, format_report, score_document
from casegraph.model import ExtractedDocument, Mention, Relation

TEXT = "（2020）沪0101刑初1号\n被告人张三、李四。张三将10万元于2019年1月2日转给王五。审判长赵六。李四再提张三。\n"


def _at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def _gold_mention(kind: str, word: str, normalized: str | None = None, nth: int = 0) -> dict[str, Any]:
    start, end = _at(word, nth)
    return {"type": kind, "text": word, "start": start, "end": end, "normalized": normalized or word,
            "valid": True, "entity": None}


def _found(kind: str, word: str, normalized: str | None = None, nth: int = 0) -> Mention:
    start, end = _at(word, nth)
    return Mention(kind, word, start, end, normalized or word)


GOLD_MENTIONS = [_gold_mention("CASE_NUMBER", "（2020）沪0101刑初1号"), _gold_mention("PERSON", "张三"),
                 _gold_mention("PERSON", "李四"), _gold_mention("MONEY", "10万元", "100000"),
                 _gold_mention("DATE", "2019年1月2日", "2019-01-02"), _gold_mention("PERSON", "王五"),
                 _gold_mention("PERSON", "赵六")]
GOLD = {"path": "docs/x.txt", "text": TEXT, "case_number": "（2020）沪0101刑初1号", "mentions": GOLD_MENTIONS,
        "relations": [{"type": "ROLE_IN", "from": 1, "to": 0, "role": "defendant"},
                      {"type": "ROLE_IN", "from": 2, "to": 0, "role": "defendant"},
                      {"type": "ROLE_IN", "from": 6, "to": 0, "role": "judge"},
                      {"type": "CO_DEFENDANT", "from": 1, "to": 2, "role": None},
                      {"type": "TRANSFERRED_TO", "from": 1, "to": 5, "role": None,
                       "attrs": {"amount": "100000", "date": "2019-01-02"}}]}


def _score(found: ExtractedDocument) -> Report:
    report = Report()
    score_document(GOLD, found, report)
    return report


def _document(mentions: list[Mention], relations: list[Relation], own: str | None) -> ExtractedDocument:
    return ExtractedDocument("x.txt", "", TEXT, case_number=own, entities=mentions, relations=relations)


def test_a_perfect_extraction_scores_one_everywhere() -> None:
    mentions = [_found("CASE_NUMBER", "（2020）沪0101刑初1号", "(2020)沪0101刑初1号"), _found("PERSON", "张三"),
                _found("PERSON", "李四"), _found("MONEY", "10万元", "100000.00"),
                _found("DATE", "2019年1月2日", "2019-01-02"), _found("PERSON", "王五"), _found("PERSON", "赵六")]
    relations = [Relation("ROLE_IN", 1, 0, "defendant"), Relation("ROLE_IN", 2, 0, "defendant"),
                 Relation("ROLE_IN", 6, -1, "judge"), Relation("CO_DEFENDANT", 2, 1),  # reversed: unordered
                 Relation("TRANSFERRED_TO", 1, 5, attrs={"amount": "100000", "at": "2019-01-02"})]
    report = _score(_document(mentions, relations, "(2020)沪0101刑初1号"))
    for table in (report.relations, report.relations_by_span, report.roles):
        total = report.micro(table)
        assert (total.fp, total.fn) == (0, 0) and total.tp > 0
    assert (report.transfers_with_attrs.tp, report.transfers_with_attrs.fp) == (1, 0)
    text = format_report(report)
    assert "TRANSFERRED_TO+amount/date" in text and "judge" in text and "(no ROLE_IN)" in text


def test_relations_through_another_occurrence_count_by_value_not_by_span() -> None:
    later = _found("PERSON", "张三", nth=2)  # 李四再提张三: the same person, another mention
    mentions = [_found("PERSON", "李四"), later]
    report = _score(_document(mentions, [Relation("CO_DEFENDANT", 1, 0)], None))
    assert report.relations["CO_DEFENDANT"].tp == 1
    assert report.relations_by_span["CO_DEFENDANT"].tp == 0
    assert report.relations_by_span["CO_DEFENDANT"].fp == 1


def test_roles_are_read_without_the_own_case_number_and_a_wrong_date_fails_the_attrs_row() -> None:
    mentions = [_found("PERSON", "张三"), _found("PERSON", "李四"), _found("PERSON", "王五"),
                _found("PERSON", "赵六")]
    relations = [Relation("ROLE_IN", 0, -1, "defendant"), Relation("ROLE_IN", 1, -1, "victim"),
                 Relation("ROLE_IN", 3, -1, "judge"),
                 Relation("TRANSFERRED_TO", 0, 2, attrs={"amount": "100000", "at": "2019-01-03"})]
    report = _score(_document(mentions, relations, None))
    assert report.relations["ROLE_IN"].tp == 0  # the own case number was missed
    assert (report.roles["defendant"].tp, report.roles["defendant"].fn) == (1, 1)
    assert (report.roles["victim"].tp, report.roles["victim"].fp) == (0, 1)
    assert report.roles["judge"].f1 == 1.0
    assert report.relations["TRANSFERRED_TO"].tp == 1
    assert (report.transfers_with_attrs.tp, report.transfers_with_attrs.fp) == (0, 1)


def test_roles_a_truth_file_never_annotates_are_counted_apart_not_scored() -> None:
    mentions = [_found("PERSON", "张三"), _found("PERSON", "赵六")]
    relations = [Relation("ROLE_IN", 0, -1, "defendant"), Relation("ROLE_IN", 1, -1, "judge")]
    report = Report()
    score_document(GOLD, _document(mentions, relations, None), report, frozenset({"defendant"}))
    assert report.roles["judge"].fp == 0 and report.roles_out_of_scope == {"judge": 1}
    assert "不计分" in format_report(report)  # 简体中文 unless CASEGRAPH_LANG=en
