"""Turning written amounts and dates into values: Chinese numerals, 万/亿 units, ISO dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_DIGITS = {"零": 0, "〇": 0, "○": 0, "O": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)


def chinese_to_int(text: str) -> int:
    """`二十七万五千` -> 275000, `二〇一九` -> 2019 (digit by digit when no unit is written)."""
    if not text:
        raise ValueError("empty numeral")
    if all(c in _DIGITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    total = 0
    section = 0
    digit = 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[char]
            digit = 0
        elif char in _BIG_UNITS:
            section += digit
            unit = _BIG_UNITS[char]
            if unit == 100_000_000:
                total = (total + section) * unit
            else:
                total += section * unit
            section = 0
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {char!r}")
    return total + section + digit


_UNIT_FACTOR = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000, "百万": 1_000_000,
                "千万": 10_000_000, "亿": 100_000_000}
_MONEY = re.compile(r"^(?P<number>[\d.,]+|[" + CHINESE_NUMERAL_CHARS + r"]+)[余多]?(?P<unit>[十百千万亿]*)[余多]?"
                    r"(?P<currency>美元|港元|港币|欧元|英镑|日元|元)")
CURRENCIES = {"元": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "英镑": "GBP",
              "日元": "JPY"}


def decimal_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 350000, 1174264.11."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def parse_money(text: str) -> tuple[str, str] | None:
    """(amount as a decimal string, ISO currency) for a normalised money span, or None."""
    match = _MONEY.match(text)
    if not match:
        return None
    number = match["number"]
    try:
        value = Decimal(number.replace(",", "")) if number[0].isdigit() else Decimal(chinese_to_int(number))
    except (InvalidOperation, ValueError):
        return None
    factor = _UNIT_FACTOR.get(match["unit"])
    if factor is None:
        return None
    # two decimals, as the shared truth format and ledgers write amounts
    return f"{value * factor:.2f}", CURRENCIES[match["currency"]]


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """yyyy, yyyy-mm or yyyy-mm-dd, or None when the parts make no calendar date."""
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def numeral(text: str) -> int:
    return int(text) if text.isdigit() else chinese_to_int(text)
