"""Which agency issued a case number, read from its form, so a cited case gets the key it will have
when that agency ingests its own file.

Court numbers `(2021)渝0112刑初123号` carry the court's administrative code; procuratorates write
检, police 公, financial regulators 金 or 罚; the first character (川, 渝, 沪, 粤 … any province's
abbreviation) gives the region, so two agencies that cite the same Shanghai judgment meet on one Case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casegraph import identifiers
from casegraph.regions import PROVINCE_OF_ABBREVIATION, region_of_code

# A court's code after the province: four digits for a basic court (沪0109), two for an intermediate
# one (京02), none for the high court (京刑终); the case-type word follows.
_COURT = re.compile(r"^\(\d{4}\)(?P<region>[" + "".join(PROVINCE_OF_ABBREVIATION) + r"])"
                    r"(?P<code>\d{4}|\d{2})?(?=[刑民行执赔财知商破司监])")


@dataclass(frozen=True, slots=True)
class CaseIssuer:
    agency: str  # e.g. sc-procuratorate, court-500112
    kind: str  # police | procuratorate | regulator | court
    region: str


def issuer_of(number: str) -> CaseIssuer | None:
    """The issuing agency of a normalised case number, or None when its form does not say."""
    court = _COURT.match(number)
    if court:
        province = PROVINCE_OF_ABBREVIATION[court.group("region")]
        return CaseIssuer(f"court-{province}{court.group('code') or ''}", "court", region_of_code(province))
    province_code = PROVINCE_OF_ABBREVIATION.get(number[:1])
    if province_code is None:
        return None
    region = region_of_code(province_code)
    head = number.split("(", 1)[0]
    if "检" in head:
        kind = "procuratorate"
    elif "公" in head:
        kind = "police"
    elif "金" in head or "罚" in head:
        kind = "regulator"
    else:
        return None
    return CaseIssuer(f"{region.lower()}-{kind}", kind, region)


def case_key(agency: str, number: str) -> str:
    return f"case:{agency}:{identifiers.normalize_case_number(number)}"
