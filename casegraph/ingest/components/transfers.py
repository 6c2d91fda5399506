"""TRANSFERRED_TO between people and organisations as a judgment's narrative tells it, where no
account numbers are given (those are the account-to-account transfers of relations.py).

A dependency-free clause reader: each transfer verb is read with the parties around it in its
clause (up to ，。；) and sentence (up to 。；):

- verbs that name the receiver after them (转入/汇入/转给/交给/支付给/借给/分给/归还给/给付 ...):
  `周某将44548元转入余利梅的工商银行账户`, `张连平将70万元转入其在灵璧县农村商业银行的个人账户`
  (the bank receives), `其中9万元借给李玲芬`, `转账135300元至余利梅的账户`;
- 向 + party + verb: `方某向浩源公司交纳保证金1500万元`, `向破产清算组代理人杨某支付10万元`;
  a taking verb turns it round: `向谢某收取现金60000元` (谢某 pays);
- taking verbs with the giver after them: `任某收受尹某药品回扣78000元`, `收取黄某支付的保证金`;
- `挪用公款25万元用于创联公司` (the company receives).

The payer is the nearest party before the verb in its clause, else the sentence's first party
(`被告人史永昆……，其中9万元借给李玲芬`). The amount is the clause's money next to the verb, the
date the sentence's last date before the verb. Court orders (责令退赔, 判令, 追缴) are no transfers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from casegraph.ingest.components.base import Candidate

_PARTY = ("PERSON", "ORG")
_CLAUSE_END = re.compile(r"[。；;，,：:]")
_SENTENCE_END = re.compile(r"[。；;\n]")
# the receiver is named after these
_GIVE = re.compile(r"转入|转至|转到|转给|转账给|转账至|转账到|汇入|汇至|汇到|汇给|打到|打入|打给|存入|交给|交予|交到|"
                   r"支付给|付给|借给|出借给|分给|送给|退还给|退给|返还给|归还给|还给|上交至|上交给|上交到|给付|赠送给")
# 向 + party + one of these: the party receives (or, for a taking verb, pays)
_TOWARDS = re.compile(r"(?:转账|支付|汇款|汇入|行贿|送|给付|退还|退出|退缴|交纳|缴纳|交付|付款|借款|出借|归还|偿还|赔偿|"
                      r"补偿|上交|交回)")
_TAKE = re.compile(r"收受|收取|索取|索要|骗取|借取|拿走|取走|领取")
# 挪用公款25万元用于创联公司: misappropriated money goes to the party it is used for
_USED_FOR = re.compile(r"(?<=挪用)[^，。；]{1,20}?(用于)")
_NO_TRANSFER = re.compile(r"责令|判令|追缴|发还|没收|上缴国库|应当|应予")
# between the verb and the receiver: role words and pronouns that are not a party themselves
_BEFORE_RECEIVER = re.compile(r"^(?:其在|其|在|了|被告人|被害人|上诉人|原审被告人|同案人|证人|客户|购房客户|集资参与人|"
                              r"开发商|代理人|[^，。；、]{0,8}(?:代理人|负责人|经理|会计|出纳))?\"?$")
_NOT = re.compile(r"[未没不]")
_MONEY_WORD = re.compile(r"款|钱|现金|资金|费|回扣|利息|租金|工资|报酬|赃")
_OBJECT = re.compile(r"(?:[向给以对与和从]|" + _GIVE.pattern + r")(?:被告人|被害人|客户|同案人)?\"?$")
_CHANNEL = re.compile(r"(?:的)?(?:个人)?(?:账户|账号|银行卡|卡)")
_REACH = 24


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at - 400), at)), default=max(0, at - 400))
    end = _SENTENCE_END.search(text, at)
    return start, end.start() if end else len(text)


def _clause_start(text: str, at: int, floor: int) -> int:
    return max((m.end() for m in _CLAUSE_END.finditer(text, floor, at)), default=floor)


class _Reader:
    def __init__(self, text: str, mentions: list[Candidate]) -> None:
        self.text = text
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def within(self, lo: int, hi: int) -> list[int]:
        return list(range(bisect_left(self.starts, lo), bisect_right(self.starts, hi - 1)))

    def party_after(self, at: int, hi: int) -> int | None:
        """The party the verb ending at `at` names: right after it, past role words."""
        for i in self.within(at, min(hi, at + _REACH)):
            m = self.mentions[i]
            if m.label in _PARTY:
                return i if _BEFORE_RECEIVER.match(self.text[at:m.start]) else None
            if m.label == "BANK_ACCOUNT":
                return None
        return None

    def payer(self, verb: int, sentence: tuple[int, int], receiver: int) -> int | None:
        """The subject of the verb: the nearest party before it in its clause, else the first of the
        clauses before it in the sentence; parties governed by a preposition or another transfer
        verb (向某, 以某为由, 支付给某) and a bank named as the channel (通过其农业银行账户) are not."""
        end = verb
        clause = _clause_start(self.text, verb, sentence[0])
        nearest = True
        while True:
            parties = [i for i in self.within(clause, end) if self.mentions[i].label in _PARTY and i != receiver
                       and self.mentions[i].end <= end and self._subject(i)]
            if parties:
                return parties[-1] if nearest else parties[0]
            if clause <= sentence[0]:
                return None
            end = clause - 1
            clause = _clause_start(self.text, end, sentence[0])
            nearest = False

    def _subject(self, i: int) -> bool:
        m = self.mentions[i]
        if _OBJECT.search(self.text, max(0, m.start - 14), m.start):
            return False
        return not _CHANNEL.match(self.text, m.end)

    def attrs(self, sentence: tuple[int, int], verb: int, lo: int, hi: int) -> dict[str, Any]:
        """The money of the clause [lo, hi) nearest after the verb (else before it) and the
        sentence's last date before the verb."""
        attrs: dict[str, Any] = {}
        money = [i for i in self.within(lo, hi) if self.mentions[i].label == "MONEY"]
        after = [i for i in money if self.mentions[i].start >= verb]
        chosen = after[0] if after else (money[-1] if money else None)
        if chosen is not None:
            attrs["amount"] = self.mentions[chosen].normalized
        dates = [i for i in self.within(max(0, sentence[0] - 1), verb) if self.mentions[i].label == "DATE"]
        if dates:
            attrs["at"] = self.mentions[dates[-1]].normalized
        return attrs

    def accounts_in(self, lo: int, hi: int) -> bool:
        return any(self.mentions[i].label == "BANK_ACCOUNT" for i in self.within(lo, hi))


