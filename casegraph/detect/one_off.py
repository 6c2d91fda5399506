"""Fans and cycles made of one-off relationships, judged against the ledger's own habits.

Most money moves between the same payer and payee again and again (rent, suppliers, family). A
laundering pattern wires up accounts that have never dealt with each other and never will
again: each of its transfers is the only one between its pair. How unusual that is depends on
the ledger, so nothing here is an absolute count or amount:
- the null model is the ledger's own share `p` of payer-payee pairs that carry exactly one
  transfer; an account with `n` distinct counterparties on one side is expected to have about
  `p * n` one-off ones, and its observed `k` gets the binomial tail P(X >= k);
- the accounts whose tail is significant under Benjamini-Hochberg at `one_off_fdr` (a false
  discovery rate, so about that share of flagged centres may be chance) and have at least
  `one_off_fan_min` one-off counterparties are fan centres (`fan_in` / `fan_out`), with an
  extra `one_off_counterparties` finding that says the relationships are novel;
- cycles are searched only among one-off transfers, closed by at most one habitual hop (the way
  back may run over an old relationship), and only while one-off transfers are sparse (mean
  out-degree below 1 in their graph: a random sparse digraph holds almost no cycles, so a cycle
  there is a plan, not chance). Their hops need no time order or amount match: a planted
  cycle's money may go round in any order, in any amounts, over weeks; but the round is one
  episode, within `episode_span_share` of the ledger's span (or `window_hours`, if longer).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.params import DetectionParams
from casegraph.detect.transfers import Transfer, TransferIndex

__all__ = ["ONE_OFF", "binomial_tail", "fdr_select", "find_one_off_cycles", "find_one_off_fans"]

ONE_OFF = "one_off_counterparties"


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in log space (n is a counterparty count)."""
    if k <= 0:
        return 1.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k, n + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                          + i * log_p + (n - i) * log_q)
    return min(total, 1.0)


def fdr_select(p_values: dict[str, float], tests: int, rate: float) -> set[str]:
    """Benjamini-Hochberg: the keys whose p-values are discoveries at false discovery `rate`."""
    ranked = sorted(p_values.items(), key=lambda item: item[1])
    cut = 0
    for rank, (_key, value) in enumerate(ranked, start=1):
        if value <= rank * rate / tests:
            cut = rank
    return {key for key, _value in ranked[:cut]}


def _one_off_transfers(index: TransferIndex) -> list[Transfer]:
    counts = index.pair_counts
    return [tx for tx in index.transfers if counts[(tx.src, tx.dst)] == 1]


def find_one_off_fans(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Accounts with significantly many one-off payers (fan-in) or payees (fan-out)."""
    counts = index.pair_counts
    if not counts:
        return []
    # The ledger's habit and the number of tests are the whole ledger's (`index.totals`), also when
    # the index holds only a part of it.
    share = index.totals.one_off_pairs / index.totals.pairs
    sides: dict[tuple[str, str], list[Transfer]] = defaultdict(list)
    partners: dict[tuple[str, str], int] = defaultdict(int)
    for src, dst in counts:
        partners[("out", src)] += 1
        partners[("in", dst)] += 1
    for tx in _one_off_transfers(index):
        sides[("out", tx.src)].append(tx)
        sides[("in", tx.dst)].append(tx)
    p_values = {f"{side}|{account}": binomial_tail(len(txs), partners[(side, account)], share)
                for (side, account), txs in sides.items() if len(txs) >= params.one_off_fan_min}
    found = []
    for name in sorted(fdr_select(p_values, index.totals.partner_sides, params.one_off_fdr)):
        side, account = name.split("|", 1)
        txs = sorted(sides[(side, account)])
        members = frozenset({account} | {tx.dst if side == "out" else tx.src for tx in txs})
        edges: list[EdgeRef] = [(tx.src, tx.dst, tx.key) for tx in txs]
        amount = sum(tx.amount for tx in txs)
        typology = "fan_out" if side == "out" else "fan_in"
        detail = (f"{len(txs)} 个一次性{'收款方' if side == 'out' else '付款方'}"
                  f"（本账户 {partners[(side, account)]} 个对手中；本流水一次性对手占比 {share:.1%}，"
                  f"P={p_values[name]:.1e}）")
        found.append(Finding(typology, members, edges, amount, detail))
        found.append(Finding(ONE_OFF, members, list(edges), amount, detail))
    return found


def find_one_off_cycles(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Directed cycles of `cycle_min_length`..`one_off_cycle_max_length` one-off transfers."""
    if index.totals.one_off_transfers >= index.totals.one_off_accounts:
        return []  # mean out-degree >= 1: one-off transfers are too common for a cycle to mean much
    txs = _one_off_transfers(index)
    graph = nx.DiGraph()
    by_pair: dict[tuple[str, str], Transfer] = {}
    for tx in txs:
        graph.add_edge(tx.src, tx.dst)
        by_pair[(tx.src, tx.dst)] = tx
    if graph.number_of_nodes() == 0:
        return []
    cycles = {_rotated(c) for c in _cycles(graph, params.one_off_cycle_max_length)}
    # One habitual hop may close a path of one-off ones: of its transfers, the one nearest in time
    # to the path stands for it.
    habitual: dict[tuple[str, str], list[Transfer]] = defaultdict(list)
    for tx in index.with_recurring:
        if (tx.src, tx.dst) not in by_pair and tx.src in graph and tx.dst in graph:
            habitual[(tx.src, tx.dst)].append(tx)
    for src, dst in habitual:
        for path in nx.all_simple_paths(graph, dst, src, cutoff=params.one_off_cycle_max_length - 1):
            cycles.add(_rotated(path))
    found = []
    for cycle in sorted(cycles):
        if len(cycle) < params.cycle_min_length:
            continue
        pairs = [(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(len(cycle))]
        hops = [by_pair[pair] for pair in pairs if pair in by_pair]
        middle = sorted(tx.at for tx in hops)[len(hops) // 2]
        hops += [min(habitual[pair], key=lambda tx: abs(tx.at - middle)) for pair in pairs if pair not in by_pair]
        if max(tx.at for tx in hops) - min(tx.at for tx in hops) > index.episode:
            continue
        edges: list[EdgeRef] = [(tx.src, tx.dst, tx.key) for tx in hops]
        days = (max(tx.at for tx in hops) - min(tx.at for tx in hops)) / 86400.0
        found.append(Finding("cycle", frozenset(cycle), edges, sum(tx.amount for tx in hops),
                             f"{len(cycle)} 个账户的一次性转账闭环（跨 {days:.0f} 天）"))
    return found


def _cycles(graph: nx.DiGraph, bound: int) -> Iterable[list[str]]:
    return nx.simple_cycles(graph, length_bound=bound)


def _rotated(cycle: list[str]) -> tuple[str, ...]:
    """One spelling per cycle: start at its smallest key, keep the direction."""
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])
