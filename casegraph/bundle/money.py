"""The money around a case, as pure functions over the transfers the caller may see.

Typologies here are simple structural checks (fan-in, fan-out, short cycles) over the transfers
touching the parties' accounts; ring detection proper (casegraph.detect) works on the whole graph
with time windows and scores, and its rings appear in the bundle's `rings` section.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final

import networkx as nx

from casegraph.bundle.models import AccountTotals, Counterparty, FlowPath, Typology

METHOD: Final[str] = ("structural checks over visible transfers touching party accounts: fan-in/fan-out "
                      "with at least {fan} distinct counterparties, cycles of at most {cycle} accounts")
FAN_MIN: Final[int] = 3
CYCLE_MAX: Final[int] = 5


@dataclass(frozen=True, slots=True)
class Flow:
    """One visible transfer, with the ids of the evidence items that state it."""

    source: str
    target: str
    amount: float
    at: str | None = None
    tx_id: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass
class _Edge:
    amount: float = 0.0
    count: int = 0
    evidence: list[str] = field(default_factory=list)


def flow_graph(flows: Iterable[Flow]) -> nx.DiGraph:
    """Transfers folded into one edge per (from, to): total amount, count and evidence."""
    edges: dict[tuple[str, str], _Edge] = defaultdict(_Edge)
    for f in flows:
        e = edges[(f.source, f.target)]
        e.amount += f.amount
        e.count += 1
        e.evidence.extend(x for x in f.evidence if x not in e.evidence)
    graph = nx.DiGraph()
    for (a, b), e in sorted(edges.items()):
        graph.add_edge(a, b, amount=round(e.amount, 2), count=e.count, evidence=e.evidence)
    return graph


def account_totals(graph: nx.DiGraph, holders: Mapping[str, str | None]) -> list[AccountTotals]:
    result = []
    for account in sorted(holders):
        ins = list(graph.in_edges(account, data=True)) if account in graph else []
        outs = list(graph.out_edges(account, data=True)) if account in graph else []
        result.append(AccountTotals(
            account=account, holder=holders[account],
            total_in=round(sum(d["amount"] for _, _, d in ins), 2),
            total_out=round(sum(d["amount"] for _, _, d in outs), 2),
            count_in=sum(d["count"] for _, _, d in ins), count_out=sum(d["count"] for _, _, d in outs)))
    return result


def largest_counterparties(graph: nx.DiGraph, party_accounts: set[str], holders: Mapping[str, str | None],
                           top: int = 20) -> list[Counterparty]:
    """Accounts outside the parties' own, ranked by the money they exchanged with them."""
    totals: dict[str, _Edge] = defaultdict(_Edge)
    directions: dict[str, set[str]] = defaultdict(set)
    for a, b, d in graph.edges(data=True):
        for mine, other, direction in ((a, b, "out"), (b, a, "in")):
            if mine in party_accounts and other not in party_accounts:
                t = totals[other]
                t.amount += d["amount"]
                t.count += d["count"]
                t.evidence.extend(x for x in d["evidence"] if x not in t.evidence)
                directions[other].add(direction)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1].amount, kv[0]))[:top]
    return [Counterparty(account=acct, holder=holders.get(acct), total=round(t.amount, 2), transfers=t.count,
                         direction="both" if len(directions[acct]) == 2 else next(iter(directions[acct])),  # type: ignore[arg-type]
                         evidence=t.evidence[:5])
            for acct, t in ranked]


def flow_paths(graph: nx.DiGraph, party_accounts: set[str], max_hops: int = 4, limit: int = 50) -> list[FlowPath]:
    """Directed money paths from one party account to another, at most `max_hops` transfers long.

    Shortest first, then by key, so the same graph always gives the same list."""
    found: list[list[str]] = []
    for start in sorted(party_accounts & set(graph.nodes)):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.successors(node), reverse=True):
                if nxt in path:
                    continue
                if nxt in party_accounts:
                    found.append([*path, nxt])
                if len(path) < max_hops and nxt not in party_accounts:
                    stack.append((nxt, [*path, nxt]))
    found.sort(key=lambda p: (len(p), p))
    result = []
    for path in found[:limit]:
        pairs = list(pairwise(path))
        evidence: list[str] = []
        for a, b in pairs:
            evidence.extend(x for x in graph.edges[a, b]["evidence"][:2] if x not in evidence)
        result.append(FlowPath(accounts=path, amounts=[graph.edges[a, b]["amount"] for a, b in pairs],
                               evidence=evidence))
    return result


def typologies(graph: nx.DiGraph, party_accounts: set[str], limit: int = 50) -> list[Typology]:
    found: list[Typology] = []
    for account in sorted(party_accounts & set(graph.nodes)):
        for kind, edges in (("fan_in", graph.in_edges(account, data=True)),
                            ("fan_out", graph.out_edges(account, data=True))):
            edges = list(edges)
            others = sorted({a if kind == "fan_in" else b for a, b, _ in edges})
            if len(others) >= FAN_MIN:
                total = round(sum(d["amount"] for _, _, d in edges), 2)
                word = "转入" if kind == "fan_in" else "转出"
                evidence = [x for _, _, d in edges for x in d["evidence"][:1]]
                found.append(Typology(kind=kind, accounts=[account, *others], total=total,  # type: ignore[arg-type]
                                      explanation=f"{len(others)} 个账户{word}，合计 {total:,.2f} 元",
                                      evidence=list(dict.fromkeys(evidence))[:10]))
    near = graph.subgraph(set(party_accounts) | {n for a in party_accounts if a in graph
                                                 for n in nx.all_neighbors(graph, a)})
    cycles = sorted((c for c in nx.simple_cycles(near, length_bound=CYCLE_MAX) if party_accounts & set(c)),
                    key=lambda c: (len(c), c))
    for cycle in cycles:
        start = cycle.index(min(cycle))
        cycle = cycle[start:] + cycle[:start]
        pairs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        total = round(sum(graph.edges[a, b]["amount"] for a, b in pairs), 2)
        evidence = [x for a, b in pairs for x in graph.edges[a, b]["evidence"][:1]]
        typology = Typology(kind="cycle", accounts=cycle, total=total,
                            explanation=f"资金经 {len(cycle)} 个账户回流，合计 {total:,.2f} 元",
                            evidence=list(dict.fromkeys(evidence)))
        if all(t.accounts != typology.accounts for t in found):
            found.append(typology)
    return found[:limit]


def method() -> str:
    return METHOD.format(fan=FAN_MIN, cycle=CYCLE_MAX)
