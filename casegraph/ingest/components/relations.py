"""Relations between the kept mentions, from cue words inside one sentence.

- LEGAL_REP / CONTROLS / SHAREHOLDER / EMPLOYED_BY (person -> organisation): "X公司法定代表人张某"
  (the person right after the cue, the organisation nearest before it) or "张某系X公司股东" (the
  organisation right before the cue, the person nearest before the organisation), and
  "张某实际控制的X公司".
- OWNS_ACCOUNT (person/organisation -> account): "户名张某" right after the account, else the
  nearest person or non-bank organisation before it in the sentence.
- TRANSFERRED_TO (account -> account): two accounts with a transfer verb between them; amount and
  date from the sentence.
- ROLE_IN (party -> the document's own case number): the role its role word gives; parties
  named right before 涉嫌 without one are suspects (in a risk alert: subjects); the controller a
  penalty decision holds responsible (当事人的实际控制人X) is the responsible person.
  A legal representative has no role in the case itself: that is the LEGAL_REP relation.
- CO_DEFENDANT: from the first defendant of a judgment or indictment to each other one, and
  from a suspect to those he acted with (X伙同Y): a star, not every pair, so that one case with
  five defendants gives four facts, as the shared truth format records them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest import kinds
from casegraph.ingest.components.base import RELATIONS_KEY, Candidate, doc_text, selected
from casegraph.ingest.components.case_parties import (
    accomplices,
    lawyers_of_firms,
    mark_embezzled_bodies,
    mark_other_suspects,
    mark_witnesses,
    prosecutors_sent,
)
from casegraph.ingest.components.holdings import holdings
from casegraph.ingest.components.transfers import narrative_transfers

_RELATION_CUES = {
    "法定代表人": "LEGAL_REP", "法人代表": "LEGAL_REP", "实际控制人": "CONTROLS", "实际控制": "CONTROLS", "实际经营者": "CONTROLS",
    "控制人": "CONTROLS", "股东": "SHAREHOLDER", "出资人": "SHAREHOLDER", "持股": "SHAREHOLDER",
    "员工": "EMPLOYED_BY", "职员": "EMPLOYED_BY", "业务员": "EMPLOYED_BY", "会计": "EMPLOYED_BY",
    "出纳": "EMPLOYED_BY", "财务人员": "EMPLOYED_BY", "财务": "EMPLOYED_BY", "总经理": "EMPLOYED_BY",
    "副总经理": "EMPLOYED_BY", "经理": "EMPLOYED_BY", "客户经理": "EMPLOYED_BY", "业务经理": "EMPLOYED_BY",
    "财务总监": "EMPLOYED_BY", "工作人员": "EMPLOYED_BY", "主管": "EMPLOYED_BY", "入职": "EMPLOYED_BY",
    "任职": "EMPLOYED_BY", "就职": "EMPLOYED_BY", "受雇": "EMPLOYED_BY", "工作": "EMPLOYED_BY",
    "董事会秘书": "EMPLOYED_BY", "董事": "EMPLOYED_BY", "监事": "EMPLOYED_BY",
    # posts in a public body or a company (史永昆利用担任X林业局桥梁工程处处长的职务便利)
    "处长": "EMPLOYED_BY", "场长": "EMPLOYED_BY", "院长": "EMPLOYED_BY", "局长": "EMPLOYED_BY",
    "所长": "EMPLOYED_BY", "站长": "EMPLOYED_BY", "科长": "EMPLOYED_BY", "股长": "EMPLOYED_BY",
    "队长": "EMPLOYED_BY", "主任": "EMPLOYED_BY", "书记": "EMPLOYED_BY", "职工": "EMPLOYED_BY",
    "民警": "EMPLOYED_BY", "干部": "EMPLOYED_BY", "厂长": "EMPLOYED_BY", "行长": "EMPLOYED_BY",
    "店长": "EMPLOYED_BY", "店员": "EMPLOYED_BY", "营业员": "EMPLOYED_BY", "收银员": "EMPLOYED_BY",
    "服务员": "EMPLOYED_BY", "打工": "EMPLOYED_BY", "上班": "EMPLOYED_BY", "务工": "EMPLOYED_BY",
    "经营者": "CONTROLS", "业主": "CONTROLS",
    # posts the facts of judgments name (X公司保安被告人裴某, 担任X合作社理事长, X村村长)
    "保安": "EMPLOYED_BY", "库管员": "EMPLOYED_BY", "保管员": "EMPLOYED_BY", "理事长": "EMPLOYED_BY",
    "收款员": "EMPLOYED_BY", "销售员": "EMPLOYED_BY", "推销员": "EMPLOYED_BY", "司机": "EMPLOYED_BY",
    "村长": "EMPLOYED_BY", "门卫": "EMPLOYED_BY", "记账员": "EMPLOYED_BY", "文书": "EMPLOYED_BY",
    # a chair is neither an employee nor by that word alone a legal representative; a court's
    # clerk and presiding judge are roles in the case, not posts read here
    "董事长": "", "书记员": "", "审判长": "",
}
# words that point back to the organisation last named (该公司法定代表人为崔某)
_ANAPHORA = ("该公司", "该单位", "被告单位", "该企业", "该行", "该机构")
_ANAPHORA_REACH = 400
_CUE = re.compile("|".join(sorted(_RELATION_CUES, key=len, reverse=True)))
_TRANSFER = re.compile(r"转入|转至|转账|汇入|汇至|转到|划转|划入|转给|汇给|支付至|打入|存入|转款|汇款")
_SENTENCE_END = re.compile(r"[。！？!?;；]")
_FINAL = frozenset("。！？!?;；:：")
_HEADING = 30


def sentence_breaks(text: str) -> list[int]:
    """Offsets just after each sentence end. A line break ends a sentence after final punctuation
    or a short (heading) line; elsewhere it is a PDF's wrapped line and the sentence goes on."""
    breaks = [m.end() for m in _SENTENCE_END.finditer(text)]
    line_start = 0
    newline = text.find("\n")
    while newline >= 0:
        if newline - line_start < _HEADING or (newline and text[newline - 1] in _FINAL):
            breaks.append(newline + 1)
        line_start = newline + 1
        newline = text.find("\n", line_start)
    breaks.sort()
    return breaks
