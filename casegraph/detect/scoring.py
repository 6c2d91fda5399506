"""Ring scores, with the parts listed so an analyst can see why a ring ranks where it does.

score = base + cross-region + multi-agency - size, where
- base is the sum of the weights of the distinct typologies found (`DetectionParams.weights`);
- cross-region adds `cross_region_bonus` x base when the members span two regions or more;
- multi-agency adds `multi_agency_bonus` x base when documents of two agencies or more name members;
- size subtracts `size_penalty` per member beyond `size_penalty_from` (big groups are more often
  loose coincidences than one ring);
- a ring with only structural typologies (shared identifiers, control) and no money flow is capped
  at `structure_only_cap`, below the threshold, by a negative `no_money_flow_cap` part.
The bonuses scale the evidence rather than adding to it: being seen in two regions makes a real
pattern more interesting, but does not turn a family sharing a phone into a ring.
"""

from __future__ import annotations

from collections.abc import Collection

from casegraph.detect.params import DetectionParams

__all__ = ["score_ring"]


STRUCTURAL_TYPOLOGIES = frozenset({"shared_identifier", "control_network"})


def score_ring(typologies: Collection[str], regions: Collection[str], agencies: Collection[str],
               size: int, params: DetectionParams) -> tuple[float, dict[str, float]]:
    """Return (score, parts); the parts sum to the score (before rounding)."""
    parts: dict[str, float] = {t: params.weights.get(t, 0.0) for t in sorted(set(typologies))}
    base = sum(parts.values())
    if len(set(regions)) >= 2:
        parts["cross_region"] = base * params.cross_region_bonus
    if len(set(agencies)) >= 2:
        parts["multi_agency"] = base * params.multi_agency_bonus
    if size > params.size_penalty_from:
        parts["size_penalty"] = -params.size_penalty * (size - params.size_penalty_from)
    subtotal = sum(parts.values())
    if typologies and set(typologies) <= STRUCTURAL_TYPOLOGIES and subtotal > params.structure_only_cap:
        parts["no_money_flow_cap"] = params.structure_only_cap - subtotal
    parts = {name: round(value, 4) for name, value in parts.items()}
    return round(sum(parts.values()), 4), parts
