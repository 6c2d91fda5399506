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

_SENDS = re.compile(r"指派|派员|派出")
# where the list of prosecutors a procuratorate sends ends
_SENT_END = re.compile(r"出庭|出席|参加|[。；;]")
_LAWYER_CUE = re.compile(r"辩护人|诉讼代理人|代理人|辩护律师")
_FIRM_AFTER = re.compile(r"\s*律师")
# 张某(另案处理), 季某某(未成年人,另案处理), 谢某某(已死亡): others of the same crime
_SAME_CRIME = re.compile(r"\([^()]{0,10}?(?:另案处理|另处|另案|在逃|均?已判刑|已判决|另案起诉|已死亡|已被判刑)\)")
# 李某被骗 / 被骗的张某: someone the crime harmed
_DECEIVED = re.compile(r"被骗|受骗")
_LAWYER_REACH = 40
# 张某、李某的证言 / 张某等证人的证言: the list before it are witnesses
_TESTIMONY = ("的证言", "证言", "等证人的证言", "等人的证言", "等证人证言")


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
        if mention.label != "PERSON" or not text.startswith(_TESTIMONY, mention.end):
            continue
        j = i
        while j >= 0 and mentions[j].label == "PERSON":
            if mentions[j].normalized not in with_role:
                mentions[j].attrs["role"] = "witness"
            if j == 0 or text[mentions[j - 1].end:mentions[j].start] not in ("、", "和", "及"):
                break
            j -= 1


def mark_other_suspects(text: str, mentions: list[Candidate]) -> None:
    """Others of the same crime get the suspect role, people said to be deceived the victim's,
    unless the document gives them another one."""
    with_role = {m.normalized for m in mentions if m.label == "PERSON" and m.attrs.get("role")}
    for i, mention in enumerate(mentions):
        if mention.label != "PERSON" or mention.normalized in with_role:
            continue
        after_other = i and text[mentions[i - 1].end:mention.start] == "伙同" and mentions[i - 1].label == "PERSON"
        if _SAME_CRIME.match(text, mention.end) or after_other:
            mention.attrs["role"] = "suspect"
        elif _DECEIVED.match(text, mention.end) or text.endswith(("被骗的", "受骗的"), 0, mention.start):
            mention.attrs["role"] = "victim"
