"""Name matching for search: traditional characters, pinyin and misspellings, as pure functions.

A query is a name with, optionally, a birth year or a region to tell namesakes apart
(`张伟 1985`, `zhang wei 重庆`, `張偉 四川`). Names are compared in simplified characters (OpenCC
t2s) and, so that a homophone or a romanised query still finds them, in toneless pinyin; the
scores are rapidfuzz's normalised edit-distance ratios (0-100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from casegraph.regions import PROVINCES, region_of_code

# Province-level names (full and one-character forms) to the project's region codes: SC and CQ
# for Sichuan and Chongqing, the two-digit administrative code for every other province.
REGION_WORDS: dict[str, str] = {word: region_of_code(code)
                                for code, words in PROVINCES.items() for word in words}
REGION_WORDS.update({f"{word}省": region for word, region in list(REGION_WORDS.items()) if len(word) >= 2})
REGION_WORDS.update({f"{word}市": region for word, region in list(REGION_WORDS.items()) if len(word) == 2})
_REGION_CODES = {"cq": "CQ", "sc": "SC"}

_YEAR = re.compile(r"^(19[0-9]{2}|20[0-9]{2})年?$")
_LATIN = re.compile(r"^[a-zA-Z\s'’·.-]+$")


@dataclass(frozen=True)
class NameQuery:
    name: str                    # simplified characters, or lower-case pinyin without spaces
    latin: bool                  # typed in pinyin/latin letters
    years: tuple[str, ...] = ()
    regions: tuple[str, ...] = field(default_factory=tuple)


@cache
def _t2s() -> object:
    import opencc  # building the converter reads its dictionaries: once, on first use

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


@lru_cache(maxsize=65_536)
def pinyin_key(text: str) -> str:
    """Toneless pinyin without separators (`张伟` → `zhangwei`); latin letters pass through lower-cased."""
    return "".join(lazy_pinyin(text, errors="default")).lower().replace(" ", "").replace("'", "")


def parse_query(text: str) -> NameQuery:
    """The name, birth years and regions of a search; the name part keeps at least what is left."""
    words = text.split()
    years = tuple(m.group(1) for w in words if (m := _YEAR.match(w)))
    regions = tuple(REGION_WORDS.get(w) or _REGION_CODES[w.lower()] for w in words
                    if w in REGION_WORDS or w.lower() in _REGION_CODES)
    rest = [w for w in words if not _YEAR.match(w) and w not in REGION_WORDS and w.lower() not in _REGION_CODES]
    if not rest:  # the whole query looked like qualifiers: search it as a name
        rest, years, regions = words, (), ()
    name = " ".join(rest)
    if _LATIN.match(name):
        return NameQuery(re.sub(r"[\s'’·.-]", "", name).lower(), True, years, regions)
    return NameQuery(simplified("".join(name.split())), False, years, regions)


def name_score(query: NameQuery, name: str) -> float:
    """How well `name` (as a document writes it) answers `query`, 0-100."""
    plain = simplified(name)
    return form_score(query, plain, pinyin_key(plain))


def form_score(query: NameQuery, plain: str, pinyin: str) -> float:
    """`name_score` over a name's simplified form and pinyin, computed once for many queries."""
    if query.latin:
        return float(fuzz.ratio(query.name, pinyin))
    score = float(fuzz.ratio(query.name, plain))
    if len(query.name) >= 3 and query.name in plain:  # a company's distinctive part (望洲 in 望洲集团有限公司)
        score = max(score, 90.0)
    # Same sound, other characters (章伟 for 张伟): a little below a character match.
    return max(score, 0.9 * fuzz.ratio(pinyin_key(query.name), pinyin))
