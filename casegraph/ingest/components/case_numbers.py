"""Case numbers of every agency and province: courts `(2019)沪0109刑初495号`, `(2013)海刑初字第161号`,
`(2017)赣04刑终453号之一`; police `渝公(经)立字[2023]45号`; procuratorates `锡南检诉刑诉(2014)323号`;
regulators `川金罚决字[2023]8号`.

A court's number opens with the bracketed year. An agency's prefix is a run of Chinese characters
before the bracketed year; it starts after the last word that cannot belong to one (根据, 以, 的,
人民检察院 ...) or, in a long run, at a province abbreviation followed by the agency's character,
and it must name a case (检…诉, 公…立, 罚: not an appraisal or a government paper). The number
right after the document's title (刑事判决书(2018)沪01刑终50号) is its own, else the first one in the
header lines; other numbers are cited (an appeal cites the first-instance judgment).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest import lexicon
from casegraph.ingest.components.base import Candidate, candidates, doc_text

# a court's number opens with the bracketed year: (2019)沪0109刑初495号, (2013)海刑初字第161号,
# (2015)运中刑一抗字第22号, (2017)赣04刑终453号之一; the part between holds the court's code and the
# case-type words, one of which names the kind of proceedings
_COURT = re.compile(r"\((?:19|20)\d{2}\)([\u4e00-\u9fff\d]{1,14}?)第?\d+号(?:之[一二三四五六七八九十]+)?")
_CASE_TYPE = re.compile(r"[刑民行执赔监申抗再破]")
# the bracketed year is searched for first and the agency prefix read backwards from it: a
# pattern that starts with the prefix's character run tries it at every Chinese character
_AGENCY_YEAR = re.compile(r"[\[(](?:19|20)\d{2}[\])]第?\d+号")
_PREFIX_RUN = re.compile(r"[\u4e00-\u9fff()]{2,18}\Z")
# what makes a prefix a case's: a procuratorate's indictment or arrest (检…诉/捕), a police filing
# or transfer or decision (公…立/诉/受/决), a regulator's penalty or risk alert (罚, 金管风提); an appraisal (四检技鉴, 宁公(刑)勘) or a
# government paper (宁政文) is not a case number
_CASE_PREFIX = re.compile(r"检.*[诉捕侦抗立]|公.*[立诉侦捕撤移受决]|罚|金管|金融|风险提示|风提|银保监|证监")
_NOT_PREFIX = re.compile(r".*(?:根据|依据|按照|依照|对照|参照|关于|作出|出具|下发|送达|移送|立案|审查|起诉|侦查|"
                         r"以|于|在|及|和|与|见|的|为|是|将|对|由|向|了|并|即|号|、|第|察院|法院|局|所|队|厅)")
_LONG_PREFIX = 10
# the title the document's own number follows: 刑事判决书(2018)沪01刑终50号
_TITLE = re.compile(r"(?:判决书|裁定书|决定书|调解书|起诉书|意见书|通知书|告知书|决定)[\s:：]{0,3}$")
_TITLE_REACH = 400
_HEADER_LINES = 6


@lru_cache(maxsize=1)
def _openers() -> re.Pattern[str]:
    """A province abbreviation opening an agency prefix: 渝公经立字, 川检刑诉, 川金罚决字."""
    return re.compile(f"[{lexicon.province_abbreviations()}](?=[\u4e00-\u9fff()]{{0,3}}[公检金法监])")


def canonical_case_number(text: str) -> str:
    """One form for every bracket variant (（）〔〕【】[] all become half-width round brackets), as the
    shared truth format writes them: the same case keeps one key whichever brackets a file used."""
    folded = text.translate(_BRACKET_FOLD)
    return folded.replace(" ", "").replace("\u3000", "")


_BRACKET_FOLD = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")",
                               "［": "(", "］": ")", "﹝": "(", "﹞": ")"})


def _prefix_start(prefix: str) -> int | None:
    cut = _NOT_PREFIX.match(prefix)
    start = cut.end() if cut else 0
    depth = 0
    for i in range(start, len(prefix)):  # (渝公(经)诉字: the unclosed bracket opens a parenthesis
        depth += {"(": 1, ")": -1}.get(prefix[i], 0)
        if depth < 0:
            return None
    if depth > 0:
        start = prefix.index("(", start) + 1
    if len(prefix) - start > _LONG_PREFIX:
        # a long run holds words before the prefix that no cut word marks: an abbreviation
        # followed by the agency's character opens it
        opener = _openers().search(prefix, start)
        start = opener.start() if opener else start
    rest = prefix[start:]
    return start if len(rest) >= 2 and _CASE_PREFIX.search(rest) else None


@Language.factory("casegraph_case_numbers", assigns=["doc.user_data"])
def make_case_numbers(nlp: Language, name: str) -> CaseNumberFinder:
    return CaseNumberFinder()


class CaseNumberFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans: list[tuple[int, int]] = [m.span() for m in _COURT.finditer(text) if _CASE_TYPE.search(m.group(1))]
        floor = 0
        for match in _AGENCY_YEAR.finditer(text):
            prefix = _PREFIX_RUN.search(text, max(floor, match.start() - 18), match.start())
            floor = match.end()
            offset = _prefix_start(prefix.group()) if prefix else None
            if prefix is not None and offset is not None:
                spans.append((prefix.start() + offset, match.end()))
            elif _TITLE.search(text, max(0, match.start() - 8), match.start()) and match.start() < _TITLE_REACH:
                # 行政处罚决定书\n[2023]41号: a regulator's own number under its title, without a prefix
                spans.append(match.span())
        spans.sort()
        own = _own_number(text, spans)
        found = candidates(doc)
        own_marked = False
        for start, end in spans:
            value = canonical_case_number(text[start:end])
            if value == own and not own_marked:
                own_marked = True
                found.append(Candidate("CASE_NUMBER", start, end, value, True, {"own": True}))
            else:
                attrs = {} if value == own else {"cited": True}
                found.append(Candidate("CASE_NUMBER", start, end, value, True, attrs))
        return doc


def _own_number(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The document's own number: the one right after its title (刑事判决书(2018)沪01刑终50号; an
    appeal cites the first-instance judgment later), else the first number of the header lines."""
    for start, end in spans:
        if start > _TITLE_REACH:
            break
        if _TITLE.search(text, max(0, start - 8), start):
            return canonical_case_number(text[start:end])
    header_end = _header_end(text)
    return next((canonical_case_number(text[s:e]) for s, e in spans if s < header_end), None)


def _header_end(text: str) -> int:
    position = 0
    lines = 0
    while lines < _HEADER_LINES:
        newline = text.find("\n", position)
        if newline < 0:
            return len(text)
        if text[position:newline].strip():
            lines += 1
        position = newline + 1
    return position
