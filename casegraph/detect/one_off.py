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

import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.merchants import merchant_like
from casegraph.detect.params import DetectionParams
from casegraph.detect.stats import binomial_tail, fdr_select
from casegraph.detect.transfers import Transfer, TransferIndex

__all__ = ["ONE_OFF", "OneOffView", "binomial_tail", "fdr_select", "find_one_off_cycles", "find_one_off_fans",
           "one_off_view", "searches_one_off_cycles"]

ONE_OFF = "one_off_counterparties"


Side = tuple[str, str]  # ("in" | "out", account)


@dataclass(frozen=True, slots=True)
class OneOffView:
    """The ledger's one-off relationships once merchant-like sides are set aside (see `merchants`).

    `share` is the one-off share of the remaining pairs, `partners` each side's counterparties,
    `sides` each side's one-off transfers, `p_values` the binomial tails of the sides with at least
    `one_off_fan_min` of them, `merchants` the sides taken as ordinary business.
    """

    share: float
    partners: dict[Side, int]
    sides: dict[Side, list[Transfer]]
    p_values: dict[Side, float]
    merchants: frozenset[Side]
    tests: int  # how many sides the whole ledger tests (the false discovery rate's count)

    @property
    def transfers(self) -> list[Transfer]:
        return sorted({tx for (side, _account), txs in self.sides.items() if side == "out" for tx in txs})


_VIEWS: weakref.WeakKeyDictionary[TransferIndex, OneOffView] = weakref.WeakKeyDictionary()


def one_off_view(index: TransferIndex, params: DetectionParams) -> OneOffView:
    """The view of one index, built once per run and shared by the fan and cycle searches.

    Merchants are looked for only among the sides the binomial test flags, then the test is run
    again without their pairs (they inflated the ledger's one-off share), until no new one appears.
    """
    cached = _VIEWS.get(index)
    if cached is not None:
        return cached
    merchants: set[Side] = set()
    granule = _GRANULES.get(params.derived.get("profile", {}).get("granularity", ""), 1.0)
    lives: dict[str, tuple[float, float]] = {}
    while True:
        view = _view(index, params, frozenset(merchants))
        flagged = fdr_select(view.p_values, view.tests, params.one_off_fdr)
        if flagged and not lives:
            lives = _lives(index)
        new = merchant_like({side: [tx.at for tx in view.sides[side]] for side in flagged}, view.partners,
                            {side: lives[side[1]] for side in flagged}, granule, params.one_off_fdr)
        if not new:
            _VIEWS[index] = view
            return view
        merchants |= new


_GRANULES = {"day": 86400.0, "minute": 60.0, "second": 1.0}


def _lives(index: TransferIndex) -> dict[str, tuple[float, float]]:
    """Each account's first and last transfer of any kind."""
    lives: dict[str, tuple[float, float]] = {}
    for tx in index.with_recurring:
        for account in (tx.src, tx.dst):
            first, last = lives.get(account, (tx.at, tx.at))
            lives[account] = (min(first, tx.at), max(last, tx.at))
    return lives


def _view(index: TransferIndex, params: DetectionParams, merchants: frozenset[Side]) -> OneOffView:
    every = index.pair_counts
    counts = {pair: n for pair, n in every.items()
              if ("out", pair[0]) not in merchants and ("in", pair[1]) not in merchants}
    partners: dict[Side, int] = defaultdict(int)
    for src, dst in counts:
        partners[("out", src)] += 1
        partners[("in", dst)] += 1
    # The share and the number of tests are the whole ledger's (`index.totals`), less what the
    # merchants take away, also when the index holds only the accounts that can take part in a
    # pattern (the Spark engine): a merchant is one of them, so its pairs, all of them in the
    # index, are what is taken away.
    totals = index.totals
    pairs = totals.pairs - (len(every) - len(counts))
    one_off = totals.one_off_pairs - (sum(1 for c in every.values() if c == 1)
                                      - sum(1 for c in counts.values() if c == 1))
    share = one_off / pairs if pairs > 0 else 0.0
    tests = totals.partner_sides - _sides_left_bare(every, counts, totals.side_partners)
    sides: dict[Side, list[Transfer]] = defaultdict(list)
    for tx in index.transfers:
        if counts.get((tx.src, tx.dst)) == 1:
            sides[("out", tx.src)].append(tx)
            sides[("in", tx.dst)].append(tx)
    p_values = {side: binomial_tail(len(txs), partners[side], share)
                for side, txs in sides.items() if len(txs) >= params.one_off_fan_min}
    return OneOffView(share, dict(partners), dict(sides), p_values, merchants, tests)


def _sides_left_bare(every: Mapping[tuple[str, str], int], counts: Mapping[tuple[str, str], int],
                     whole: Mapping[Side, int] | None) -> int:
    """How many sides have only merchants' pairs (they leave the test with them). A side's
    counterparties are counted over the whole ledger (`whole`) when the index holds a part of it:
    a merchant's pairs are all in the part, its counterparties' other pairs need not be."""
    removed: dict[Side, int] = defaultdict(int)
    for src, dst in every:
        if (src, dst) not in counts:
            removed[("out", src)] += 1
            removed[("in", dst)] += 1
    if not removed:
        return 0
    own: dict[Side, int] = defaultdict(int)
    if whole is None:
        for src, dst in every:
            own[("out", src)] += 1
            own[("in", dst)] += 1
    return sum(1 for side, n in removed.items() if (own[side] if whole is None else whole[side]) == n)


