"""A deterministic layout of the fund-flow diagram, shared by the HTML (SVG) and the PDF renderings.

Party accounts sit on an inner circle, their largest counterparties on an outer one, both in key
order; the same bundle always gives the same picture.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from casegraph.bundle.models import Bundle

WIDTH: Final[int] = 720
HEIGHT: Final[int] = 520
MAX_COUNTERPARTIES: Final[int] = 16
MAX_EDGES: Final[int] = 60


@dataclass(frozen=True, slots=True)
class NodeBox:
    key: str
    label: str
    holder: str | None
    x: float
    y: float
    party: bool


@dataclass(frozen=True, slots=True)
class Arrow:
    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float
    amount: float
    width: float


@dataclass(frozen=True, slots=True)
class FlowDiagram:
    width: int
    height: int
    nodes: list[NodeBox]
    arrows: list[Arrow]


def _ring(keys: list[str], radius: float, cx: float, cy: float, phase: float) -> dict[str, tuple[float, float]]:
    n = len(keys)
    return {k: (round(cx + radius * math.cos(phase + 2 * math.pi * i / n), 1),
                round(cy + radius * math.sin(phase + 2 * math.pi * i / n), 1)) for i, k in enumerate(keys)}


def flow_diagram(bundle: Bundle) -> FlowDiagram:
    holders = {a.account: a.holder for a in bundle.money.accounts}
    holders.update({c.account: c.holder for c in bundle.money.counterparties})
    names = {p.key: p.name or p.key for p in bundle.parties.items}
    inner = sorted(a.account for a in bundle.money.accounts if a.count_in + a.count_out > 0)
    outer = sorted(c.account for c in bundle.money.counterparties[:MAX_COUNTERPARTIES])
    cx, cy = WIDTH / 2, HEIGHT / 2
    places = _ring(inner, min(cx, cy) * (0.38 if len(inner) > 1 else 0.0), cx, cy, -math.pi / 2)
    places.update(_ring(outer, min(cx, cy) * 0.82, cx, cy, -math.pi / 2 + math.pi / max(len(outer), 1)))
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for t in bundle.money.transfers.items:
        if t.source in places and t.target in places:
            totals[(t.source, t.target)] += t.amount
    for path in bundle.money.paths:  # paths may run through accounts outside the diagram: keep their ends
        for a, b, amount in zip(path.accounts, path.accounts[1:], path.amounts, strict=False):
            if a in places and b in places and (a, b) not in totals:
                totals[(a, b)] = amount
    edges = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_EDGES]
    biggest = max((amount for _, amount in edges), default=1.0) or 1.0
    arrows = []
    for (a, b), amount in sorted(edges, key=lambda kv: kv[0]):
        (x1, y1), (x2, y2) = places[a], places[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        shrink = 14 / length  # stop at the node's edge so the arrow head shows
        arrows.append(Arrow(a, b, round(x1 + (x2 - x1) * shrink, 1), round(y1 + (y2 - y1) * shrink, 1),
                            round(x2 - (x2 - x1) * shrink, 1), round(y2 - (y2 - y1) * shrink, 1), round(amount, 2),
                            round(0.8 + 3.2 * amount / biggest, 2)))
    nodes = []
    for key, (x, y) in sorted(places.items()):
        holder = holders.get(key)
        holder_name = names.get(holder, holder) if holder else None
        nodes.append(NodeBox(key, "…" + key.split(":", 1)[-1][-6:], holder_name, x, y, key in inner))
    return FlowDiagram(WIDTH, HEIGHT, nodes, arrows)
