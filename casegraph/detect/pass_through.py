"""Fast pass-through: money that lands on an account and leaves it again within hours.

A hop in -> out is a pass-through when the outgoing transfer follows the incoming one within
`pass_through_hours` and carries between `1 - hop_tolerance` and `1 + hop_gain` of it. Matched
hops that share transfers are joined into chains (A -> M1 -> M2 -> B), and each chain is one
finding whose members are every account on it. Transfers between standing partners
(`TransferIndex.habitual`) are not hops: a shop that pays its supplier the day a customer paid
it is doing business.
"""

from __future__ import annotations

import networkx as nx

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.params import DetectionParams
from casegraph.detect.transfers import Transfer, TransferIndex

__all__ = ["find_pass_through"]


def find_pass_through(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Chains of accounts that forward what they receive within `pass_through_hours`."""
    delay = params.pass_through_hours * 3600.0
    keep, gain = 1.0 - params.hop_tolerance, 1.0 + params.hop_gain
    hops = nx.Graph()  # nodes are transfers; an edge joins an incoming transfer to its forward
    habitual = index.habitual  # money between old partners that happens to match is no pass-through
    for account, ins in index.incoming.items():
        if account in index.hubs or account not in index.outgoing:
            continue
        for inbound in ins:
            if inbound.amount < params.pass_through_min_amount or (inbound.src, inbound.dst) in habitual:
                continue
            for outbound in index.out_between(account, inbound.at, inbound.at + delay):
                conserved = keep * inbound.amount <= outbound.amount <= gain * inbound.amount
                if conserved and outbound.dst != inbound.src and (outbound.src, outbound.dst) not in habitual:
                    hops.add_edge(inbound, outbound)
                    break  # the first matching forward explains this inflow
    found = []
    for chain in nx.connected_components(hops):
        txs: list[Transfer] = sorted(chain)
        members = frozenset({tx.src for tx in txs} | {tx.dst for tx in txs})
        edges: list[EdgeRef] = [(tx.src, tx.dst, tx.key) for tx in txs]
        intermediaries = len({tx.dst for tx in txs} & {tx.src for tx in txs})
        found.append(Finding("pass_through", members, edges, sum(tx.amount for tx in txs),
                             f"{intermediaries} account(s) forwarding within {params.pass_through_hours:g}h"))
    return found
