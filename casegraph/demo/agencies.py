"""The six ingesting agencies, the courts that issue judgments, and their case numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from .districts import District


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    kind: str  # police | procuratorate | regulator | court
    region: str
    name: str

    def as_truth(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "region": self.region, "name": self.name}


AGENCIES: Final[tuple[Agency, ...]] = (
    Agency("cq-police", "police", "CQ", "重庆市公安局经济犯罪侦查总队"),
    Agency("sc-police", "police", "SC", "四川省公安厅经济犯罪侦查总队"),
    Agency("cq-procuratorate", "procuratorate", "CQ", "重庆市人民检察院"),
    Agency("sc-procuratorate", "procuratorate", "SC", "四川省人民检察院"),
    Agency("cq-regulator", "regulator", "CQ", "国家金融监督管理总局重庆监管局"),
    Agency("sc-regulator", "regulator", "SC", "国家金融监督管理总局四川监管局"),
)
AGENCY_BY_ID: Final[dict[str, Agency]] = {a.id: a for a in AGENCIES}


def agency_for(kind: str, region: str) -> Agency:
    return AGENCY_BY_ID[f"{region.lower()}-{kind}"]


def court_for(district: District) -> Agency:
    """The basic-level court of a district: 重庆市渝北区人民法院, 成都市锦江区人民法院."""
    name = f"{district.local_name}人民法院"
    return Agency(f"court-{district.code}", "court", district.region, name)


def procuratorate_name(district: District) -> str:
    return f"{district.local_name}人民检察院"


def police_issuer(region: str, district: District) -> str:
    if region == "CQ":
        return "重庆市公安局" if district.code in ("500103",) else f"重庆市公安局{district.name}分局"
    return f"{district.city}公安局{district.name}分局" if district.city else "四川省公安厅"


# Bracket pairs as they occur in the wild; the first is the official form.
YEAR_BRACKETS: Final[tuple[tuple[str, str], ...]] = (
    ("〔", "〕"), ("〔", "〕"), ("〔", "〕"), ("[", "]"), ("【", "】"), ("（", "）"), ("(", ")"),
)
ROUND_BRACKETS: Final[tuple[tuple[str, str], ...]] = (("（", "）"), ("（", "）"), ("(", ")"))


def _year(rng: random.Random, year: int) -> str:
    left, right = rng.choice(YEAR_BRACKETS)
    return f"{left}{year}{right}"


def case_number(rng: random.Random, kind: str, region: str, year: int, district: District) -> str:
    """A case number in the form of the issuing agency (document kind decides the agency)."""
    p = "渝" if region == "CQ" else "川"
    n = rng.randrange(1, 400)
    if kind == "filing_decision":
        left, right = rng.choice(ROUND_BRACKETS)
        return rng.choice((f"{p}公{left}经{right}立字{_year(rng, year)}{n}号",
                           f"{p}公经立字{_year(rng, year)}{n}号"))
    if kind == "prosecution_recommendation":
        left, right = rng.choice(ROUND_BRACKETS)
        return rng.choice((f"{p}公经诉字{_year(rng, year)}{n}号",
                           f"{p}公{left}经{right}诉字{_year(rng, year)}{n}号"))
    if kind == "indictment":
        if region == "CQ":
            return rng.choice((f"渝检一部刑诉{_year(rng, year)}{n}号", f"渝检刑诉{_year(rng, year)}{n}号"))
        return rng.choice((f"川检刑诉{_year(rng, year)}{n}号", f"川检二部刑诉{_year(rng, year)}{n}号"))
    if kind == "judgment":
        left, right = rng.choice(ROUND_BRACKETS)
        return f"{left}{year}{right}{p}{district.code[2:]}刑初{n}号"
    if kind == "penalty_decision":
        return f"川金罚决字{_year(rng, year)}{n}号" if region == "SC" else f"渝金管罚{_year(rng, year)}{n}号"
    if kind == "risk_alert":
        prefix = "川金风险提示" if region == "SC" else "渝金管风提"
        return f"{prefix}{_year(rng, year)}{n}号"
    raise ValueError(f"no case number form for document kind {kind!r}")


def rebracket(rng: random.Random, number: str) -> str:
    """The same number as another agency copies it: other bracket widths, same content."""
    out = []
    for ch in number:
        if ch in "〔[【":
            left, _ = rng.choice(YEAR_BRACKETS)
            out.append(left)
            pending = dict(YEAR_BRACKETS)[left]
        elif ch in "〕]】":
            out.append(pending)
        else:
            out.append(ch)
    return "".join(out)


_OPEN: Final[str] = "（(〔[【"
_CLOSE: Final[str] = "）)〕]】"


def normalize_case_number(text: str) -> str:
    """Every bracket width to ASCII round brackets, so cited and own forms compare equal."""
    table = str.maketrans({**dict.fromkeys(_OPEN, "("), **dict.fromkeys(_CLOSE, ")")})
    return text.translate(table)