_GAP = " :：为系是即的()副"
# between a post and the person: his role word in the case (X公司保安被告人裴某)
_ROLE_BETWEEN = re.compile(r"(?:原审被告人|被告人|上诉人|犯罪嫌疑人|被害人|证人)$")
_BANK_WORDS = ("银行", "信用社", "支行", "分行", "营业部", "信用合作联社")
_JOINERS = ("、", "和", "与", "及")
# roles a party has in the case; 法定代表人 makes a LEGAL_REP relation instead
_CASE_ROLES = frozenset({"defendant", "suspect", "victim", "witness", "penalized_party", "responsible_person",
                         "subject", "lawyer", "judge", "juror", "prosecutor", "clerk", "representative"})
_PARTY_ROLES = frozenset({"defendant", "suspect", "victim"})
_RESPONSIBLE = re.compile(r"当事人的?(?:实际控制人|直接负责的主管人员|主要负责人)|直接负责的主管人员")


@dataclass(slots=True)
class Found:
    type: str
    source: int
    target: int
    role: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


class _Index:
    """Mentions by position and sentence, for "nearest before/after" questions."""

    def __init__(self, text: str, mentions: list[Candidate]) -> None:
        self.text = text
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.breaks = sentence_breaks(text)
        self.banks = {i for i, m in enumerate(mentions)
                      if m.label == "ORG" and any(w in (m.normalized or "") for w in _BANK_WORDS)}

    def sentence(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.breaks, offset)
        return (self.breaks[i - 1] if i else 0), (self.breaks[i] if i < len(self.breaks) else len(self.text))

    def before(self, offset: int, labels: tuple[str, ...], floor: int, skip_banks: bool = False) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and self.mentions[i].start >= floor:
            m = self.mentions[i]
            if m.end <= offset and m.label in labels and not (skip_banks and i in self.banks):
                return i
            i -= 1
        return None

    def subject_before(self, offset: int, floor: int) -> int | None:
        """The nearest person before `offset` who is not named as someone's relation (孙某之妻, 孙某的):
        系孙德明之妻，在某中学工作 is the wife's post."""
        person = self.before(offset, ("PERSON",), floor)
        while person is not None and self.text.startswith(("之", "的"), self.mentions[person].end):
            person = self.before(self.mentions[person].start, ("PERSON",), floor)
        return person

    def right_after(self, offset: int, labels: tuple[str, ...], gap: int = 3) -> int | None:
        i = bisect_right(self.starts, offset - 1)
        if i < len(self.mentions):
            m = self.mentions[i]
            between = self.text[offset:m.start]
            role = _ROLE_BETWEEN.search(between)
            between = between[:role.start()] if role and "PERSON" in labels else between
            if m.label in labels and len(between) <= gap and all(c in _GAP for c in between):
                return i
        return None

    def right_before(self, offset: int, labels: tuple[str, ...], gap: int = 2) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and self.mentions[i].end > offset:
            i -= 1
        if i >= 0:
            m = self.mentions[i]
            between = self.text[m.end:offset]
            if m.label in labels and len(between) <= gap and all(c in _GAP for c in between):
                return i
        return None

    def full_name(self, org: int) -> int:
        """The full name an organisation's defined short form (以下简称...) stands for."""
        full_name = self.mentions[org].attrs.get("full_name")
        if full_name:
            for i, m in enumerate(self.mentions):
                if m.label == "ORG" and m.normalized == full_name:
                    return i
        return org

    def anaphora(self, offset: int) -> int | None:
        """The organisation that 该公司/该行 just before `offset` refers to."""
        before = self.text[max(0, offset - 4):offset]
        if before.endswith(("当事人的", "当事人")):
            # a penalty decision calls the penalised company 当事人 throughout
            return next((i for i, m in enumerate(self.mentions)
                         if m.label == "ORG" and m.attrs.get("role") == "penalized_party"), None)
        for word in _ANAPHORA:
            if before.endswith(word):
                start = offset - len(word)
                return self.before(start, ("ORG",), start - _ANAPHORA_REACH, skip_banks=word != "该行")
        return None

    def list_from(self, first: int) -> list[int]:
        """A mention and the same-type mentions joined to it by 、 和 及 与."""
        chain = [first]
        while chain[-1] + 1 < len(self.mentions):
            current, following = self.mentions[chain[-1]], self.mentions[chain[-1] + 1]
            if following.label != current.label or self.text[current.end:following.start] not in ("、", "和", "及", "与"):
                break
            chain.append(chain[-1] + 1)
        return chain

    def list_to(self, last: int) -> list[int]:
        chain = [last]
        while chain[0] > 0:
            current, previous = self.mentions[chain[0]], self.mentions[chain[0] - 1]
            if previous.label != current.label or self.text[previous.end:current.start] not in ("、", "和", "及", "与"):
                break
            chain.insert(0, chain[0] - 1)
        return chain


