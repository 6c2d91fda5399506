"""Spans <-> one BIO tag per character (`B-PERSON`, `I-PERSON`, `B-ORG`, `I-ORG`, `O`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

LABELS = ("PERSON", "ORG")
OUTSIDE = "O"


def encode(length: int, spans: Iterable[tuple[str, int, int]]) -> list[str]:
    """Tags for a text of `length` characters; a span overlapping an earlier one is dropped."""
    tags = [OUTSIDE] * length
    for label, start, end in sorted(spans, key=lambda s: (s[1], -s[2])):
        if label not in LABELS or end <= start or any(t != OUTSIDE for t in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def decode(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Spans from tags. The tagger decides each character alone, so an `I-X` after `O` or after
    another type opens a span of X rather than being lost."""
    spans: list[tuple[str, int, int]] = []
    label: str | None = None
    start = 0
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if label is not None and (prefix != "I" or kind != label):
            spans.append((label, start, i))
            label = None
        if prefix in ("B", "I") and label is None:
            label, start = kind, i
    if label is not None:
        spans.append((label, start, len(tags)))
    return spans
