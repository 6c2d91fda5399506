"""The money around a case, as pure functions over the transfers the caller may see.

Typologies come from ring detection's own money-flow detectors (casegraph.detect), run on the transfers
of the parties' accounts and their nearest counterparties: the same time windows and thresholds the ring
jobs use, on a smaller graph. The stored rings themselves appear in the bundle's `rings` section.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final

import networkx as nx

from casegraph.bundle import labels
from casegraph.bundle.models import AccountTotals, Counterparty, FlowPath, Typology
from casegraph.detect.one_off import ONE_OFF
from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import FLOW_DETECTORS
from casegraph.detect.transfers import TransferIndex
from casegraph.graph.projection import to_epoch
from casegraph.i18n import N_, gettext, translate

METHOD: Final[str] = N_("ring detection's money-flow detectors (casegraph.detect: cycle, fan-in, fan-out, "
                      "scatter-gather, gather-scatter, pass-through) with their default parameters, run on the "
                      "visible transfers of the parties' accounts and their nearest counterparties; patterns within "
                      "{window:g} h, fans of {fan} or more counterparties within {fan_window:g} h; recurring and "
                      "payroll transfers ignored")


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


def transfer_graph(flows: Iterable[Flow]) -> tuple[nx.MultiDiGraph, dict[int, Flow]]:
    """The flows as a projection graph (casegraph.graph.projection's format), for the detectors;
    and which flow each multigraph edge stands for, to cite its evidence."""
    graph = nx.MultiDiGraph()
    by_edge: dict[int, Flow] = {}
    for number, f in enumerate(flows):
        if f.at is None:  # the detectors' windows need a time; an undated row can show in no pattern
            continue
        for account in (f.source, f.target):
            graph.add_node(account, type="Account")
        graph.add_edge(f.source, f.target, key=number, type="TRANSFERRED", amount=f.amount, at=to_epoch(f.at),
                       tx_id=f.tx_id, memo=None, sources=[])
        by_edge[number] = f
    return graph, by_edge


def typologies(flows: Iterable[Flow], party_accounts: set[str], params: DetectionParams | None = None,
               limit: int = 50) -> list[Typology]:
    """The money-flow typologies of ring detection (casegraph.detect's detectors, with the same
    parameters) found on the parties' transfer subgraph, each touching at least one party account."""
    params = params or DetectionParams()
    graph, by_edge = transfer_graph(flows)
    index = TransferIndex(graph, params)
    found: list[Typology] = []
    for detector in FLOW_DETECTORS.values():
        for finding in detector(index, params):
            kind = finding.typology
            # Only the named patterns; the one-off note backs a fan already listed under its own name.
            if kind == ONE_OFF or not finding.members & party_accounts:
                continue
            evidence = [x for _src, _dst, key in finding.edges for x in by_edge[key].evidence[:1]]
            accounts = sorted(finding.members, key=lambda a: (a not in party_accounts, a))
            total = round(finding.amount, 2)
            found.append(Typology(kind=kind, accounts=accounts, total=total,  # type: ignore[arg-type]
                                  explanation=f"{labels.label(labels.TYPOLOGIES, kind)}：{len(accounts)} 个账户，"
                                              f"{len(finding.edges)} 笔，合计 {total:,.2f} 元"
                                              f"（{translate(finding.detail, 'zh')}）",
                                  evidence=list(dict.fromkeys(evidence))[:10]))
    found.sort(key=lambda t: (-t.total, t.kind, t.accounts))
    return found[:limit]


def method(params: DetectionParams | None = None) -> str:
    p = params or DetectionParams()
    return gettext(METHOD).format(window=p.window_hours, fan=p.fan_min_counterparties, fan_window=p.fan_window_hours)
