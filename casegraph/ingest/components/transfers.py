"""TRANSFERRED_TO between people and organisations as a judgment's narrative tells it, where no
account numbers are given (those are the account-to-account transfers of relations.py).

A dependency-free clause reader: each transfer verb is read with the parties around it in its
clause (up to ，。；) and sentence (up to 。；). The shapes, collected from published judgments:

- verbs that name the receiver after them (转入/汇入/转给/交给/支付给/借给/分给/归还给/给付 ...):
  `周某将44548元转入余利梅的工商银行账户`, `张连平将70万元转入其在灵璧县农村商业银行的个人账户`
  (the bank receives), `其中9万元借给李玲芬`, `转账135300元至余利梅的账户`, `借给其朋友杨帆`;
  into `其个人账户` the sentence's subject receives;
- paying verbs followed straight by the payee and money: `支付康辉旅行社3万元`, `退还恒远公司10万元`;
- 向/给 + party (+ its account) + verb: `方某向浩源公司交纳保证金1500万元`, `向户名为何某的银行账户转账`,
  `给方某支付好处费2万元`; a taking or borrowing verb turns it round: `向谢某收取现金60000元`,
  `向曾某借款20万元` (谢某 and 曾某 pay);
- verb + money + 给 + party: `转了5万元给其朋友郭某`, `转账3000元给蔡某`;
- taking verbs with the giver after them: `任某收受尹某药品回扣78000元`, `收到孙某支付的投资款`,
  `收受X公司法定代表人赵某所送现金` (the person, not his company, gives);
- 从 + party + 处 + taking verb: `从罗某处借得现金8万元`, `从谭某处分得赃款2万元`;
- `挪用公款25万元用于创联公司` (the company receives);
- receivers behind kin, control or a company's name: `还给曹某的妻子陆某` (the wife), `转入其实际控制的X公司`,
  `转入程某以X公司名义开设的账户` (the company), `转账41200元至吴某的账户`, `汇划57万元到X公司`;
- `送给其现金` with 其 the person named between the payer and the verb (none between: the speaker of a
  statement, nothing read); `向X公安局投案并退出…`; `将李某银行卡内的现金取走` and thefts (盗去被害人焦某…)
  take from the party named; `杨某代王某退交…给X`: the one who pays for another.

Lists: `分别向王某、赵某转账1万元、2万元` gives each receiver its own amount; joint payers
(`包某、薛某将现金70000元交给…`) one relation each. The payer is the nearest party before the
verb in its clause, else the sentence's first party; a party governed by a preposition (向某, 按某的
安排, 经某介绍) is not. The amount is the clause's money next to the verb (else, for `该款`/a
clause without an object, the sentence's money before it), the date the sentence's last date
before the verb. Court orders (责令退赔, 判令, 追缴), negations (未归还), sums the court does not
accept (不予认定) and a group's total (骗取林某等十二人共计…) are no transfers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from casegraph.ingest.components.base import Candidate

_PARTY = ("PERSON", "ORG")
_JOINERS = ("、", "和", "及", "与")
_CLAUSE_END = re.compile(r"[。；;，,：:]")
_SENTENCE_END = re.compile(r"[。；;\n]")
# the receiver is named after these
_GIVE = re.compile(r"转入|转至|转到|转给|转账给|转账至|转账到|转回|汇入|汇至|汇到|汇给|打到|打入|打给|存入|交给|交予|交到|"
                   r"汇款至|汇款到|转款至|转款到|付款给|付款至|划转至|划转到|划转给|划至|划入|转存至|转存到|支付给|付给|借给|出借给|借款给|借钱给|打款给|汇款给|转款给|还款给|分给|送给|退还给|退给|返还给|归还给|还给|上交至|上交给|上交到|给付|赠送给")
# paying verbs whose payee follows with no 给 (支付康辉旅行社3万元, 退还恒远公司10万元)
_PAY = re.compile(r"(?:预付|支付|退还|归还|偿还|返还|退赔|赔偿|补偿)(?![给至到])")
# 向 + party + one of these: the party receives (or, for a taking verb, pays)
_TOWARDS = re.compile(r"(?:发放|转账|支付|汇款|汇入|打款|行贿|送|给付|退还|退出|退缴|退赔|返还|交纳|缴纳|交付|付款|出借|归还|"
                      r"偿还|赔偿|补偿|上交|交回)")
_SURRENDER = re.compile(r"(?:投案自首|投案|自首|归案)(?:并|后|时)?")
# 向王某、李某共支付了4万元: adverbs between the receivers and the verb
_ADVERBS = re.compile(r"(?:共计|共|累计|先后|分别|一次性|陆续|分\w次|多次)")
_TAKE = re.compile(r"收受|收取|索取|索要|骗取|骗走|借取|拿走|取走|领取|收到|盗去|盗走|盗取|窃取|抢走|抢得|抢劫")
# 将李某银行卡内的现金取走: the party after 将 loses the money the verb takes
_TAKEN_AWAY = re.compile(r"取走|盗走|转走|骗走|盗取|窃取|取出|拿走")
# 向某借款 / 从某处借得: the party lends
_BORROW = re.compile(r"借款|借钱|借用|借得|借取|借了|借|贷款|拆借|分得|拿走|取走|取出|取得|拿到|领取|收取|获得|得到")
# 挪用公款25万元用于创联公司: misappropriated money goes to the party it is used for
_USED_FOR = re.compile(r"(?<=挪用)[^，。；]{1,20}?(用于)")
_NO_TRANSFER = re.compile(r"责令|判令|追缴|发还|没收|上缴国库|应当|应予")
# a sum the court does not accept as paid
_UNPROVEN = re.compile(r"不予认定|不予采纳|无证据证实|未能提供|没有证据|不能证实|无法证实")
_ROLE_WORDS = (r"被告人|被害人|上诉人|原审被告人|同案人|同案犯|证人|请托人|客户|购房客户|集资参与人|开发商|代理人|"
               r"被害单位|被告单位|上线|下线")
_RELATIVES = (r"朋友|妻子|丈夫|前妻|前夫|妻|夫|亲属|亲戚|同学|同事|父亲|母亲|儿子|女儿|哥哥|弟弟|姐姐|妹妹|女友|男友|"
              r"情人|老板|表弟|表哥|堂弟|妻弟|姐夫|妹夫|侄子|外甥")
# between the verb and the receiver: role words, relatives and pronouns that are not a party themselves
_BEFORE_RECEIVER = re.compile(r"^了?(?:其欠|欠|其在|在)?(?:其|其的)?(?:个人|本人)?(?:所|实际)?(?:指定|控制|提供|经营)?的?"
                              r"(?:户名为|户名是)?(?:其|其的)?(?:" + _ROLE_WORDS + "|" + _RELATIVES +
                              r"|[^，。；、]{0,8}(?:代理人|负责人|经理|会计|出纳|老板|老总))?[“\"]?$")
# a company named with the post of the person meant (X公司法定代表人赵某)
_POST = re.compile(r"的?(?:法定代表人|负责人|总经理|经理|会计|出纳|股东|老板|实际控制人|董事长|工作人员|员工|业务员)")
# between a party after 向/给 and the verb: its account (向何某的工商银行卡汇款, 向蔡某控制的银行卡转账)
_ACCOUNT_OF = re.compile(r"(?:[（(][^（）()]{0,12}[）)])?(?:(?:的|名下的?|控制的|指定的|提供的|本人的)?"
                         r"[^，。；、]{0,14}?(?:账户|帐户|账号|银行卡|卡)(?:上|内|中)?)?")
# 转入其个人银行账户: the account of the sentence's subject
_OWN_ACCOUNT = re.compile(r"了?其(?:本人|个人)?(?:的|名下的?)?(?:个人)?(?:银行)?(?:账户|帐户|银行卡|卡|账号)")
# 其母亲代其退赔 / 某的亲属代为退缴: a relative pays, not the party named before
_PROXY = re.compile(r"(?:其|的)(?:亲属|家属|" + _RELATIVES + r")[^，。；]{0,4}?代")
_NOT = re.compile(r"[未没不]")
# in the verb's clause: 没有按照约定支付给, 尚未归还 (未经批准 is no negation)
_NEGATED = re.compile(r"没有|尚未|拒不|并未|未(?!经)")
# 可以转给, 谎称…交给自己: what is said or planned, not done
_MODAL = re.compile(r"(?:可以|可|会|要|欲|拟|准备|打算)$")
_IRREALIS = re.compile(r"谎称|假称|声称|承诺|答应|约定|以便|准备|打算|计划")
# 按照合同约定支付: done as agreed
_AS_AGREED = re.compile(r"(?:按照|按|根据|依照|依据)[^，。；]*$")
_THEN = re.compile(r"于是|随后|遂|后来|当场|之后|此后")
# 又借给…: a sentence that goes on with the subject of the one before
_GOES_ON = re.compile(r"(?:又|并|后|再|还|另|随后|然后|之后)")
# 黄某所经营的某公司: the company is meant
_RUN_BY = re.compile(r"所?(?:实际)?(?:经营|控制|开办|成立|设立)的[^，。；]{0,6}?(?:[（(](?:以下简称|下称|简称))?")
# 程某以X公司名义开设的账户: the company's account; 方某之妻钱某: the wife
_IN_NAME_OF = re.compile(r"以")
_KIN = re.compile(r"(?:之|的)(?:" + _RELATIVES + r")")
# 其 as a person (not 其他, 其中, 其余, 其实)
_PRONOUN = re.compile(r"其(?![他它中余实])")
# thefts: only a person takes
_THEFT = re.compile(r"盗去|盗走|盗取|窃取|抢走|抢得|抢劫")
_MONEY_WORD = re.compile(r"款|钱|现金|资金|费|回扣|利息|租金|工资|报酬|赃|礼金|红包|购物卡")
# what refers back to money named earlier in the sentence
_MONEY_BACK = re.compile(r"该款|此款|上述款项|该笔|这笔|其中|赃款|款项")
_OBJECT = re.compile(r"(?:[向给以对与和从按经据受替用到在代去]|收取|收受|骗取|接待|感谢|答谢|结识|认识|联系|帮助|" + _GIVE.pattern +
                     r")(?:被告人|被害人|客户|购房客户|同案人)?[“\"]?$")
_CHANNEL = re.compile(r"(?:的)?[^，。；、从向往到给将把]{0,4}?(?:账户|账号|银行卡|卡)(?![内中上里])")
_LEND_VERB = re.compile(r"[转汇交借付送退还打拿分赔挪]")
_REACH = 24
# 杨某在担任X公司业务员期间…将本单位的货款517959元非法占为己有: the body he works at loses the money
_OWN_BODY_TAKEN = re.compile(r"将(?:本单位|本公司|所在单位|所在公司|单位|公司)的?[^，。；]{0,24}?(?:非法)?(?:占为己有|据为己有|侵吞|私分)")
_SERVES_AT = re.compile(r"(?:担任|任职于|任|在|就职于|受雇于)$")

Transfer = tuple[int, int, dict[str, Any]]


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at - 400), at)), default=max(0, at - 400))
    end = _SENTENCE_END.search(text, at)
    return start, end.start() if end else len(text)


def _clause_start(text: str, at: int, floor: int) -> int:
    return max((m.end() for m in _CLAUSE_END.finditer(text, floor, at)), default=floor)


def _clause_end(text: str, at: int, hi: int) -> int:
    end = _CLAUSE_END.search(text, at, hi)
    return end.start() if end else hi


class _Reader:
    def __init__(self, text: str, mentions: list[Candidate]) -> None:
        self.text = text
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def within(self, lo: int, hi: int) -> list[int]:
        return list(range(bisect_left(self.starts, lo), bisect_right(self.starts, hi - 1)))

    def party_after(self, at: int, hi: int) -> int | None:
        """The party the verb ending at `at` names: right after it, past role words; a company named
        with a post gives the person (X公司法定代表人赵某), 某指定的赵某 gives 赵某."""
        for i in self.within(at, min(hi, at + _REACH)):
            m = self.mentions[i]
            if m.label in _PARTY:
                return self._meant(i) if _BEFORE_RECEIVER.match(self.text[at:m.start]) else None
            if m.label == "BANK_ACCOUNT":
                return None
        return None

    def _meant(self, i: int) -> int:
        while i + 1 < len(self.mentions) and self.mentions[i + 1].label in _PARTY:
            between = self.text[self.mentions[i].end:self.mentions[i + 1].start]
            kinds = self.mentions[i].label, self.mentions[i + 1].label
            post = kinds == ("ORG", "PERSON") and _POST.fullmatch(between)
            in_name = _IN_NAME_OF.fullmatch(between) and self.text.startswith("名义", self.mentions[i + 1].end)
            run = kinds == ("PERSON", "ORG") and (_RUN_BY.fullmatch(between) or in_name)
            kin = kinds == ("PERSON", "PERSON") and _KIN.fullmatch(between)
            if not (post or run or kin or (between == "指定的" and kinds[1] == "PERSON")):
                break
            i += 1
        return i

    def listed_from(self, first: int) -> list[int]:
        """A party and those joined to it by 、和及与 (王某、赵某)."""
        chain = [first]
        while chain[-1] + 1 < len(self.mentions):
            current, following = self.mentions[chain[-1]], self.mentions[chain[-1] + 1]
            if following.label not in _PARTY or self.text[current.end:following.start] not in _JOINERS:
                break
            chain.append(chain[-1] + 1)
        return chain

    def listed_to(self, last: int, floor: int) -> list[int]:
        chain = [last]
        while chain[0] > 0:
            previous, current = self.mentions[chain[0] - 1], self.mentions[chain[0]]
            if previous.label not in _PARTY or previous.start < floor \
                    or self.text[previous.end:current.start] not in _JOINERS:
                break
            chain.insert(0, chain[0] - 1)
        return chain

    def payers(self, verb: int, sentence: tuple[int, int], receiver: int) -> list[int]:
        """The subject of the verb: the nearest party before it in its clause (with the parties
        listed with it; none for a group, 王某等人), else the first of the nearest clause before it
        in the sentence that names one; parties governed
        by a preposition or another transfer verb (向某, 按某的安排, 支付给某) and a bank named as
        the channel (通过其农业银行账户) are not."""
        end = verb
        clause = _clause_start(self.text, verb, sentence[0])
        parties = self._subjects(clause, end, receiver)
        proxy = _PROXY.search(self.text, clause, verb)
        if proxy:
            # only the relative named after the proxy word pays
            return [i for i in parties if self.mentions[i].start > proxy.start()][-1:]
        if parties:
            chain = self.listed_to(parties[-1], clause)
            return [] if self.text.startswith("等", self.mentions[chain[-1]].end) else chain
        while clause > sentence[0]:
            end = clause - 1
            clause = _clause_start(self.text, end, sentence[0])
            parties = self._subjects(clause, end, receiver)
            if parties:
                # 买受人熊某、周某按约定，分别…支付给: the list that opens the clause
                return [i for i in self.listed_from(parties[0]) if i in parties]
        return []

    def _subjects(self, lo: int, hi: int, receiver: int) -> list[int]:
        return [i for i in self.within(lo, hi) if self.mentions[i].label in _PARTY and i != receiver
                and self.mentions[i].end <= hi and self._subject(i)]

    def subject(self, sentence: tuple[int, int], verb: int) -> int | None:
        """The sentence's first person that no preposition governs: who 其 refers to."""
        return next((i for i in self.within(sentence[0], verb)
                     if self.mentions[i].label == "PERSON" and self._subject(i)), None)

    def _subject(self, i: int) -> bool:
        """Whether mention i can be the one who pays: not governed by a preposition or verb, not a
        person's possessive (陈某的购房款), not a bank named as the channel, not in brackets."""
        m = self.mentions[i]
        if _OBJECT.search(self.text, max(0, m.start - 14), m.start):
            return False
        if m.label == "PERSON" and self.text.startswith("的", m.end):
            return False
        if m.label == "ORG" and self.text[max(0, m.start - 2):m.start].endswith(("其", "其在")):
            return False  # 将其农行账户上的…: the subject's bank is the channel
        head = self.text[max(0, m.start - 30):m.start]
        if max(head.rfind("（"), head.rfind("(")) > max(head.rfind("）"), head.rfind(")")):
            return False
        return not _CHANNEL.match(self.text, m.end)

    def money(self, lo: int, hi: int) -> list[int]:
        return [i for i in self.within(lo, hi) if self.mentions[i].label == "MONEY"]

    def attrs(self, sentence: tuple[int, int], verb: int, lo: int, hi: int) -> dict[str, Any]:
        """The money of the clause [lo, hi) nearest after the verb (else before it; else, where the
        clause moves money named earlier, the sentence's last before the verb) and the sentence's
        last date before the verb."""
        attrs: dict[str, Any] = {}
        money = self.money(lo, hi)
        after = [i for i in money if self.mentions[i].start >= verb]
        chosen = after[0] if after else (money[-1] if money else None)
        if chosen is None and self._refers_back(lo, verb):
            earlier = self.money(sentence[0], lo)
            chosen = earlier[-1] if earlier else None
        if chosen is not None:
            attrs["amount"] = self.mentions[chosen].normalized
        dates = [i for i in self.within(max(0, sentence[0] - 1), verb) if self.mentions[i].label == "DATE"]
        if dates:
            attrs["at"] = self.mentions[dates[-1]].normalized
        return attrs

    def _refers_back(self, lo: int, verb: int) -> bool:
        """A clause with no object of its own (由刘某存入…, 交给林某) or one naming money said before
        (将该款转给…) moves the sentence's money; 将海洛因交给某 does not."""
        head = self.text[lo:verb]
        handled = head.rfind("将")
        return handled < 0 or bool(_MONEY_BACK.search(head, handled))

    def accounts_in(self, lo: int, hi: int) -> bool:
        return any(self.mentions[i].label == "BANK_ACCOUNT" for i in self.within(lo, hi))