def _cue_list_start(text: str, start: int) -> int:
    """Start of a list of cue words ending at `start`: 股东、实际控制人 share one organisation."""
    while start > 0 and text[start - 1] == "、":
        previous = max((m for m in _CUE.finditer(text, max(0, start - 7), start - 1)
                        if m.end() == start - 1), key=lambda m: m.end() - m.start(), default=None)
        if previous is None:
            break
        start = previous.start()
    return start


def _role_relations(index: _Index, found: list[Found]) -> None:
    text = index.text
    for cue in _CUE.finditer(text):
        kind = _RELATION_CUES[cue.group()]
        if not kind:
            continue
        floor, _ = index.sentence(cue.start())
        lead = _cue_list_start(text, cue.start())
        person = index.right_after(cue.end(), ("PERSON",))
        if person is not None:
            org = index.anaphora(lead)
            if org is None:
                org = index.before(lead, ("ORG",), floor, skip_banks=kind != "EMPLOYED_BY")
            if org is None and (lead == 0 or text[lead - 1] == "\n"):
                # a party header line (法定代表人：张某) belongs to the party named lines before
                org = index.before(lead, ("ORG",), lead - _ANAPHORA_REACH, skip_banks=True)
            if org is not None:
                org = index.full_name(org)
                found.extend(Found(kind, p, org) for p in index.list_from(person))
            continue
        org = index.right_before(lead, ("ORG",))
        if org is None:
            referred = index.anaphora(lead)
            person = index.before(lead, ("PERSON",), floor) if referred is not None else None
            if referred is not None and person is not None:
                found.extend(Found(kind, p, index.full_name(referred)) for p in index.list_to(person))
                continue
        if org is not None:
            orgs = [index.full_name(o) for o in index.list_to(org)]
            person = index.subject_before(index.mentions[org].start, floor)
            if person is not None:
                found.extend(Found(kind, p, o) for p in index.list_to(person) for o in orgs)
            continue
        org = index.right_after(cue.end(), ("ORG",), gap=2)
        if org is not None:
            # 董某实际控制丰中金融、博润公司: every organisation of the list, as written
            person = index.before(cue.start(), ("PERSON",), floor)
            if person is not None:
                found.extend(Found(kind, p, o) for p in index.list_to(person) for o in index.list_from(org))


