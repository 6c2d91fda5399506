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
    """Spans from tags. The tagger decides each character alone: an `I-X` that follows no `B-X`
    or `I-X` opens nothing (on the held-out gold such strays were fragments: 市场, 金融监管分局
    after 各市(州))."""
    spans: list[tuple[str, int, int]] = []
    label: str | None = None
    start = 0
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if label is not None and (prefix != "I" or kind != label):
            spans.append((label, start, i))
            label = None
        if prefix == "B" and label is None:
            label, start = kind, i
    if label is not None:
        spans.append((label, start, len(tags)))
    return spans


def decode_sparse(tags: dict[int, str]) -> list[tuple[str, int, int]]:
    """`decode` of a text whose characters are `O` except the positions given, in order."""
    spans: list[tuple[str, int, int]] = []
    label: str | None = None
    start = last = 0
    for position, tag in tags.items():
        prefix, _, kind = tag.partition("-")
        if label is not None and (position != last + 1 or prefix != "I" or kind != label):
            spans.append((label, start, last + 1))
            label = None
        if prefix == "B" and label is None:
            label, start = kind, position
        last = position
    if label is not None:
        spans.append((label, start, last + 1))
    return spans
