"""What every detector returns: a `Finding`, one piece of evidence that some entities hang together."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EdgeRef", "Finding"]

# One edge of the projection: (from key, to key, multigraph edge key). The explanation looks its
# attributes (type, tx_id, sources) up in the graph, so findings stay small.
EdgeRef = tuple[str, str, int]


@dataclass(slots=True)
class Finding:
    """A typology matched on some members, with the edges that show it.

    `members` are node keys; `edges` the projection edges that tie them; `amount` the money moved
    over those edges (0 for non-flow typologies); `detail` a short human-readable note.
    """

    typology: str
    members: frozenset[str]
    edges: list[EdgeRef] = field(default_factory=list)
    amount: float = 0.0
    detail: str = ""
