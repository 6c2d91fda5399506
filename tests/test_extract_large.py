"""Texts longer than spaCy's limit (issue 22): read in pieces cut at paragraph breaks, with every
mention at its true offset in the whole document, instead of quarantined with spaCy's raw E088."""

from __future__ import annotations

import itertools

from casegraph.ingest.extract import PIECE_CHARS, extract_text, pieces
from casegraph.ingest.nlp import get_pipeline

PARAGRAPH = ("2023年5月，犯罪嫌疑人张伟（男，身份证号码500103198503124515）通过其名下中国工商银行账户"
             "6222020200112233446向李娜转账人民币50000元。\n")
LAST = "经查，王强（身份证号码510104197602290087）使用手机13823456789与张伟联系。\n"


def test_pieces_end_at_paragraph_breaks_then_sentences_then_the_limit() -> None:
    text = "甲。乙\n" * 10 + "丙" * 30
    spans = pieces(text, limit=12)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))  # no gap, no overlap
    assert all(end - start <= 12 for start, end in spans)
    assert text[spans[0][1] - 1] == "\n"
    assert pieces("一句。" * 10, limit=7)[0] == (0, 6)  # no paragraph break: after a sentence end
    assert pieces("丙" * 30, limit=12) == [(0, 12), (12, 24), (24, 30)]
    assert pieces("short", limit=12) == [(0, 5)]


def test_a_text_over_the_pipeline_limit_is_extracted_whole_with_true_offsets() -> None:
    repeats = get_pipeline().max_length // len(PARAGRAPH) + 50
    text = PARAGRAPH * repeats + LAST
    assert len(text) > get_pipeline().max_length and len(pieces(text)) > len(text) // PIECE_CHARS
    document = extract_text(text)
    last_start = len(text) - len(LAST)
    tail = {(m.type, m.normalized) for m in document.entities if m.start >= last_start}
    assert ("ID_NUMBER", "510104197602290087") in tail and ("PHONE", "13823456789") in tail
    assert all(text[m.start:m.end] == m.text for m in document.entities)
    ids = [m for m in document.entities if m.type == "ID_NUMBER" and m.normalized == "500103198503124515"]
    assert len(ids) == repeats  # one per paragraph: none lost or doubled at a cut
    for relation in document.relations:
        for index in (relation.source, relation.target):
            assert index == -1 or 0 <= index < len(document.entities)
