"""A second-reading aid for annotators: lists strings of a built truth.json that look like mentions
(dates, amounts, charges, numbered documents, organisation and anonymised-name shapes) but lie outside
every annotated mention. Each hit is a question for the annotator, not an answer: most are generic
words (原审法院, 犯罪) that the rules leave unmarked.

Run: python tests/gold/real/audit.py tests/gold/real/dev/truth.json [TYPE...]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SHAPES = {
    "D": r"(?:\d{4}|[〇○Ｏ零一二三四五六七八九]{4})年(?:[\d十一二三四五六七八九]{1,2}月(?:[\d十一二三四五六七八九]{1,3}[日号])?)?"
         r"|(?:同年|次年|当年|同月)?\d{1,2}月\d{1,2}日",
    "M": r"[\d,.]+(?:余|多)?(?:万|亿|千)?(?:余|多)?元|[一二三四五六七八九十百千万零两]+(?:万|千)?元",
    "CH": r"[\u4e00-\u9fff、]{2,14}罪",
    "C": r"[（(〔\[［][12]\d{3}[）)〕\]］][^，。；：、]{1,20}?号",
    "O": r"[\u4e00-\u9fffＡ-Ｚ（）]{2,25}?(?:公司|法院|检察院|公安局|分局|派出所|看守所|律师事务所|银行|支行|分行|信用社|政府"
         r"|委员会|大队|支队|中心|局|所|厂|店|医院|学校)",
    "P": r"[\u4e00-\u9fff][某ＸXｘ×][\u4e00-\u9fff\dＸXｘ×]?",
}


def unmarked(document: dict[str, object], types: list[str]) -> list[tuple[str, str, str]]:
    """(type, string, context) for each distinct shaped string no mention covers."""
    text = str(document["text"])
    covered = [False] * len(text)
    for mention in document["mentions"]:  # type: ignore[attr-defined]
        covered[mention["start"]:mention["end"]] = [True] * (mention["end"] - mention["start"])
    hits: dict[tuple[str, str], str] = {}
    for kind in types:
        for match in re.finditer(SHAPES[kind], text):
            start, end = match.span()
            if not any(covered[start:end]):
                hits.setdefault((kind, match.group()), text[max(0, start - 6):end + 4])
    return [(kind, string, context) for (kind, string), context in hits.items()]


def main(arguments: list[str]) -> None:
    types = arguments[1:] or list(SHAPES)
    for document in json.loads(Path(arguments[0]).read_text(encoding="utf-8"))["documents"]:
        for kind, string, context in unmarked(document, types):
            print(f"{document['path']}\t{kind}\t{string}\t{context}")


if __name__ == "__main__":
    main(sys.argv[1:])
