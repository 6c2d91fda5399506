"""Resident IDs, USCCs, mobile numbers and bank accounts, told apart by their cue word and checks.

An 18-character run can be a resident ID, a USCC or an account number: the cue word before it
(身份证 / 信用代码 / 账号) decides, and without one the checks do (a valid ID is an ID, a run with
letters is a USCC, an ID-shaped run with a birth date is an ID with a bad check digit).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from casegraph import identifiers as ids
from casegraph.ingest.components.base import Candidate, candidates, closest_cue, doc_text, led
from casegraph.ingest.values import iso_date

_CUES = {
    "ID_NUMBER": ("身份证", "身份号码", "公民身份", "证件号", "身份证号"),
    "USCC": ("信用代码", "社会信用", "统一代码"),
    "BANK_ACCOUNT": ("账号", "帐号", "卡号", "账户", "帐户", "银行卡", "对公户", "收款户", "付款户"),
    "PHONE": ("电话", "手机", "联系方式"),
}
_RUN18 = led("0-9A-HJ-NP-RT-UW-Y", r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}"
             r"[0-9A-HJ-NP-RT-UW-Y]{10})(?![0-9A-Za-z])")
_PHONE = led("+018", r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![\dA-Za-z])")
_DIGITS = led(r"\d", r"(?<![\dA-Za-z.,])\d{10,30}(?![\dA-Za-z]|\.\d)")
_GROUPED = led(r"\d", r"(?<!\d)(?<!\d )\d{4}(?: \d{4}){3}(?: \d{1,4})?(?![\d])")
_MASKED = led(r"\d", r"(?<![\dA-Za-z])\d{2,8}[×xX*]{2,14}\d{1,8}(?![\dA-Za-z])")
_TAIL = re.compile(r"尾号(?:为|是)?[:：]?\s?(\d{3,6})(?!\d)")


# The checks are pure functions of the number, and python-stdnum's region lookup walks its
# database in Python on every call: the same IDs and accounts recur across a case's documents.
_parse_ric = lru_cache(maxsize=65536)(ids.parse_ric)
_parse_uscc = lru_cache(maxsize=65536)(ids.parse_uscc)
_luhn_ok = lru_cache(maxsize=65536)(ids.luhn_ok)
CACHES = (_parse_ric, _parse_uscc, _luhn_ok)


def _has_mask(text: str) -> bool:
    return "×" in text or "*" in text or "x" in text or "X" in text


def _looks_like_ric(value: str) -> bool:
    """Region digits and a birth date in place: an ID with a bad check digit, not an account."""
    if not value[:2].isdigit() or not 11 <= int(value[:2]) <= 82:
        return False
    return iso_date(int(value[6:10]), int(value[10:12]), int(value[12:14])) is not None


def _account(text: str, start: int, end: int, partial: bool = False) -> Candidate:
    parsed = ids.parse_account(text)
    if partial:
        value = re.sub(r"[×xX*]", "*", text.replace(" ", ""))
        return Candidate("BANK_ACCOUNT", start, end, value, False, {"partial": True})
    return Candidate("BANK_ACCOUNT", start, end, parsed.value, parsed.valid,
                     {"luhn_ok": _luhn_ok(parsed.value)})


def _run18(text: str, start: int, end: int, cue: str | None) -> Candidate | None:
    value = text[start:end].upper()
    if cue == "USCC" or (cue is None and not value[:17].isdigit()):
        parsed = _parse_uscc(value)
        return Candidate("USCC", start, end, parsed.value, parsed.valid)
    if not value[:17].isdigit():
        return None
    if cue == "BANK_ACCOUNT":
        return _account(value, start, end)
    ric = _parse_ric(value)
    if cue == "ID_NUMBER" or ric.valid or _looks_like_ric(value):
        return Candidate("ID_NUMBER", start, end, ric.value, ric.valid, {"reason": ric.reason} if ric.reason else {})
    uscc = _parse_uscc(value)
    if uscc.valid:
        return Candidate("USCC", start, end, uscc.value, True)
    return _account(value, start, end)


@Language.factory("casegraph_identifiers", assigns=["doc.user_data"])
def make_identifiers(nlp: Language, name: str) -> IdentifierFinder:
    return IdentifierFinder()


class IdentifierFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = candidates(doc)
        for match in _RUN18.finditer(text):
            candidate = _run18(text, match.start(), match.end(), closest_cue(text, match.start(), _CUES))
            if candidate:
                found.append(candidate)
        for match in _PHONE.finditer(text):
            parsed = ids.parse_phone(match.group())
            found.append(Candidate("PHONE", match.start(), match.end(), parsed.value, parsed.valid))
        for match in _DIGITS.finditer(text):
            length = match.end() - match.start()
            if length == 18 or (length == 11 and text[match.start()] == "1"):
                continue  # handled above as ID/USCC or phone
            cue = closest_cue(text, match.start(), _CUES, window=24)
            if length == 15 and cue == "ID_NUMBER":
                parsed = _parse_ric(match.group())
                found.append(Candidate("ID_NUMBER", match.start(), match.end(), parsed.value, False,
                                       {"reason": "old 15-digit ID"}))
            elif length >= 16 or cue == "BANK_ACCOUNT":
                found.append(_account(match.group(), match.start(), match.end()))
        # the rarer forms are looked for only where their marks occur (a substring test is a
        # fraction of a pattern pass)
        grouped = _GROUPED.finditer(text) if " " in text else ()
        masked = _MASKED.finditer(text) if _has_mask(text) else ()
        tails = _TAIL.finditer(text) if "尾号" in text else ()
        for match in grouped:
            found.append(_account(match.group(), match.start(), match.end()))
        for match in masked:
            cue = closest_cue(text, match.start(), _CUES)
            if cue == "ID_NUMBER":
                found.append(Candidate("ID_NUMBER", match.start(), match.end(), match.group().upper(), False,
                                       {"partial": True}))
            elif cue != "PHONE":
                found.append(_account(match.group(), match.start(), match.end(), partial=True))
        for match in tails:
            found.append(Candidate("BANK_ACCOUNT", match.start(1), match.end(1), match.group(1), False,
                                   {"partial": True}))
        return doc
