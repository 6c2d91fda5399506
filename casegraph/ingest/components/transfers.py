"""TRANSFERRED_TO between people and organisations as a judgment's narrative tells it, where no
account numbers are given (those are the account-to-account transfers of relations.py):

- 周某将44548元转入余利梅的工商银行账户 / 把…打到…账户 / 将…交给… (X 将/把 … verb Y)
- 张某向李某转账/支付/汇款/行贿…5万元 (X 向 Y verb)
- 王某收受李某所送/给予的现金5万元 (giver Y → taker X)

Within one clause (up to 。；); the amount is the clause's first MONEY, the date the clause's or else
the sentence's last DATE before the verb.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise
from typing import Any

from casegraph.ingest.components.base import Candidate

_PARTY = ("PERSON", "ORG")
_CLAUSE_END = re.compile(r"[。；;]")
_SENTENCE_END = re.compile(r"[。]")
_MOVE_TO = re.compile(r"(?:转入|转至|转到|转给|转账给|转账至|汇入|汇至|汇给|打到|打入|打给|存入|交给|交予|支付给|付给|"
                      r"借给|送给|退还给|退给|返还给|上交至|上交给|给付)$")
_MOVE_FROM = re.compile(r"^(?:转账|支付|汇款|汇入|行贿|送|给付|退还|借款给|交纳|缴纳|付款)")
_RECEIVES = re.compile(r"收受$|收取$|索取$|接受$")
_GAP = 40
_ROLE_WORD = re.compile(r"(?:被告人|被害人|证人|同案人|上诉人|其)$")


def _clause(text: str, at: int) -> tuple[int, int]:
    start = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, at - 200), at)), default=max(0, at - 200))
    end = _CLAUSE_END.search(text, at)
    return start, end.start() if end else len(text)


def _attrs(text: str, mentions: list[Candidate], starts: list[int], lo: int, hi: int, verb: int) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    money = [m for m in mentions[bisect_right(starts, lo - 1):bisect_right(starts, hi)] if m.label == "MONEY"]
    if money:
        attrs["amount"] = money[0].normalized
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, lo - 300), lo)), default=max(0, lo - 300))
    dates = [m for m in mentions[bisect_right(starts, sentence_start - 1):bisect_right(starts, verb)]
             if m.label == "DATE" and m.start < verb]
    if dates:
        attrs["at"] = dates[-1].normalized
    return attrs


def narrative_transfers(text: str, mentions: list[Candidate]) -> list[tuple[int, int, dict[str, Any]]]:
    """(from index, to index, attrs) for each transfer the narrative states between two parties."""
    starts = [m.start for m in mentions]
    found: list[tuple[int, int, dict[str, Any]]] = []
    parties = [i for i, m in enumerate(mentions) if m.label in _PARTY]
    for a, b in pairwise(parties):
        first, second = mentions[a], mentions[b]
        lo, hi = _clause(text, first.start)
        if second.start >= hi or second.start - first.end > _GAP:
            continue
        if any(m.label == "BANK_ACCOUNT" for m in mentions[bisect_right(starts, lo - 1):bisect_right(starts, hi)]):
            continue  # an account-to-account transfer: relations.py reads those
        # 将4万元转给被告人张某: the receiver's role word stands between the verb and the name
        between = _ROLE_WORD.sub("", text[first.end:second.start])
        after = text[second.end:hi]
        if between.startswith(("将", "把")) and _MOVE_TO.search(between):
            found.append((a, b, _attrs(text, mentions, starts, lo, hi, first.end + len(between))))
        elif between == "向" and _MOVE_FROM.match(after):
            found.append((a, b, _attrs(text, mentions, starts, lo, hi, second.end)))
        elif _RECEIVES.search(between) and len(between) <= 4:
            found.append((b, a, _attrs(text, mentions, starts, lo, hi, second.end)))
    return found
