"""Who acts in a judgment's case besides its parties, as judgments write it: the prosecutors a
procuratorate sends (X人民检察院指派检察员张某、李某出庭), the lawyers and their firm (辩护人张某、李某，
X律师事务所律师), and the others of the same crime (同案人张某, 张某(另案处理), 伙同张某 when 张某 is no
defendant here), who are suspects in this case.

The people whose testimony the evidence lists are witnesses. Functions take the kept mentions in text order and give (person index, organisation index) pairs
or set roles on the mentions; relations.py turns them into relations.
"""

from __future__ import annotations

import re

from casegraph.ingest.components.base import Candidate
from casegraph.ingest.components.transfers import embezzlements

_SENDS = re.compile(r"指派|派员|派出|(?=(?:代理|助理)?检察员|检察官)")
# where the list of prosecutors a procuratorate sends ends
_SENT_END = re.compile(r"出庭|出席|参加|[。；;]")
_LAWYER_CUE = re.compile(r"辩护人|诉讼代理人|代理人|辩护律师")
_FIRM_AFTER = re.compile(r"\s*律师")
# 张某(另案处理), 季某某(未成年人,另案处理), 谢某某(已死亡): others of the same crime
_SAME_CRIME = re.compile(r"[（(][^（）()]{0,10}?(?:另案处理|另处|另案|在逃|均?已判刑|已判决|另案起诉|已死亡|已被判刑|另案判决|"
                         r"已被立案|另行处理|已被起诉|已起诉)[）)]")
# 郑某、江某为团队长（均已判刑）: everyone the sentence names before it
_ALL_SAME_CRIME = re.compile(r"[（(]均[^（）()]{0,8}?(?:另案处理|另处|另案|在逃|已判刑|已判决|另案起诉|已被判刑)[）)]")
_ACCOMPLICE_CUES = ("同案人", "同案犯", "共同作案人")
_WITH = "伙同"
# before an accomplice's name: his post or description (时任林场党支部书记的李某, 副场长赵某)
_FIRST_LEAD, _NEXT_LEAD = 30, 6
_OBJECT_BEFORE = "到向对从在给与被把将和"
_ASIDE = re.compile(r"[（(][^（）()]{0,20}[）)]")
_STOPS = re.compile(r"[。；;]")
# 李某被骗 / 被骗的张某: someone the crime harmed
_DECEIVED = re.compile(r"被骗|受骗")
_LAWYER_REACH = 40
# 张某、李某的证言 / 张某等证人的证言: the list before it are witnesses
_TESTIMONY = ("的证言", "证言", "等证人的证言", "等人的证言", "等证人证言", "的证词", "证词", "的询问笔录", "询问笔录",
              "等人的询问笔录")
# 询问梁某笔录证实 / 询问赵某的笔录: the person questioned
_QUESTIONED = re.compile(r"询问(?:证人)?$")
_RECORD = ("笔录", "的笔录")


def _persons_between(mentions: list[Candidate], start: int, end: int) -> list[int]:
    return [i for i, m in enumerate(mentions) if m.label == "PERSON" and start <= m.start and m.end <= end]


def prosecutors_sent(text: str, mentions: list[Candidate]) -> list[tuple[int, int]]:
    """X人民检察院指派检察员张某、代理检察员李某出庭: each prosecutor works for X."""
    pairs: list[tuple[int, int]] = []
    for i, org in enumerate(mentions):
        if org.label != "ORG" or "检察" not in text[org.start:org.end]:
            continue
        sends = _SENDS.match(text, org.end)
        if not sends:
            continue
        ends = _SENT_END.search(text, sends.end())
        stop = ends.start() if ends else min(len(text), sends.end() + 40)
        pairs.extend((p, i) for p in _persons_between(mentions, sends.end(), stop))
    return pairs


def lawyers_of_firms(text: str, mentions: list[Candidate]) -> list[tuple[int, int]]:
    """辩护人张某、李某，X律师事务所律师: the lawyers named since the role word work for the firm."""
    pairs: list[tuple[int, int]] = []
    for i, firm in enumerate(mentions):
        if firm.label != "ORG" or not text[firm.start:firm.end].endswith("事务所") \
                or not _FIRM_AFTER.match(text, firm.end):
            continue
        cues = list(_LAWYER_CUE.finditer(text, max(0, firm.start - _LAWYER_REACH), firm.start))
        if cues:
            pairs.extend((p, i) for p in _persons_between(mentions, cues[-1].end(), firm.start))
    return pairs


def mark_witnesses(text: str, mentions: list[Candidate]) -> None:
    """The people whose testimony (证言) the evidence lists are witnesses, unless they have a role."""
    with_role = {m.normalized for m in mentions if m.label == "PERSON" and m.attrs.get("role")}
    for i, mention in enumerate(mentions):
        questioned = _QUESTIONED.search(text, max(0, mention.start - 4), mention.start) \
            and text.startswith(_RECORD, mention.end)
        if mention.label != "PERSON" or not (text.startswith(_TESTIMONY, mention.end) or questioned):
            continue
        j = i
        while j >= 0 and mentions[j].label == "PERSON":
            if mentions[j].normalized not in with_role:
                mentions[j].attrs["role"] = "witness"
            if j == 0 or text[mentions[j - 1].end:mentions[j].start] not in ("、", "和", "及"):
                break
            j -= 1