def find_one_off_fans(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Accounts with significantly many one-off payers (fan-in) or payees (fan-out)."""
    view = one_off_view(index, params)
    if not view.partners:
        return []
    found = []
    for side, account in sorted(fdr_select(view.p_values, view.tests, params.one_off_fdr)):
        txs = sorted(view.sides[(side, account)])
        members = frozenset({account} | {tx.dst if side == "out" else tx.src for tx in txs})
        edges: list[EdgeRef] = [(tx.src, tx.dst, tx.key) for tx in txs]
        amount = sum(tx.amount for tx in txs)
        typology = "fan_out" if side == "out" else "fan_in"
        detail = (f"{len(txs)} 个一次性{'收款方' if side == 'out' else '付款方'}"
                  f"（本账户 {view.partners[(side, account)]} 个对手中；本流水一次性对手占比 {view.share:.1%}"
                  f"{'，不计 ' + str(len(view.merchants)) + ' 个商户型账户' if view.merchants else ''}，"
                  f"P={view.p_values[(side, account)]:.1e}）")
        found.append(Finding(typology, members, edges, amount, detail))
        found.append(Finding(ONE_OFF, members, list(edges), amount, detail))
    return found


def searches_one_off_cycles(index: TransferIndex, params: DetectionParams) -> bool:
    """Whether `find_one_off_cycles` searches at all on this index (see its first condition)."""
    return "one_off_cycles" not in params.disabled_detectors and one_off_view(index, params).share < 0.5


def find_one_off_cycles(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Directed cycles of `cycle_min_length`..`one_off_cycle_max_length` one-off transfers.

    Only where one-off relationships are the exception (the view's share below one half: where
    nearly every pair deals once, as on the generator's ledgers, a cycle of them is no sign), and
    only inside the strongly connected parts of their graph (a planted fan or gather-scatter hub
    elsewhere changes nothing), while the expected work stays within the size of the ledger.
    """
    if not searches_one_off_cycles(index, params):
        return []
    view = one_off_view(index, params)
    txs = view.transfers
    graph = nx.DiGraph()
    by_pair: dict[tuple[str, str], Transfer] = {}
    for tx in txs:
        graph.add_edge(tx.src, tx.dst)
        by_pair[(tx.src, tx.dst)] = tx
    part = {node: n for n, nodes in enumerate(nx.strongly_connected_components(graph)) if len(nodes) > 1
            for node in nodes}
    looped = graph.edge_subgraph((a, b) for a, b in graph.edges if a in part and part[a] == part.get(b))
    ledger = index.totals.used + index.totals.regular  # the whole ledger's transfers, recurring ones too
    if _too_much_work(looped.number_of_nodes(), looped.number_of_edges(), params, ledger):
        return []  # one-off transfers are too entangled for a cycle among them to mean much
    cycles = {_rotated(c) for c in _cycles(looped, params.one_off_cycle_max_length)}
    # One habitual hop may close a path of one-off ones: of its transfers, the one nearest in time
    # to the path stands for it.
    habitual: dict[tuple[str, str], list[Transfer]] = defaultdict(list)
    for tx in index.with_recurring:
        if (tx.src, tx.dst) not in by_pair and tx.src in graph and tx.dst in graph:
            habitual[(tx.src, tx.dst)].append(tx)
    if _too_much_work(len(habitual), len(habitual) * branching_factor(txs), params, ledger):
        habitual.clear()
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


def _too_much_work(starts: int, onward: float, params: DetectionParams, ledger: int) -> bool:
    """Whether following paths from `starts` nodes, `onward / starts` branches a hop, up to
    `one_off_cycle_max_length` hops, would exceed the size of the ledger: a bound on time, not on
    what counts as a cycle."""
    if not starts:
        return False
    factor = onward / starts
    return starts * sum(factor ** hops for hops in range(params.one_off_cycle_max_length)) > ledger


def branching_factor(txs: Sequence[Transfer]) -> float:
    """How many onward one-off transfers a one-off transfer leads to on average: sum of in x out
    degrees over the sum of degrees.

    In a random digraph with these degrees, cycles of length k number about factor**k / k: below
    1 they are rare, so one found is a plan. A shop (paid once by many, paying no one once) or a
    fan's centre adds nothing; only accounts that both receive and pay one-off transfers do.
    """
    if not txs:
        return 0.0
    ins: dict[str, int] = defaultdict(int)
    outs: dict[str, int] = defaultdict(int)
    for tx in txs:
        outs[tx.src] += 1
        ins[tx.dst] += 1
    return sum(n * outs.get(account, 0) for account, n in ins.items()) / len(txs)


def _cycles(graph: nx.DiGraph, bound: int) -> Iterable[list[str]]:
    return nx.simple_cycles(graph, length_bound=bound)


def _rotated(cycle: list[str]) -> tuple[str, ...]:
    """One spelling per cycle: start at its smallest key, keep the direction."""
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])
