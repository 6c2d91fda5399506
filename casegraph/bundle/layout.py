"""A deterministic layout of the fund-flow diagram, shared by the HTML (SVG) and the PDF renderings.

Party accounts sit on an inner circle, their largest counterparties on an outer one, both in key
order; the same bundle always gives the same picture. Each node's label (account tail and holder) is
placed outward from the centre at the nearest distance where its box meets no other label and no node,
so that crowded circles stay readable.
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


NODE_RADIUS: Final[float] = 12.0
LABEL_SIZE: Final[float] = 11.0  # font sizes in diagram units (the SVG's; the PDF scales the whole drawing)
HOLDER_SIZE: Final[float] = 10.0
LINE_GAP: Final[float] = 2.0
HOLDER_CHARS: Final[int] = 10


@dataclass(frozen=True, slots=True)
class NodeBox:
    key: str
    label: str
    holder: str | None
    x: float
    y: float
    party: bool
    label_x: float = 0.0  # centre of the label block's first line, at its baseline
    label_y: float = 0.0

    def label_box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the label and holder lines as set at (label_x, label_y)."""
        return _box(self.label, self.holder, self.label_x, self.label_y)


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
        nodes.append(NodeBox(key, "…" + key.split(":", 1)[-1][-6:], holder_name[:HOLDER_CHARS] if holder_name else None,
                             x, y, key in inner))
    return FlowDiagram(WIDTH, HEIGHT, _place_labels(nodes, cx, cy), arrows)


def _text_width(text: str, size: float) -> float:
    # CJK glyphs are one em wide, Latin letters and digits about six tenths of one
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def _box(label: str, holder: str | None, x: float, y: float) -> tuple[float, float, float, float]:
    width = max(_text_width(label, LABEL_SIZE), _text_width(holder or "", HOLDER_SIZE))
    height = LABEL_SIZE + (LINE_GAP + HOLDER_SIZE if holder else 0.0)
    return (x - width / 2, y - LABEL_SIZE, x + width / 2, y - LABEL_SIZE + height)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(nodes: list[NodeBox], cx: float, cy: float) -> list[NodeBox]:
    """Each label outward from the centre (below a centred node), at the first distance where it is clear."""
    circles = [(n.x - NODE_RADIUS, n.y - NODE_RADIUS, n.x + NODE_RADIUS, n.y + NODE_RADIUS) for n in nodes]
    placed: list[tuple[float, float, float, float]] = []
    out = []
    # the party accounts first: their labels matter most and keep the nearest places
    for n in sorted(nodes, key=lambda n: (not n.party, n.key)):
        dx, dy = n.x - cx, n.y - cy
        norm = math.hypot(dx, dy)
        ux, uy = (dx / norm, dy / norm) if norm > 1 else (0.0, 1.0)
        best: tuple[float, float] | None = None
        for step in range(12):
            distance = NODE_RADIUS + 4 + 7 * step
            for side in (0.0, 0.5, -0.5):  # straight out, then turned a little either way
                vx, vy = ux - side * uy, uy + side * ux
                x, y = n.x + vx * distance, n.y + vy * distance
                _, top, _, bottom = _box(n.label, n.holder, x, 0.0)
                y += -top - (bottom - top) / 2  # the block's middle at the candidate point
                box = _box(n.label, n.holder, x, y)
                if not any(_overlaps(box, other) for other in placed + circles):
                    best = (x, y)
                    break
            if best is not None:
                break
        if best is None:  # nowhere clear within reach: straight out, at the farthest distance tried
            x, y = n.x + ux * (NODE_RADIUS + 81), n.y + uy * (NODE_RADIUS + 81)
            best = (x, y)
        x, y = round(best[0], 1), round(best[1], 1)
        placed.append(_box(n.label, n.holder, x, y))
        out.append(NodeBox(n.key, n.label, n.holder, n.x, n.y, n.party, x, y))
    return sorted(out, key=lambda n: n.key)
