"""Quoting a source: the sentence around a mention, cut from the document's stored text."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final

# A sentence ends at a Chinese full stop, question or exclamation mark, semicolon or a line break.
_ENDS: Final = re.compile(r"[。！？；!?;\n]")
MAX_QUOTE: Final[int] = 160


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence of `text` that holds [start, end), trimmed to MAX_QUOTE characters around it."""
    if not text:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end if end is not None else start, len(text)))
    left = start
    while left > 0 and not _ENDS.match(text[left - 1]):
        left -= 1
    match = _ENDS.search(text, end)
    right = match.end() if match else len(text)
    sentence = text[left:right].strip()
    if len(sentence) <= MAX_QUOTE:
        return sentence
    # keep the mention itself and a window around it
    offset = start - left
    lo = max(0, offset - MAX_QUOTE // 2)
    cut = sentence[lo:lo + MAX_QUOTE]
    return ("…" if lo > 0 else "") + cut + ("…" if lo + MAX_QUOTE < len(sentence) else "")


def page_of(page_starts: list[int] | None, offset: int) -> int | None:
    """1-based page of an offset in a paged (PDF) text; None for texts without pages."""
    return bisect_right(page_starts, offset) if page_starts else None
