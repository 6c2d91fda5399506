"""Chinese numerals as case files write them: 叁拾伍万元, 三十五万元, 二〇二三年三月五日."""

from __future__ import annotations

from datetime import date
from typing import Final

_LOWER: Final[str] = "零一二三四五六七八九"
_UPPER: Final[str] = "零壹贰叁肆伍陆柒捌玖"
_LOWER_UNITS: Final[tuple[str, str, str]] = ("十", "百", "千")
_UPPER_UNITS: Final[tuple[str, str, str]] = ("拾", "佰", "仟")
_DATE_DIGITS: Final[str] = "〇一二三四五六七八九"


def _below_10000(n: int, digits: str, units: tuple[str, str, str], leading: bool) -> str:
    """0 < n < 10000; `leading` drops the 一 of 一十 at the very start, as people write 十五."""
    out: list[str] = []
    places = (1000, 100, 10, 1)
    zero_pending = False
    for place, unit in zip(places, (units[2], units[1], units[0], ""), strict=True):
        d = n // place % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append(digits[0])
            zero_pending = False
        if not (leading and not out and place == 10 and d == 1 and digits is _LOWER):
            out.append(digits[d])
        out.append(unit)
    return "".join(out)


def integer_to_chinese(n: int, capital: bool = False) -> str:
    """123456 -> 十二万三千四百五十六 (or 壹拾贰万叁仟肆佰伍拾陆 in capital form)."""
    if n < 0:
        raise ValueError(f"negative amount {n}")
    digits, units = (_UPPER, _UPPER_UNITS) if capital else (_LOWER, _LOWER_UNITS)
    if n == 0:
        return digits[0]
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    big_units = ("", "万", "亿", "万亿")
    need_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out += digits[0]
        out += _below_10000(g, digits, units, leading=not out) + big_units[i]
        need_zero = False
    return out


def date_to_chinese(d: date) -> str:
    """2023-03-05 -> 二〇二三年三月五日, the form signed under judgments and decisions."""
    year = "".join(_DATE_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{integer_to_chinese(d.month)}月{integer_to_chinese(d.day)}日"
