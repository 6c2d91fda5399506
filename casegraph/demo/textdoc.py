"""Writing a document and its truth at once: every entity is placed with its offsets.

A template appends plain text and entities in reading order; the builder keeps the running
offset, so a mention is `text[start:end]` by construction, not by searching afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class TruthMention:
    type: str
    text: str
    start: int
    end: int
    normalized: str | None
    valid: bool = True
    entity: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_truth(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type, "text": self.text, "start": self.start, "end": self.end,
            "normalized": self.normalized, "valid": self.valid, "entity": self.entity,
        }
        out.update(self.extra)
        return out


@dataclass(slots=True)
class TruthRelation:
    type: str
    source: int
    target: int
    role: str | None = None

    def as_truth(self) -> dict[str, Any]:
        return {"type": self.type, "from": self.source, "to": self.target, "role": self.role}


class DocBuilder:
    """Accumulates paragraphs; paragraphs are joined by a single newline."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self.mentions: list[TruthMention] = []
        self.relations: list[TruthRelation] = []
        self.invalid: list[dict[str, str]] = []

    @property
    def pos(self) -> int:
        return self._pos

    def t(self, text: str) -> DocBuilder:
        """Plain text that names nothing."""
        self._parts.append(text)
        self._pos += len(text)
        return self

    def m(self, type_: str, text: str, normalized: str | None, *, entity: str | None = None,
          valid: bool = True, **extra: Any) -> int:
        """An entity mention; returns its index for relations."""
        if not text:
            raise ValueError(f"empty {type_} mention")
        start = self._pos
        self.t(text)
        self.mentions.append(TruthMention(type_, text, start, self._pos, normalized, valid, entity, extra))
        return len(self.mentions) - 1

    def rel(self, type_: str, source: int | None, target: int | None, role: str | None = None) -> None:
        if source is None or target is None or source < 0 or target < 0:
            return
        self.relations.append(TruthRelation(type_, source, target, role))

    def nl(self) -> DocBuilder:
        """End the current paragraph."""
        return self.t("\n")

    @property
    def text(self) -> str:
        return "".join(self._parts).rstrip("\n")