class _Narrative:
    """The transfers one text states; each `read_*` method reads one of the shapes above."""

    def __init__(self, text: str, mentions: list[Candidate]) -> None:
        self.text = text
        self.mentions = mentions
        self.reader = _Reader(text, mentions)
        self.found: list[Transfer] = []

    def read(self, at: int, end: int, receiver: int | None = None) -> tuple[list[int], list[int], list[dict[str, Any]]]:
        """Payers, receivers (the party named right after [at, end) and those listed with it) and
        each receiver's attrs; empty where the sentence names no such pair or moves no money."""
        text, reader = self.text, self.reader
        sentence = _sentence(text, at)
        lo = _clause_start(text, at, sentence[0])
        if _NO_TRANSFER.search(text, sentence[0], at) or _UNPROVEN.search(text, *sentence) \
                or reader.accounts_in(*sentence) or self._unreal(sentence, lo, at):
            return [], [], []
        after = reader.party_after(end, sentence[1]) if receiver is None else receiver
        if after is None:
            return [], [], []
        payers = reader.payers(at, sentence, after)
        if not payers and _GOES_ON.match(text, sentence[0]) and sentence[0] > 1:
            before = _sentence(text, sentence[0] - 1)
            payers = reader.payers(sentence[0] - 1, before, after)[:1]
        receivers = reader.listed_from(after)
        last = self.mentions[receivers[-1]]
        if not payers or text.startswith("等", last.end):
            return [], [], []  # 骗取林某等十二人共计36.8万元: a group's total is no one's transfer
        hi = _clause_end(text, last.end, sentence[1])
        attrs = reader.attrs(sentence, at, lo, hi)
        if "amount" not in attrs and not _MONEY_WORD.search(text, lo, hi):
            return [], [], []  # 将海洛因交给某, 将案件材料交给某局: no money moved
        each = [dict(attrs) for _ in receivers]
        amounts = [i for i in reader.money(lo, hi) if self.mentions[i].start >= min(at, self.mentions[after].start)]
        if len(receivers) > 1 and len(amounts) == len(receivers) and "分别" in text[lo:hi]:
            for one, money in zip(each, amounts, strict=True):
                one["amount"] = self.mentions[money].normalized
        return payers, receivers, each

    def _unreal(self, sentence: tuple[int, int], lo: int, at: int) -> bool:
        """A negated, modal or merely claimed transfer (没有…支付给, 可以转给, 谎称…交给自己)."""
        text = self.text
        if _NEGATED.search(text, lo, at) or _MODAL.search(text, max(lo, at - 3), at):
            return True
        claims = [claim for claim in _IRREALIS.finditer(text, sentence[0], at)
                  if not _AS_AGREED.search(text, max(0, claim.start() - 16), claim.start())]
        return bool(claims) and not _THEN.search(text, claims[-1].end(), at)

    def add(self, payers: list[int], receivers: list[int], each: list[dict[str, Any]], reverse: bool = False) -> None:
        for receiver, attrs in zip(receivers, each, strict=True):
            for payer in payers:
                self.found.append((receiver, payer, attrs) if reverse else (payer, receiver, attrs))

    def read_giving(self) -> None:
        text = self.text
        for verb in (*_GIVE.finditer(text), *_USED_FOR.finditer(text)):
            if _NOT.search(text, max(0, verb.start() - 2), verb.start()):
                continue
            payers, receivers, each = self.read(verb.start(), verb.end())
            if not receivers and _OWN_ACCOUNT.match(text, verb.end()):
                sentence = _sentence(text, verb.start())
                own = self.reader.subject(sentence, verb.start())
                if own is not None:
                    payers, receivers, each = self.read(verb.start(), verb.end(), receiver=own)
                    receivers, each = receivers[:1], each[:1]
            if not receivers and _PRONOUN.match(text, verb.end()) and not _OWN_ACCOUNT.match(text, verb.end()):
                payers, receivers, each = self.read_pronoun(verb.start(), verb.end())
            self.add(payers, receivers, each)

    def read_pronoun(self, at: int, end: int) -> tuple[list[int], list[int], list[dict[str, Any]]]:
        """送给其现金 / 借给其10万元: 其 is the person named last between the payer and the verb
        (马某为感谢杨某…送给其现金: 杨某); with none between, 其 is the speaker of a statement or
        someone named earlier, and nothing is read."""
        sentence = _sentence(self.text, at)
        payers = self.reader.payers(at, sentence, -1)
        if not payers:
            return [], [], []
        between = [i for i in self.reader.within(self.mentions[payers[-1]].end, at)
                   if self.mentions[i].label == "PERSON"]
        if not between:
            return [], [], []
        payers, receivers, each = self.read(at, end, receiver=between[-1])
        return payers, receivers[:1], each[:1]

    def read_paying(self) -> None:
        """支付康辉旅行社3万元: the payee right after the verb, then the money."""
        text = self.text
        for verb in _PAY.finditer(text):
            if _NOT.search(text, max(0, verb.start() - 2), verb.start()):
                continue
            payers, receivers, each = self.read(verb.start(), verb.end())
            if receivers:
                tail = text[self.mentions[receivers[-1]].end:self.mentions[receivers[-1]].end + 6]
                money_next = any(self.mentions[i].start <= self.mentions[receivers[-1]].end + 4
                                 for i in self.reader.money(self.mentions[receivers[-1]].end, len(text)))
                if money_next or _MONEY_WORD.match(tail) or tail.startswith(("的借款", "的欠款", "的货款", "现金")):
                    self.add(payers, receivers, each)

    def read_towards(self) -> None:
        """向/给 + party (+ its account) + verb; 向 + party + a taking or borrowing verb turns it round."""
        text = self.text
        for word in re.finditer("[向给]", text):
            if word.group() == "给" and word.start() and _LEND_VERB.match(text, word.start() - 1):
                continue  # 交给/送给: read as giving
            payers, receivers, each = self.read(word.start(), word.end())
            if not receivers:
                continue
            last = self.mentions[receivers[-1]]
            account = _ACCOUNT_OF.match(text, last.end)
            verb_at = account.end() if account else last.end
            surrender = _SURRENDER.match(text, verb_at)
            verb_at = surrender.end() if surrender else verb_at
            adverb = _ADVERBS.match(text, verb_at)
            verb_at = adverb.end() if adverb else verb_at
            if text.startswith("出借", verb_at) or _TOWARDS.match(text, verb_at):
                self.add(payers, receivers, each)
            elif word.group() == "向" and (_TAKE.match(text, verb_at) or _BORROW.match(text, verb_at)):
                self.add(payers, receivers, each, reverse=True)

    def read_taken_away(self) -> None:
        """将李某银行卡内的现金取走: the party after 将 loses what the verb takes to the subject."""
        text = self.text
        for verb in _TAKEN_AWAY.finditer(text):
            sentence = _sentence(text, verb.start())
            lo = _clause_start(text, verb.start(), sentence[0])
            handle = text.rfind("将", lo, verb.start())
            if handle < 0 or not _MONEY_WORD.search(text, handle, verb.start()):
                continue
            owner = next((i for i in self.reader.within(handle + 1, handle + 6) if self.mentions[i].label == "PERSON"
                          and _BEFORE_RECEIVER.match(text[handle + 1:self.mentions[i].start])), None)
            if owner is not None:
                self.add(*self.read(verb.start(), verb.end(), receiver=owner), reverse=True)

    def read_money_then_receiver(self) -> None:
        """转了5万元给郭某: a transfer verb, the money, 给 and the receiver."""
        text = self.text
        for i, money in enumerate(self.mentions):
            # 转了5万元给郭某, 转账13万元人民币至余某的账户
            joint = re.match(r"(?:人民币)?(?:给|至|到)", text[money.end:money.end + 4])
            if money.label != "MONEY" or not joint or i + 1 >= len(self.mentions):
                continue
            head = text[max(0, money.start - 8, _clause_start(text, money.start, 0)):money.start]
            if not _LEND_VERB.search(head):
                continue
            self.add(*self.read(money.end, money.end + joint.end()))

    def read_taking(self) -> None:
        """收受尹某…回扣, 收到孙某支付的…: the party after the verb gives; 从某处借得: the party lends."""
        text = self.text
        for take in _TAKE.finditer(text):
            if text[take.start() - 1] == "向" or _NOT.search(text, max(0, take.start() - 2), take.start()):
                continue
            payers, receivers, each = self.read(take.start(), take.end())
            if payers and _THEFT.fullmatch(take.group()) and self.mentions[payers[-1]].label != "PERSON":
                continue
            if receivers and not text[self.mentions[payers[-1]].end:take.start()].endswith("被"):
                self.add(payers, receivers[:1], each[:1], reverse=True)
        for source in re.finditer("从", text):
            payers, receivers, each = self.read(source.start(), source.end())
            if receivers:
                after = self.mentions[receivers[0]].end
                if text.startswith("处", after) and _BORROW.match(text, after + 1):
                    self.add(payers, receivers[:1], each[:1], reverse=True)


