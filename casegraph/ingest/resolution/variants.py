"""Name variants that are evidence for a candidate, never for a merge.

A bank's SWIFT message or a passport writes 张伟 as `ZHANG Wei` or `Wei Zhang`; a clerk types 章伟 for
张伟 (the same sound, another character). Such a variant with other matching evidence (a shared
account or phone, the same birth date) is worth an investigator's look, but many people share one
sound, so it never merges by itself. Traditional characters need nothing here: normalisation folds
them to simplified before resolution (ingest/normalize.py), so 張偉 already is 张伟.

The comparison is by toneless pinyin with every reading of each character (曾 is zeng as a surname
and ceng elsewhere), so a variant matches when some reading of one equals the other.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice, product

from pypinyin import Style, pinyin

_HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_LATIN_WORDS = re.compile(r"^[A-Za-zÜüÀ-ÿ]+(?:[ \-'.·][A-Za-zÜüÀ-ÿ]+){0,3}$")
_MAX_READINGS = 64  # a few heteronymous characters multiply; the first readings are the common ones


def _latin(word: str) -> str:
    return word.lower().replace("ü", "v").replace("u:", "v")


@lru_cache(maxsize=65536)
def sound_keys(name: str) -> frozenset[str]:
    """The toneless pinyin spellings a name can have: every reading of a Chinese name, or a
    romanised name in both orders (surname first, as Chinese write it, or last)."""
    name = name.strip()
    if _HAN.match(name):
        readings = pinyin(name, style=Style.NORMAL, heteronym=True, v_to_u=False)
        return frozenset("".join(parts) for parts in islice(product(*readings), _MAX_READINGS))
    if _LATIN_WORDS.match(name):
        words = [re.sub(r"[^a-z]", "", _latin(w)) for w in re.split(r"[ \-'.·]+", name) if w]
        if len(words) < 2:
            return frozenset({"".join(words)})
        return frozenset({"".join(words), "".join(words[-1:] + words[:-1])})
    return frozenset()


def same_sound(a: str, b: str) -> bool:
    """Two different written names that can be read alike (张伟 / 章伟 / Zhang Wei)."""
    return a != b and bool(sound_keys(a) & sound_keys(b))