def _person_list(text: str, mentions: list[Candidate], first: int) -> list[int]:
    chain = [first]
    while chain[-1] + 1 < len(mentions) and mentions[chain[-1] + 1].label == "PERSON" \
            and _ASIDE.sub("", text[mentions[chain[-1]].end:mentions[chain[-1] + 1].start]) in ("、", "和", "及", "与"):
        chain.append(chain[-1] + 1)
    return chain


def named_with(text: str, mentions: list[Candidate], at: int) -> list[int]:
    """The people 伙同 (ending at `at`) names, across the commas of their posts: 伙同时任林场党支部书记的
    李明，副场长赵某、王某，报账员李某贪污 → 李明, 赵某, 王某, 李某."""
    named: list[int] = []
    position, reach = at, _FIRST_LEAD
    following = next((i for i, m in enumerate(mentions) if m.start >= at and m.label == "PERSON"), len(mentions))
    while following < len(mentions):
        lead = text[position:mentions[following].start]
        if len(lead) > reach or any(c in lead for c in "，,。；;、") or (lead and lead[-1] in _OBJECT_BEFORE):
            break
        chain = _person_list(text, mentions, following)
        named.extend(chain)
        end = mentions[chain[-1]].end
        aside = _ASIDE.match(text, end)
        end = aside.end() if aside else end
        if not text.startswith(("，", ","), end):
            break
        position, reach = end + 1, _NEXT_LEAD
        following = next((i for i in range(chain[-1] + 1, len(mentions)) if mentions[i].label == "PERSON"),
                         len(mentions))
    return named


def accomplices(text: str, mentions: list[Candidate]) -> list[tuple[int, list[int]]]:
    """(who acts, [those he acts with]) for each X伙同Y: X is the person right before 伙同 (the first
    of a 伙同 chain), else the sentence's defendant."""
    found: list[tuple[int, list[int]]] = []
    for word in re.finditer(_WITH, text):
        named = named_with(text, mentions, word.end())
        if not named:
            continue
        before = [i for i, m in enumerate(mentions) if m.end <= word.start() and m.label == "PERSON"]
        lead = before[-1] if before and mentions[before[-1]].end == word.start() else None
        if lead is not None:
            while lead > 0 and mentions[lead - 1].label == "PERSON" \
                    and text[mentions[lead - 1].end:mentions[lead].start] == _WITH:
                lead -= 1
        else:
            stop = max((m.end() for m in _STOPS.finditer(text, 0, word.start())), default=0)
            lead = next((i for i in before if mentions[i].start >= stop
                         and mentions[i].attrs.get("role") == "defendant"), None)
        if lead is not None:
            found.append((lead, named))
    return found


def _same_crime_lists(text: str, mentions: list[Candidate]) -> list[int]:
    """People of the same crime named in a list: 同案人A、B、C, and those before （均已判刑）."""
    others: list[int] = []
    for i, mention in enumerate(mentions):
        if mention.label == "PERSON" and mention.attrs.get("cue") in _ACCOMPLICE_CUES:
            others.extend(_person_list(text, mentions, i))
    for aside in _ALL_SAME_CRIME.finditer(text):
        stop = max((m.end() for m in re.finditer("[。；;：:]", text[:aside.start()])), default=0)
        others.extend(i for i, m in enumerate(mentions) if m.label == "PERSON" and stop <= m.start < aside.start())
    return others


def mark_other_suspects(text: str, mentions: list[Candidate]) -> None:
    """Others of the same crime get the suspect role, people said to be deceived the victim's,
    unless the document gives them another one."""
    # a witness who was one of the crime is a suspect (ANNOTATION.md: one role per person)
    with_role = {m.normalized for m in mentions if m.label == "PERSON" and m.attrs.get("role") not in (None, "witness")}
    others = set(_same_crime_lists(text, mentions))
    for _, named in accomplices(text, mentions):
        others.update(named)
    for i, mention in enumerate(mentions):
        if mention.label != "PERSON" or mention.normalized in with_role:
            continue
        if _SAME_CRIME.match(text, mention.end) or i in others:
            mention.attrs["role"] = "suspect"
        elif _DECEIVED.match(text, mention.end) or text.endswith(("被骗的", "受骗的"), 0, mention.start):
            mention.attrs["role"] = "victim"


def mark_embezzled_bodies(text: str, mentions: list[Candidate]) -> None:
    """The body a defendant took money from (将本单位的货款…占为己有) is the victim of the case
    (ANNOTATION.md), unless the document gives it another role."""
    for body, _, _ in embezzlements(text, mentions):
        if not mentions[body].attrs.get("role"):
            mentions[body].attrs["role"] = "victim"
