"""ADDRESS: street- or house-level places, after the words that introduce an address (住, 住所地,
户籍地, 注册地址 ...) or opened by the name of a province, city, county or district of any province.

A bare city or district is not an address: the span must reach a street, village, building or
house number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest import lexicon
from casegraph.ingest.components.base import Candidate, candidates, doc_text, led

_CUE = led("户住现暂居经注办联营地", r"(?:户籍所在地|户籍地|住所地|现住址|现住|暂住地|暂住|居住地|住址|住所|经营场所|经营地址|注册地址|"
                  r"注册地|办公地址|办公地点|联系地址|营业场所|地址|(?<=[,，、;\s])住)(?:[为在于是:]{0,2}|\s)")
_BODY = re.compile(r"[^\s,，。;；、()（）\"“”:]{4,60}")
_STREET = re.compile(r"路|街|道|巷|号|村|组|小区|栋|幢|单元|室|楼|大厦|广场|花园|苑|社区|镇|乡|弄|院|园区|公寓|大道|商铺")
_HOUSE_END = re.compile(r".*(?:号楼|号院|号|室|栋|幢|单元|楼|层|组|村|社区|小区|花园|大厦|广场|苑|公寓|商铺|大道|路|街|巷|道|镇|乡)")
# 和 ends an address (住X路1号和Y路2号) except in street names such as 和平路
_VERB = re.compile(r"租用|开设|设立|成立|从事|经营|居住|注册|实施|进行|组织|办公|附近|的|向|将|被|与|和(?![平谐兴顺美])|内(?![江蒙乡丘黄])|处")


_PLACE_END = re.compile("[省市区县州旗盟]")


@lru_cache(maxsize=1)
def _place_names() -> tuple[frozenset[str], int]:
    full = {p for p in lexicon.places() if p[-1] in "省市区县州"} | {name for _, _, name in lexicon.divisions()}
    return frozenset(full), max(len(name) for name in full)


def place_openers(text: str) -> list[tuple[int, int]]:
    """The place names of any province in `text`, leftmost and longest first, not overlapping.
    Found from the character that ends every one (省市区县州旗盟) looking back: the 3,000 names of
    the country as one alternation cost the regex engine a try at nearly every character."""
    names, longest = _place_names()
    ends: dict[int, int] = {}
    for suffix in _PLACE_END.finditer(text):
        end = suffix.end()
        for start in range(max(0, end - longest), end - 1):
            if text[start:end] in names and end > ends.get(start, 0):
                ends[start] = end
    spans: list[tuple[int, int]] = []
    for start in sorted(ends):
        if not spans or start >= spans[-1][1]:
            spans.append((start, ends[start]))
    return spans


def address_end(text: str, start: int) -> int | None:
    """End of the address that starts at `start`, or None when it never reaches street level."""
    body = _BODY.match(text, start)
    if not body:
        return None
    value = body.group()
    verb = _VERB.search(value)
    if verb:
        value = value[:verb.start()]
    if not _STREET.search(value):
        return None
    house = _HOUSE_END.match(value)
    if not house or house.end() < 4:
        return None
    return start + house.end()


@Language.factory("casegraph_addresses", assigns=["doc.user_data"])
def make_addresses(nlp: Language, name: str) -> AddressFinder:
    return AddressFinder()


class AddressFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = candidates(doc)
        taken: list[tuple[int, int]] = []
        for match in _CUE.finditer(text):
            start = match.end() + 2 if text.startswith("本市", match.end()) else match.end()
            end = address_end(text, start)
            if end:
                # 住本市秦淮区…: the address goes without 本市
                taken.append((start, end))
                found.append(Candidate("ADDRESS", start, end, text[start:end], True,
                                       {"cue": match.group().strip(" :为在于是")}, score=1))
        for opener, _ in place_openers(text):
            if any(s <= opener < e for s, e in taken) or text[max(0, opener - 1)] in "省市州县区旗":
                continue  # 内江市市中区…: the address opens at the larger place before
            end = address_end(text, opener)
            if end:
                taken.append((opener, end))
                found.append(Candidate("ADDRESS", opener, end, text[opener:end], True))
        return doc
