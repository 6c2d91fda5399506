"""MONEY and DATE: amounts with their unit in yuan, calendar expressions as ISO dates.

Relative dates (同年6月27日, 次年, a bare 6月27日) take their year from the closest date before
them that names one, as a reader would.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest.components.base import Candidate, candidates, doc_text, led
from casegraph.ingest.values import iso_date, numeral, parse_money

_CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_MONEY = led(
    r"\d一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾",
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]"
    r"[" + _CN_NUM + r"]*)[余多]?[十百千万亿]*[余多]?(?:美元|港元|港币|欧元|英镑|日元|元)"
)
_MASK = "[×xX*某]{1,2}"
_CN_DIGIT = "[〇零○O一二三四五六七八九]"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_DATE = led(
    r"\d〇零○O一二三四五六七八九同当次翌",
    rf"(?P<masked>(?<!\d)(?P<my>\d{{4}})年(?:(?P<mm>\d{{1,2}})月{_MASK}[日号]|{_MASK}月(?:{_MASK}[日号])?))"
    r"|(?P<full>(?<!\d)(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?)?)"
    rf"|(?P<cn>(?P<cy>{_CN_DIGIT}{{4}})年(?:(?P<cm>{_CN_SMALL})月(?:(?P<cd>{_CN_SMALL})[日号])?)?)"
    r"|(?P<rel>(?P<rw>同年|当年|次年|翌年|同月)(?:(?P<rm>\d{1,2})月)?(?:(?P<rd>\d{1,2})[日号])?)"
    r"|(?P<md>(?<![\d年.])(?P<bm>\d{1,2})月(?P<bd>\d{1,2})[日号])"
    r"|(?P<num>(?<![\d.])(?P<ny>\d{4})(?P<sep>[.\-/])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})(?![\d.]))"
)


@Language.factory("casegraph_amounts", assigns=["doc.user_data"])
def make_amounts(nlp: Language, name: str) -> AmountFinder:
    return AmountFinder()


def _date(match: re.Match[str], year: int | None, month: int | None) -> tuple[str | None, int | None, int | None]:
    """(ISO value, year, month) of one match; year/month carry the context for relative dates."""
    if match["full"]:
        y, m, d = int(match["y"]), match["m"], match["d"]
        value = iso_date(y, int(m) if m else None, int(d) if d else None)
        return value, y, int(m) if m else None
    if match["masked"]:
        y = int(match["my"])
        m = int(match["mm"]) if match["mm"] else None
        return iso_date(y, m), y, m
    if match["cn"]:
        y = numeral(match["cy"])
        cm, cd = match["cm"], match["cd"]
        m = numeral(cm) if cm else None
        return iso_date(y, m, numeral(cd) if cd else None), y, m
    if match["num"]:
        y, m = int(match["ny"]), int(match["nm"])
        return iso_date(y, m, int(match["nd"])), y, m
    if match["rel"]:
        word = match["rw"]
        if word == "同月":
            if year is None or month is None or not match["rd"]:
                return None, year, month
            return iso_date(year, month, int(match["rd"])), year, month
        if not match["rm"] or year is None:
            return None, year, month
        y = year + 1 if word in ("次年", "翌年") else year
        m = int(match["rm"])
        return iso_date(y, m, int(match["rd"]) if match["rd"] else None), y, m
    if year is None:
        return None, year, month
    m = int(match["bm"])
    return iso_date(year, m, int(match["bd"])), year, m


class AmountFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = candidates(doc)
        for match in _MONEY.finditer(text):
            parsed = parse_money(match.group())
            if parsed:
                amount, currency = parsed
                attrs = {"currency": currency} if currency != "CNY" else {}
                found.append(Candidate("MONEY", match.start(), match.end(), amount, True, attrs))
        year: int | None = None
        month: int | None = None
        for match in _DATE.finditer(text):
            value, year, month = _date(match, year, month)
            if value is None:
                continue
            found.append(Candidate("DATE", match.start(), match.end(), value))
        return doc