def _receiving_side(index: _Index, owner: int, account_start: int) -> bool:
    """Whether the account is the receiving end of a transfer the owner found before it made: in
    "郭桂英通过其账户A向郭春波的账户B转账", when 郭春波 was not read as a name, the nearest person before
    B is the sender, who holds A, not B. An account of the owner's, then 向, stand between them."""
    between_end = account_start
    start = index.mentions[owner].end
    towards = index.text.rfind("向", start, between_end)
    if towards < 0:
        return False
    return any(m.label == "BANK_ACCOUNT" and start <= m.start and m.end <= towards for m in index.mentions)


def _account_relations(index: _Index, found: list[Found]) -> None:
    text = index.text
    accounts = [i for i, m in enumerate(index.mentions) if m.label == "BANK_ACCOUNT"]
    for i in accounts:
        account = index.mentions[i]
        floor, ceiling = index.sentence(account.start)
        after = text[account.end:min(ceiling, account.end + 12)]
        holder_at = after.find("户名")
        owner = None
        if holder_at >= 0:
            owner = index.right_after(account.end + holder_at + 2, ("PERSON", "ORG"))
        if owner is None:
            owner = index.anaphora(account.start - 4 if text[account.start - 4:account.start] in ("对公账户",
                                                                                              "银行账户") else
                                   account.start - 2 if text[account.start - 2:account.start] in ("账户", "账号")
                                   else account.start)
        if owner is None:
            # 其本人账户 / 个人账户: the person the sentence is about, not the company before
            personal = any(w in text[max(0, account.start - 8):account.start] for w in ("本人", "个人"))
            owner = index.before(account.start, ("PERSON",) if personal else ("PERSON", "ORG"), floor,
                                 skip_banks=True)
            if owner is not None and _receiving_side(index, owner, account.start):
                owner = None
        if owner is not None:
            owner = index.full_name(owner) if index.mentions[owner].label == "ORG" else owner
        if owner is not None:
            found.append(Found("OWNS_ACCOUNT", owner, i))
    for a, b in pairwise(accounts):
        first, second = index.mentions[a], index.mentions[b]
        floor, ceiling = index.sentence(first.start)
        if second.start >= ceiling:
            continue
        verb = _TRANSFER.search(text, first.end, second.start) or _TRANSFER.search(text, second.end, ceiling)
        if not verb:
            continue
        attrs: dict[str, Any] = {}
        for m in index.mentions:
            if floor <= m.start < ceiling:
                if m.label == "MONEY" and "amount" not in attrs:
                    attrs["amount"] = m.normalized
                elif m.label == "DATE" and "at" not in attrs:
                    attrs["at"] = m.normalized
        found.append(Found("TRANSFERRED_TO", a, b, attrs=attrs))


def _chain_before(text: str, mentions: list[Candidate], last: int) -> list[int]:
    """The parties listed up to mention `last` (张某、李某及X公司)."""
    chain = [last]
    while chain[0] > 0:
        previous = mentions[chain[0] - 1]
        if previous.label not in ("PERSON", "ORG") or text[previous.end:mentions[chain[0]].start] not in _JOINERS:
            break
        chain.insert(0, chain[0] - 1)
    return chain


