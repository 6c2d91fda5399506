"""Regions of an entity from what its documents say: administrative codes and place names."""

from __future__ import annotations

from casegraph.ingest.lexicon import places


def address_region(text: str) -> str | None:
    """SC or CQ for an address that starts with (or contains early) a known place name."""
    head = text[:12]
    best: tuple[int, str] | None = None
    for name, region in places().items():
        at = head.find(name)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, region)
    return best[1] if best else None
