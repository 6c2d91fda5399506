"""Word lists the rule components use, read once from `resources/` (one entry a line, `#` comments)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("casegraph.ingest").joinpath("resources", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames)."""
    single: set[str] = set()
    compound: set[str] = set()
    for line in _lines("surnames.txt"):
        if len(line) == 2:
            compound.add(line)
        else:
            single.update(line)
    return frozenset(single), frozenset(compound)


@lru_cache(maxsize=1)
def charges() -> tuple[str, ...]:
    """Charge names, longest first so that a regex alternation prefers the full name."""
    return tuple(sorted(_lines("charges.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def banks() -> tuple[str, ...]:
    return tuple(sorted(_lines("banks.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Place name (with suffix) -> region; the short form without 省/市/区/县 is added when unambiguous."""
    full: dict[str, str] = {}
    for line in _lines("places.txt"):
        region, name = line.split("\t")
        full[name] = region
    short: dict[str, str] = {}
    for name, region in full.items():
        stem = name[:-1]
        if name[-1] in "省市区县" and len(stem) >= 2 and stem not in full:
            short.setdefault(stem, region)
    return {**short, **full}


@lru_cache(maxsize=1)
def divisions() -> tuple[tuple[str, str, str], ...]:
    """(province abbreviation, level P/C/D, name) of every province, prefecture-level city and
    county-level division of mainland China (resources/divisions.txt, from cpca's adcodes)."""
    rows = (line.split("\t") for line in _lines("divisions.txt"))
    return tuple((r[0], r[1], r[2]) for r in rows)


# short forms of prefecture-level names that are also everyday words (中山路, 白山黑水)
_AMBIGUOUS_STEMS = frozenset({"中山", "白山", "三明", "永州", "吉安", "安康", "长治", "太原", "通化", "白城", "新余",
                              "黄山", "丽江", "玉溪", "铜仁", "保山", "三亚", "海东", "果洛", "阿里", "黄南", "海南", "海北"})


_AUTONOMOUS = re.compile(r"(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+(自治州|自治县|自治旗)$")


@lru_cache(maxsize=1)
def cities() -> frozenset[str]:
    """Place names that start an organisation's or an address's name: every division's full name
    (县, 区, 市, 旗 ...) and the short form of a province or prefecture-level city (南京, 无锡)."""
    provinces_named = {name for _, full, short in provinces() for name in (full, short)}
    full = {name for _, _, name in divisions()}
    stems = {name[:-1] for _, level, name in divisions()
             if level == "C" and name[-1] in "市州盟" and len(name) == 3} - _AMBIGUOUS_STEMS
    # 大兴安岭地区 -> 大兴安岭, 红河哈尼族彝族自治州 -> 红河州, 麻阳苗族自治县 -> 麻阳县
    stems |= {name[:-2] for _, _, name in divisions() if name.endswith("地区") and len(name) >= 5}
    stems |= {m.group(1) + m.group(2)[-1] for _, _, name in divisions()
              if (m := _AUTONOMOUS.match(name))}
    named = {p for p in places() if p.endswith(("省", "市", "州")) or p in ("四川", "重庆", "成都")}
    return frozenset(p for p in named | provinces_named | full | stems if len(p) >= 2)


@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[str, str, str], ...]:
    """(abbreviation, full name, short name) of the 31 provincial-level divisions."""
    rows = (tuple(line.split("\t")) for line in _lines("provinces.txt"))
    return tuple((r[0], r[1], r[2]) for r in rows)


def province_abbreviations() -> str:
    """Every abbreviation, as the body of a regex character class; courts also write 云 and 内
    (云25刑终101号, 内01刑终214号) for 滇 and 蒙."""
    return "".join(abbreviation for abbreviation, _, _ in provinces()) + "云内"


@lru_cache(maxsize=1)
def institutions() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words that end an institution's name, departments that name a bureau X局 or department X厅)."""
    suffixes: list[str] = []
    departments: list[str] = []
    for line in _lines("institutions.txt"):
        if line.startswith("局:"):
            departments.extend(line[2:].split())
        else:
            suffixes.append(line)
    return tuple(suffixes), tuple(departments)