def _implicit_roles(text: str, mentions: list[Candidate]) -> None:
    """Roles given without a role word: parties named with the charge they are suspected of, and
    the person a penalty decision holds responsible."""
    kind = kinds.classify(text)
    named_role = "subject" if kind == "risk_alert" else "suspect"
    for i, mention in enumerate(mentions):
        if mention.label not in ("PERSON", "ORG"):
            continue
        if mention.attrs.get("cue") == "侦办":
            continue  # 在侦办王东彬涉嫌…一案: the suspect of another agency's case, which the document cites
        # 杨某、张某及X公司涉嫌合同诈骗罪 / A公司、B公司等机构涉嫌
        if text.startswith("涉嫌", mention.end) or (kind == "risk_alert" and text.startswith("等", mention.end)):
            for j in _chain_before(text, mentions, i):
                if not mentions[j].attrs.get("role") or mentions[j].attrs.get("role") == "legal_rep":
                    mentions[j].attrs["role"] = named_role
        before = text[max(0, mention.start - 14):mention.start].rstrip(":：为是 ")
        if mention.label == "PERSON" and kind == "risk_alert" and before.endswith("实际控制人"):
            mention.attrs.setdefault("role", "subject")
        elif mention.label == "PERSON" and _RESPONSIBLE.search(before) and before.endswith(("人", "员")):
            mention.attrs["role"] = "responsible_person"


def _party_relations(text: str, mentions: list[Candidate], found: list[Found]) -> None:
    own = next((i for i, m in enumerate(mentions) if m.label == "CASE_NUMBER" and m.attrs.get("own")), -1)
    if own < 0:
        return  # reports and alerts open no case: their parties have no role in one
    _implicit_roles(text, mentions)
    mark_other_suspects(text, mentions)
    mark_witnesses(text, mentions)
    mark_embezzled_bodies(text, mentions)
    seen: set[tuple[str | None, str]] = set()
    defendants: dict[str | None, int] = {}
    # a party of the crime who also testifies is a party, not a witness (one role per person)
    parties = {m.normalized for m in mentions if m.attrs.get("role") in _PARTY_ROLES}
    for i, mention in enumerate(mentions):
        role = mention.attrs.get("role")
        if mention.label not in ("PERSON", "ORG") or role not in _CASE_ROLES:
            continue
        if (mention.normalized, role) in seen or (role == "witness" and mention.normalized in parties):
            continue
        seen.add((mention.normalized, role))
        found.append(Found("ROLE_IN", i, own, role))
        if role == "defendant" and mention.label == "PERSON":
            defendants.setdefault(mention.normalized, i)
    order = list(defendants.values())
    for other in order[1:]:
        found.append(Found("CO_DEFENDANT", order[0], other))
    _accomplices(text, mentions, found)


def _accomplices(text: str, mentions: list[Candidate], found: list[Found]) -> None:
    """X伙同Y(、Z): the one who acts with the others, as CO_DEFENDANT from X."""
    for lead, named in accomplices(text, mentions):
        found.extend(Found("CO_DEFENDANT", lead, j) for j in named if mentions[j].normalized != mentions[lead].normalized)


def find_relations(text: str, mentions: list[Candidate]) -> list[Found]:
    index = _Index(text, mentions)
    found: list[Found] = []
    _role_relations(index, found)
    _account_relations(index, found)
    _party_relations(text, mentions, found)
    found.extend(Found("EMPLOYED_BY", p, o) for p, o in prosecutors_sent(text, mentions) + lawyers_of_firms(text, mentions))
    found.extend(Found("TRANSFERRED_TO", a, b, attrs=attrs) for a, b, attrs in narrative_transfers(text, mentions))
    found.extend(Found(kind, p, index.full_name(o)) for kind, p, o in holdings(text, mentions))
    unique: dict[tuple[str, int, int, str | None], Found] = {}
    for relation in found:
        if relation.source != relation.target:
            unique.setdefault((relation.type, relation.source, relation.target, relation.role), relation)
    return list(unique.values())


@Language.factory("casegraph_relations", assigns=["doc.user_data"])
def make_relations(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder()


class RelationFinder:
    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[RELATIONS_KEY] = find_relations(doc_text(doc), selected(doc))
        return doc
