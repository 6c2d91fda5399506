"""Identifiers that pass (or, on purpose, fail) the checks a resolver runs.

Check digits come from python-stdnum so that the generator and the extractor agree on
one implementation of each standard.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Final

from stdnum import luhn
from stdnum.cn import ric, uscc

# Card BINs of the large banks; length is the card length that bank issues.
BANKS: Final[tuple[tuple[str, str, str, int], ...]] = (
    # (short code, legal name, BIN, card length)
    ("ICBC", "中国工商银行", "622202", 19),
    ("CCB", "中国建设银行", "621700", 19),
    ("ABC", "中国农业银行", "622848", 19),
    ("BOC", "中国银行", "621661", 19),
    ("BOCOM", "交通银行", "622262", 19),
    ("CMB", "招商银行", "622588", 16),
    ("PSBC", "中国邮政储蓄银行", "621799", 19),
)
BANK_BY_CODE: Final[dict[str, tuple[str, str, str, int]]] = {b[0]: b for b in BANKS}
CORPORATE_ACCOUNT_LENGTH: Final[dict[str, int]] = {
    "ICBC": 19, "CCB": 20, "ABC": 17, "BOC": 12, "BOCOM": 21, "CMB": 15, "PSBC": 18,
}
_USCC_ALPHABET: Final[str] = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS: Final[tuple[int, ...]] = (3, 7, 9, 10, 5, 8, 4, 2)


def make_ric(rng: random.Random, district_code: str, birth: date, gender: str) -> str:
    """An 18-digit resident ID: region, birth date, sequence (odd for men), ISO 7064 check."""
    seq = rng.randrange(0, 50) * 2 + (1 if gender == "男" else 0)
    body = f"{district_code}{birth:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"
    return body + ric.calc_check_digit(body + "0")


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY"[:10] if i < 2 else "0123456789")
                   for i in range(8))
    total = sum(int(c) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(rng: random.Random, district_code: str) -> str:
    """A unified social credit code for a company (registered by SAMR, 91 prefix)."""
    body = f"91{district_code}{_org_code(rng)}"
    return body + uscc.calc_check_digit(body)


def make_card(rng: random.Random, bank: str) -> str:
    """A Luhn-valid debit card number with the bank's BIN."""
    _, _, bin_prefix, length = BANK_BY_CODE[bank]
    free = length - len(bin_prefix) - 1
    body = f"{bin_prefix}{rng.randrange(10**free):0{free}d}"
    return body + luhn.calc_check_digit(body)


def make_corporate_account(rng: random.Random, bank: str) -> str:
    """A corporate settlement account: long, bank-specific, and deliberately not Luhn."""
    length = CORPORATE_ACCOUNT_LENGTH[bank]
    number = str(rng.randrange(10 ** (length - 1), 10**length))
    if luhn.is_valid(number):
        number = number[:-1] + str((int(number[-1]) + 1) % 10)
    return number


def make_phone(rng: random.Random) -> str:
    prefix = rng.choice(("13", "15", "18", "17", "19", "14", "16"))
    return prefix + str(rng.randrange(10)) + f"{rng.randrange(10**8):08d}"


def corrupt_digit(rng: random.Random, number: str) -> str:
    """Change one digit so a checksum fails: the typo a clerk makes when copying an ID."""
    positions = [i for i, c in enumerate(number[:-1]) if c.isdigit()]
    i = rng.choice(positions)
    new = str((int(number[i]) + rng.randrange(1, 10)) % 10)
    return number[:i] + new + number[i + 1:]


def corrupt_ric(rng: random.Random, number: str) -> str:
    while True:
        bad = corrupt_digit(rng, number)
        if not is_valid_ric(bad):
            return bad


def corrupt_card(rng: random.Random, number: str) -> str:
    while True:
        bad = corrupt_digit(rng, number)
        if not luhn.is_valid(bad):
            return bad


def corrupt_uscc(rng: random.Random, number: str) -> str:
    while True:
        bad = corrupt_digit(rng, number)
        if not uscc.is_valid(bad):
            return bad


def is_valid_ric(number: str) -> bool:
    """Checksum, a real birth date and a known Sichuan/Chongqing administrative code.

    Deliberately not `ric.is_valid`: stdnum also demands that the code existed in the birth
    year, which rejects every real 50xxxx ID of a person born before Chongqing became a
    municipality in 1997 (people re-registered there carry such IDs).
    """
    from .districts import BY_CODE

    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if ric.calc_check_digit(number) != number[-1]:
        return False
    try:
        ric.get_birth_date(number)
    except ValueError:
        return False
    return number[:6] in BY_CODE


def is_valid_uscc(number: str) -> bool:
    return bool(uscc.is_valid(number))


def is_luhn(number: str) -> bool:
    return bool(luhn.is_valid(number))


@dataclass(frozen=True, slots=True)
class Written:
    """An identifier as a document prints it, with its canonical digits."""

    text: str
    normalized: str


def format_phone(rng: random.Random, phone: str) -> Written:
    style = rng.random()
    if style < 0.7:
        text = phone
    elif style < 0.8:
        text = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    elif style < 0.9:
        text = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    else:
        text = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    return Written(text, phone)


def format_account(rng: random.Random, number: str) -> Written:
    if len(number) >= 16 and rng.random() < 0.2:
        text = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
        return Written(text, number)
    return Written(number, number)
