"""Person and organisation attributes from their party paragraph: gender, birth date, resident ID,
address for a person; USCC for an organisation.

A party paragraph runs from the party's name to the end of its sentence, or to the next party
introduced by a role word, whichever comes first, so that a legal representative's ID is not
given to the company before him.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest.components.base import Candidate, doc_text, selected

_GENDER = re.compile(r"[,，]\s*(男|女)(?=[,，。;；\s]|性|$)")
_BORN_AFTER = ("出生", "生")
_BORN_BEFORE = ("出生于", "生于", "出生日期", "出生年月")
_PARTY_CUES = frozenset({"被告人", "犯罪嫌疑人", "嫌疑人", "被害人", "证人", "当事人", "被处罚人", "法定代表人",
                         "实际控制人", "股东", "负责人", "辩护人", "报案人", "户名"})
_ROLE_BEFORE_ORG = {"被告单位": "defendant", "犯罪嫌疑单位": "suspect", "被害单位": "victim", "当事人": "penalized_party",
                    "被处罚单位": "penalized_party", "被处罚人": "penalized_party"}
_MAX_PARAGRAPH = 400


def _paragraph_end(text: str, start: int) -> int:
    ends = [p for p in (text.find("。", start), text.find("\n", start)) if p >= 0]
    return min([*ends, start + _MAX_PARAGRAPH, len(text)])


def org_role(text: str, org: Candidate) -> str | None:
    before = text[max(0, org.start - 8):org.start].rstrip(" :")
    for cue, role in _ROLE_BEFORE_ORG.items():
        if before.endswith(cue):
            return role
    return None


@Language.factory("casegraph_attributes", assigns=["doc.user_data"])
def make_attributes(nlp: Language, name: str) -> AttributeFinder:
    return AttributeFinder()


class AttributeFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        mentions = selected(doc)
        for index, party in enumerate(mentions):
            if party.label == "ORG":
                role = org_role(text, party)
                if role:
                    party.attrs["role"] = role
            is_party = party.label == "PERSON" and party.attrs.get("cue") in _PARTY_CUES
            if not is_party and not (party.label == "ORG" and party.attrs.get("role")):
                continue
            end = _paragraph_end(text, party.end)
            inside: list[Candidate] = []
            for other in mentions[index + 1:]:
                if other.start >= end:
                    break
                if other.label in ("PERSON", "ORG") and (other.attrs.get("cue") or org_role(text, other)):
                    end = other.start
                    break
                inside.append(other)
            if party.label == "ORG":
                uscc = next((m for m in inside if m.label == "USCC"), None)
                if uscc:
                    party.attrs["uscc"] = uscc.normalized
                continue
            gender = _GENDER.search(text, party.end, end)
            if gender:
                party.attrs["gender"] = gender.group(1)
            for mention in inside:
                if mention.label == "DATE" and "birth_date" not in party.attrs and (
                        text.startswith(_BORN_AFTER, mention.end)
                        or text[max(0, mention.start - 6):mention.start].rstrip(":： ").endswith(_BORN_BEFORE)):
                    party.attrs["birth_date"] = mention.normalized
                elif mention.label == "ID_NUMBER" and "ric" not in party.attrs:
                    party.attrs["ric"] = mention.normalized
                elif mention.label == "ADDRESS" and "address" not in party.attrs:
                    party.attrs["address"] = text[mention.start:mention.end]
        return doc
