"""A long text cut into pieces of bounded length, at paragraph breaks where it can be: spaCy refuses a
text over its max_length (E088), and the memory of the pipeline and of the name model grows with the
text they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# Texts longer than this are extracted piece by piece; a piece ends at a paragraph break, and a
# paragraph longer than a piece at a sentence end.
PIECE_CHARS = 200_000
_SENTENCE_ENDS = "。！？；\n"


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of `text`, each at most `limit` characters, cut after a
    paragraph break where there is one, else after a sentence end, else at the limit."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        cut = cut_at(text, start, limit)
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def cut_at(text: str, start: int, limit: int) -> int:
    """Where the piece of `text` that begins at `start` ends."""
    window_end = start + limit
    cut = text.rfind("\n", start + 1, window_end) + 1
    if cut <= start:
        cut = max(text.rfind(mark, start + 1, window_end) for mark in _SENTENCE_ENDS) + 1
    return cut if cut > start else window_end


def stream_pieces(blocks: Iterable[str], limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, text) of the pieces `pieces` would cut from the blocks joined, holding at most one
    piece and one block at a time."""
    buffer, offset = "", 0
    for block in blocks:
        buffer += block
        while len(buffer) > limit:
            cut = cut_at(buffer, 0, limit)
            yield offset, buffer[:cut]
            buffer, offset = buffer[cut:], offset + cut
    if buffer:
        yield offset, buffer
