"""Case numbers of every agency: courts `（2021）渝0112刑初123号`, police `渝公（经）立字〔2023〕45号`,
procuratorates `川检刑诉〔2022〕17号`, regulators `川金罚决字〔2023〕8号`.

The agency prefix is a run of Chinese characters before the bracketed year; where it starts is
found from the agency abbreviations that open such prefixes, else after the last word that
cannot belong to one (根据, 以, 的 ...). The first number in the header is the document's own;
later different numbers are cited.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest.components.base import Candidate, candidates, doc_text

_COURT = re.compile(r"\((?:19|20)\d{2}\)[川渝]\d{2,4}[\u4e00-\u9fff]{1,5}\d+号(?:之[一二三四五六七八九十])?")
# the bracketed year is searched for first and the agency prefix read backwards from it: a
# pattern that starts with the prefix's character run tries it at every Chinese character
_AGENCY_YEAR = re.compile(r"[\[(](?:19|20)\d{2}[\])]第?\d+号")
_PREFIX_RUN = re.compile(r"[\u4e00-\u9fff()]{2,18}$")
_OPENERS = re.compile(
    r"[川渝蓉]|银保监|证监|国金|(?:成|绵|泸|德|遂|乐|宜|达|雅|眉|广|南|内|攀|自|资|巴|凉|阿|甘|万|涪|黔)"
    r"(?=[\u4e00-\u9fff]{0,3}(?:公|检|金|法|监|市|高新|天府))"
)
_NOT_PREFIX = re.compile(r".*(?:根据|依据|按照|依照|对照|参照|关于|作出|出具|下发|送达|以|于|在|及|和|与|见|的|为|是|将|"
                         r"对|由|向|了|并|即|号|、|第)")
_HEADER_LINES = 6


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
    opener = _OPENERS.search(prefix, start)
    if opener:
        return opener.start()
    return start if len(prefix) - start >= 2 else None


@Language.factory("casegraph_case_numbers", assigns=["doc.user_data"])
def make_case_numbers(nlp: Language, name: str) -> CaseNumberFinder:
    return CaseNumberFinder()


class CaseNumberFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans: list[tuple[int, int]] = [m.span() for m in _COURT.finditer(text)]
        floor = 0
        for match in _AGENCY_YEAR.finditer(text):
            prefix = _PREFIX_RUN.search(text, max(floor, match.start() - 18), match.start())
            floor = match.end()
            if prefix is None:
                continue
            offset = _prefix_start(prefix.group())
            if offset is not None:
                spans.append((prefix.start() + offset, match.end()))
        spans.sort()
        header_end = _header_end(text)
        own: str | None = None
        found = candidates(doc)
        for start, end in spans:
            value = canonical_case_number(text[start:end])
            if own is None and start < header_end:
                own = value
                found.append(Candidate("CASE_NUMBER", start, end, value, True, {"own": True}))
            else:
                attrs = {} if value == own else {"cited": True}
                found.append(Candidate("CASE_NUMBER", start, end, value, True, attrs))
        return doc


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
