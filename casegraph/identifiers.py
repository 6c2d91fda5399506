"""Chinese identifiers: normalisation, validation and what they say about region.

Validation uses python-stdnum (resident ID and unified social credit code check characters,
Luhn); this module adds only the normalisation of the many ways people write them and the
mapping from administrative codes to regions. An identifier that fails validation is still a
mention, never a merge key: callers keep `valid` next to the value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from stdnum import luhn
from stdnum.cn import ric, uscc

from casegraph.regions import region_of_code as _province_region

IdentifierType = Literal["ID_NUMBER", "USCC", "PHONE", "BANK_ACCOUNT"]


_SEPARATORS = re.compile(r"[\s\-－—_·.．/]+")


@dataclass(frozen=True, slots=True)
class Identifier:
    type: IdentifierType
    value: str  # the normalised form: digits (and X / letters for USCC)
    valid: bool
    reason: str | None = None  # why it is invalid

    @property
    def key(self) -> str:
        """The node key of DESIGN.md (meaningful only when `valid`)."""
        prefix = {"ID_NUMBER": "ric", "USCC": "uscc", "PHONE": "phone", "BANK_ACCOUNT": "acct"}[self.type]
        return f"{prefix}:{self.value}"


def compact(text: str) -> str:
    """Full-width to half-width, separators dropped, upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def region_of_code(admin_code: str) -> str | None:
    """`SC`, `CQ` or the two-digit province code for a 6-digit administrative code."""
    if len(admin_code) < 2 or not admin_code[:2].isdigit():
        return None
    return _province_region(admin_code[:2])


def _known_admin_code(code: str) -> bool:
    # stdnum also demands that the district existed in the birth year, which rejects every
    # Chongqing resident born before 1997 (all 50xxxx codes date from then) although their IDs
    # are real: an ID carries the code of where it was issued. Any period of the code is enough.
    from stdnum import numdb

    info = numdb.get("cn/loc").info(code)
    return len(info) == 2 and "county" in info[-1][1]


def parse_ric(text: str) -> Identifier:
    value = compact(text)
    try:
        ric.validate(value)
    except ric.InvalidComponent:
        # Birth date or district; the district test is redone without stdnum's birth-year rule.
        if ric_birth_date(value) is None:
            return Identifier("ID_NUMBER", value, False, "impossible birth date")
        if not _known_admin_code(value[:6]):
            return Identifier("ID_NUMBER", value, False, "unknown administrative code")
    except Exception as exc:  # stdnum raises ValidationError subclasses with a useful message
        return Identifier("ID_NUMBER", value, False, exc.__class__.__name__)
    if len(value) != 18:
        # 15-digit IDs predate the check digit; they are recorded but not trusted as keys.
        return Identifier("ID_NUMBER", value, False, "old 15-digit ID")
    return Identifier("ID_NUMBER", value, True)


def parse_uscc(text: str) -> Identifier:
    value = compact(text)
    try:
        uscc.validate(value)
    except Exception as exc:
        return Identifier("USCC", value, False, exc.__class__.__name__)
    return Identifier("USCC", value, True)


_MOBILE = re.compile(r"1[3-9]\d{9}")


def parse_phone(text: str) -> Identifier:
    value = compact(text).removeprefix("+")
    if value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    valid = bool(_MOBILE.fullmatch(value))
    return Identifier("PHONE", value, valid, None if valid else "not an 11-digit mobile number")


def parse_account(text: str) -> Identifier:
    """Bank cards are 16-19 digits with a Luhn check; corporate accounts are often longer and not
    Luhn. Both are real keys: `valid` here means "usable as a key", Luhn is reported separately."""
    value = compact(text)
    if not value.isdigit() or not 10 <= len(value) <= 30:
        return Identifier("BANK_ACCOUNT", value, False, "not 10-30 digits")
    return Identifier("BANK_ACCOUNT", value, True)


def luhn_ok(digits: str) -> bool:
    return digits.isdigit() and luhn.is_valid(digits)


def ric_birth_date(value: str) -> str | None:
    try:
        return ric.get_birth_date(value).isoformat()
    except Exception:
        return None


def ric_gender(value: str) -> str | None:
    if len(value) != 18 or not value[16].isdigit():
        return None
    return "男" if int(value[16]) % 2 else "女"


def ric_region(value: str) -> str | None:
    return region_of_code(value[:6])


def uscc_region(value: str) -> str | None:
    # Characters 3-8 of the USCC carry the registering region's administrative code.
    return region_of_code(value[2:8]) if len(value) == 18 else None


def parse_any(text: str) -> Identifier | None:
    """Best reading of a free-form identifier typed into a lookup box.

    The order matters: an 18-character string is a resident ID or a USCC before it is an account,
    an 11-digit string starting 1[3-9] is a phone.
    """
    value = compact(text)
    if not value:
        return None
    candidates = []
    if len(value) in (15, 18):
        resident = parse_ric(value)
        if resident.valid or (resident.reason == "InvalidChecksum" and _known_admin_code(value[:6])
                              and ric_birth_date(value[:17] + "0") is not None):
            # A district and a birth date in place: an ID with a wrong check digit, not an account.
            return resident
        candidates.append(resident)
    if len(value) == 18:
        candidates.append(parse_uscc(value))
    candidates.append(parse_phone(value))
    if value.isdigit():
        candidates.append(parse_account(value))
    for candidate in candidates:
        if candidate.valid:
            return candidate
    return candidates[0] if candidates else None


_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")",
                           "﹝": "(", "﹞": ")", "［": "(", "］": ")", "〈": "(", "〉": ")"})


def normalize_case_number(text: str) -> str:
    """One spelling per case number, whatever bracket width or shape the author used: every
    bracket becomes a half-width round one, white space goes (the form the ground truth uses)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_BRACKETS)
