"""Text normalisation that keeps offsets true to the original.

The patterns run on a normalised copy of the text: full-width forms folded to half-width
(NFKC), traditional characters folded to simplified (OpenCC, one character at a time),
whitespace variants folded to a plain space and bracket variants folded to one pair per kind.
Nearly every replacement is one character for one character, so offsets carry over unchanged;
the few that are not (NFKC turns "⑴" into "(1)") are recorded in an offset map, and
`NormalizedText.to_original` maps any span of the normalised text back to the original.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

# Square-bracket variants that case numbers use interchangeably; one canonical pair keeps the
# patterns short. Round brackets come out of NFKC as "(" and ")" already.
_BRACKETS = {"〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]", "〖": "[", "〗": "]",
             "﹝": "[", "﹞": "]", "｛": "[", "｝": "]"}
# NFKC leaves these alone; documents use them as the same marks as their ASCII cousins.
_EXTRA = {"－": "-", "—": "-", "–": "-", "﹣": "-", "“": '"', "”": '"', "‘": "'", "’": "'",
          "﹒": ".", "∶": ":", "\u200b": " ", "\ufeff": " "}
# A multi-character NFKC result is used only for these (list markers that carry digits);
# for anything else ("…" to "...") the original character is kept, so offsets stay 1:1.
_EXPANDABLE = frozenset("⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def normalise_char(char: str) -> str:
    """The normalised form of one character (usually one character long)."""
    if char in _BRACKETS:
        return _BRACKETS[char]
    if char in _EXTRA:
        return _EXTRA[char]
    if char.isspace():
        return "\n" if char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else " "
    if char.isascii():
        return char
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1 and char not in _EXPANDABLE:
        folded = char
    if len(folded) == 1 and "\u3400" <= folded <= "\u9fff":
        simplified = _t2s().convert(folded)
        if len(simplified) == 1:
            folded = simplified
    return folded


@dataclass(slots=True)
class NormalizedText:
    """The normalised text and, when lengths changed, where each of its characters came from.

    `_starts[i]` is the normalised offset of an expanded run and `_origins[i]` the original
    offset it came from; between runs the offset shift is constant.
    """

    original: str
    text: str
    _starts: list[int] = field(default_factory=list)
    _origins: list[int] = field(default_factory=list)
    _ends: list[int] = field(default_factory=list)

    @property
    def identity(self) -> bool:
        return not self._starts

    def _map(self, offset: int, is_end: bool) -> int:
        if not self._starts:
            return offset
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        run_start, origin, run_end = self._starts[i], self._origins[i], self._ends[i]
        if offset < run_end or (is_end and offset == run_end):
            # inside an expanded run: a start maps to the source char, an end past it
            if is_end and offset > run_start:
                return origin + 1
            return origin
        return offset - run_end + origin + 1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the span of the original it came from."""
        return self._map(start, False), self._map(end, True)


class _Table(dict[int, str]):
    """The translation table of every character met so far, filled in as `str.translate` meets a
    new one: a document then costs one `translate` call."""

    def __missing__(self, code: int) -> str:
        folded = normalise_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _Table()


def normalise(text: str) -> NormalizedText:
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return NormalizedText(text, folded)  # every replacement was one character for one
    table = _TABLE
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    ends: list[int] = []
    position = 0
    for index, char in enumerate(text):
        replacement = table.get(ord(char), char)
        if len(replacement) != 1:
            starts.append(position)
            origins.append(index)
            ends.append(position + len(replacement))
        parts.append(replacement)
        position += len(replacement)
    return NormalizedText(text, "".join(parts), starts, origins, ends)