def embezzlements(text: str, mentions: list[Candidate]) -> list[Transfer]:
    """(body, person, attrs) where the facts say a person took money of the body he serves
    (将本单位的货款…占为己有, with an amount in the clause): the body is the one named after 担任/在/任
    earlier in the sentence, the person the sentence's subject."""
    reader = _Reader(text, mentions)
    found: list[Transfer] = []
    for taken in _OWN_BODY_TAKEN.finditer(text):
        sentence = _sentence(text, taken.start())
        money = reader.money(taken.start(), taken.end())
        person = reader.subject(sentence, taken.start())
        bodies = [i for i in reader.within(sentence[0], taken.start()) if mentions[i].label == "ORG"
                  and _SERVES_AT.search(text, max(sentence[0], mentions[i].start - 4), mentions[i].start)]
        if money and person is not None and bodies:
            found.append((bodies[-1], person, reader.attrs(sentence, taken.start(), taken.start(), taken.end())))
    return found


def narrative_transfers(text: str, mentions: list[Candidate]) -> list[Transfer]:
    """(from index, to index, attrs) for each transfer the narrative states between two parties."""
    narrative = _Narrative(text, mentions)
    narrative.read_giving()
    narrative.read_paying()
    narrative.read_towards()
    narrative.read_money_then_receiver()
    narrative.read_taken_away()
    narrative.found.extend(embezzlements(text, mentions))
    narrative.read_taking()
    seen: set[tuple[int, int]] = set()
    unique: list[Transfer] = []
    for a, b, attrs in narrative.found:
        if mentions[a].normalized != mentions[b].normalized and (a, b) not in seen:
            seen.add((a, b))
            unique.append((a, b, attrs))
    return unique
