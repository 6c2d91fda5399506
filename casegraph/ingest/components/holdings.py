"""Who owns and runs a company as the facts of a judgment tell it, beside the cue words of
relations.py (法定代表人张某, 张某系X公司股东):

- founding: `王翼、彭文弘、黄康康先后注册成立永欣公司、青岛首创公司` — the founders together are
  shareholders (SHAREHOLDER, also 共同出资设立, 合伙/合股); one who founds alone (单独成立, 一人
  成立) controls it (CONTROLS); a single founder without such a word gives nothing (he may be its
  employee or its front);
- running: `魏如敏经营被告单位泛澄公司`, `其丈夫黄某经营的创联公司`, `叶正忙、程志勇合股经营信一
  八八足浴店` (合股/合伙 make them shareholders), `董某(利客隆超市负责人)` — CONTROLS;
- `公司股东为被告人赵某某、仵某某`: the list after the cue, past its role word, holds shares of the
  company named before (via the short form's full name).

Returns (kind, person index, organisation index) triples over the kept mentions in text order.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from casegraph.ingest.components.base import Candidate

_FOUND = re.compile(r"注册成立|注册设立|出资设立|出资成立|成立|设立|开办|创办|创立")
_ALONE = re.compile(r"单独|独自|一人|个人独资")
_TOGETHER = re.compile(r"共同|合伙|合股|合资|一起")
_RUN = re.compile(r"(合股|合伙|共同|实际)?经营(?:被告单位|的|着)?")
_HOLDERS = re.compile(r"股东(?:为|是|系|有)(?:被告人|原审被告人|上诉人)?")
_IN_CHARGE = re.compile(r"\(([^()]{2,30})负责人\)")
_JOINERS = ("、", "和", "及", "与")
# what may stand between the founders and the verb: a date, adverbs, 于/在 + a place
_LEAD = re.compile(r"^(?:于|在|从|自)?[^，。；,;:：]{0,24}$")


class _Mentions:
    def __init__(self, text: str, mentions: list[Candidate]) -> None:
        self.text = text
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def at(self, offset: int) -> int:
        return bisect_left(self.starts, offset)

    def list_after(self, offset: int, label: str, gap: int = 2) -> list[int]:
        i = self.at(offset)
        if i >= len(self.mentions) or self.mentions[i].label != label or self.mentions[i].start - offset > gap \
                or any(c in "，。；,;" for c in self.text[offset:self.mentions[i].start]):
            return []
        chain = [i]
        while chain[-1] + 1 < len(self.mentions):
            current, following = self.mentions[chain[-1]], self.mentions[chain[-1] + 1]
            if following.label != label or self.text[current.end:following.start] not in _JOINERS:
                break
            chain.append(chain[-1] + 1)
        return chain

    def list_before(self, offset: int, label: str) -> list[int]:
        """The list of `label` mentions whose last member is the nearest mention before `offset`
        in the same clause."""
        i = self.at(offset) - 1
        if i < 0 or self.mentions[i].label != label or not _LEAD.match(self.text[self.mentions[i].end:offset]):
            return []
        chain = [i]
        while chain[0] > 0:
            previous, current = self.mentions[chain[0] - 1], self.mentions[chain[0]]
            if previous.label != label or self.text[previous.end:current.start] not in _JOINERS:
                break
            chain.insert(0, chain[0] - 1)
        return chain

    def org_before(self, offset: int, reach: int = 120) -> int | None:
        i = self.at(offset) - 1
        while i >= 0 and self.mentions[i].start >= offset - reach:
            if self.mentions[i].label == "ORG" and "银行" not in (self.mentions[i].normalized or ""):
                return i
            i -= 1
        return None


def holdings(text: str, mentions: list[Candidate]) -> list[tuple[str, int, int]]:
    """(CONTROLS or SHAREHOLDER, person, organisation) from founding, running and holder lists."""
    index = _Mentions(text, mentions)
    found: list[tuple[str, int, int]] = []
    for verb in _FOUND.finditer(text):
        orgs = index.list_after(verb.end(), "ORG")
        people = index.list_before(verb.start(), "PERSON") if orgs else []
        if not people:
            continue
        lead = text[mentions[people[-1]].end:verb.start()]
        if _ALONE.search(lead):
            kind = "CONTROLS"
        elif len(people) > 1 or _TOGETHER.search(lead) or "出资" in verb.group():
            kind = "SHAREHOLDER"
        else:
            continue
        found.extend((kind, p, o) for p in people for o in orgs)
    for verb in _RUN.finditer(text):
        orgs = index.list_after(verb.end(), "ORG")
        people = index.list_before(verb.start(), "PERSON") if orgs else []
        kind = "SHAREHOLDER" if verb.group(1) in ("合股", "合伙") else "CONTROLS"
        found.extend((kind, p, o) for p in people for o in orgs)
    for cue in _HOLDERS.finditer(text):
        people = index.list_after(cue.end(), "PERSON", gap=0)
        org = index.org_before(cue.start()) if people else None
        if org is not None:
            found.extend(("SHAREHOLDER", p, org) for p in people)
    for aside in _IN_CHARGE.finditer(text):
        orgs = [i for i in range(index.at(aside.start(1)), index.at(aside.end(1)))
                if mentions[i].label == "ORG" and mentions[i].end == aside.end(1)]
        people = index.list_before(aside.start(), "PERSON") if orgs else []
        if people and mentions[people[-1]].end == aside.start():
            found.extend(("CONTROLS", people[-1], o) for o in orgs)
    return found