def _clause_end(text: str, at: int, hi: int) -> int:
    end = _CLAUSE_END.search(text, at, hi)
    return end.start() if end else hi


def narrative_transfers(text: str, mentions: list[Candidate]) -> list[tuple[int, int, dict[str, Any]]]:
    """(from index, to index, attrs) for each transfer the narrative states between two parties."""
    reader = _Reader(text, mentions)
    found: list[tuple[int, int, dict[str, Any]]] = []

    def read(at: int, end: int) -> tuple[int, int, dict[str, Any]] | None:
        """The party named right after the word at [at, end), the subject before it and the
        clause's amount and date; None where the sentence names no such pair or moves no money."""
        sentence = _sentence(text, at)
        if _NO_TRANSFER.search(text, sentence[0], at) or reader.accounts_in(*sentence):
            return None
        after = reader.party_after(end, sentence[1])
        before = None if after is None else reader.payer(at, sentence, after)
        if after is None or before is None or text.startswith("等", mentions[after].end):
            return None  # 骗取林某等十二人共计36.8万元: a group's total is no one's transfer
        lo = _clause_start(text, at, sentence[0])
        hi = _clause_end(text, mentions[after].end, sentence[1])
        attrs = reader.attrs(sentence, at, lo, hi)
        if "amount" not in attrs and not _MONEY_WORD.search(text, lo, hi):
            return None  # 将海洛因交给某, 将案件材料交给某局: no money moved
        return before, after, attrs

    for verb in (*_GIVE.finditer(text), *_USED_FOR.finditer(text)):
        if not _NOT.search(text, max(0, verb.start() - 2), verb.start()) and (pair := read(verb.start(), verb.end())):
            found.append(pair)
    for towards in re.finditer("向", text):
        if pair := read(towards.start(), towards.end()):
            payer, party, attrs = pair
            after = text[mentions[party].end:mentions[party].end + 8]
            if _TAKE.match(after):
                found.append((party, payer, attrs))
            elif _TOWARDS.match(after):
                found.append(pair)
    for take in _TAKE.finditer(text):
        if text[take.start() - 1] != "向" and (pair := read(take.start(), take.end())):
            taker, giver, attrs = pair
            if not text[mentions[taker].end:take.start()].endswith("被"):
                found.append((giver, taker, attrs))
    return [(a, b, attrs) for a, b, attrs in found if mentions[a].normalized != mentions[b].normalized]
