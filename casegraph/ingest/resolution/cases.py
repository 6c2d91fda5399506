"""Which agency issued a case number, read from its form, so a cited case gets the key it will have
when that agency ingests its own file.

Court numbers `(2021)渝0112刑初123号` carry the court's administrative code; procuratorates write
检, police 公, financial regulators 金 or 罚; the first character (川/渝) gives the region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casegraph import identifiers

_REGION_CHAR = {"川": "SC", "渝": "CQ"}
_COURT = re.compile(r"^\(\d{4}\)(?P<region>[川渝])(?P<code>\d{4})")


@dataclass(frozen=True, slots=True)
class CaseIssuer:
    agency: str  # e.g. sc-procuratorate, court-500112
    kind: str  # police | procuratorate | regulator | court
    region: str


def issuer_of(number: str) -> CaseIssuer | None:
    """The issuing agency of a normalised case number, or None when its form does not say."""
    court = _COURT.match(number)
    if court:
        region = _REGION_CHAR[court.group("region")]
        prefix = "50" if region == "CQ" else "51"
        return CaseIssuer(f"court-{prefix}{court.group('code')}", "court", region)
    found = _REGION_CHAR.get(number[:1])
    if found is None:
        return None
    region = found
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
