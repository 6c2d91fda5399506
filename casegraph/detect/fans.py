"""Fan-in, fan-out, scatter-gather and gather-scatter over time-stamped transfers.

- fan-out: one account pays `fan_min_counterparties` distinct accounts within `fan_window_hours`,
  more than its own pace over the ledger explains (`activity_span_hours`, see `_unusual_for`);
- fan-in: the mirror image, many accounts pay one;
- scatter-gather: a source pays several intermediaries that each pass (most of) the money on to
  one common sink within the window - the money splits and joins again;
- gather-scatter: an account collects from several sources and, within the window, sends most of
  it on to several destinations - a collection account in the middle.
Recurring payments and payroll never reach these functions (see `TransferIndex`), and accounts
with very many counterparties (`index.hubs`) are not centres.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence

from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.params import DetectionParams
from casegraph.detect.transfers import Transfer, TransferIndex

__all__ = ["find_fan_in", "find_fan_out", "find_gather_scatter", "find_scatter_gather"]


def _bursts(txs: Sequence[Transfer], other: Callable[[Transfer], str], window: float,
            min_distinct: int) -> list[list[Transfer]]:
    """Maximal runs of transfers where some `window` holds >= `min_distinct` distinct counterparties.

    Overlapping qualifying windows are merged, so one sustained burst is one result.
    """
    bursts: list[list[Transfer]] = []
    counts: dict[str, int] = defaultdict(int)
    lo = 0
    current: tuple[int, int] | None = None  # [start, end) of the burst being grown
    for hi, tx in enumerate(txs):
        counts[other(tx)] += 1
        while tx.at - txs[lo].at > window:
            gone = other(txs[lo])
            counts[gone] -= 1
            if counts[gone] == 0:
                del counts[gone]
            lo += 1
        if len(counts) >= min_distinct:
            if current is not None and lo < current[1]:  # overlaps the burst being grown
                current = (current[0], hi + 1)
            else:
                if current is not None:
                    bursts.append(list(txs[current[0]:current[1]]))
                current = (lo, hi + 1)
    if current is not None:
        bursts.append(list(txs[current[0]:current[1]]))
    return bursts


def _novel(index: TransferIndex, txs: list[Transfer]) -> list[Transfer]:
    """The transfers outside the account's standing relationships (`index.habitual`).

    Many payers in a few days mean something only when they are not the account's regular
    customers and suppliers; where the ledger's pairs rarely repeat, nothing is dropped.
    """
    habitual = index.habitual
    if not habitual:
        return txs
    return [tx for tx in txs if (tx.src, tx.dst) not in habitual]


def _unusual_for(txs: Sequence[Transfer], burst: Sequence[Transfer], window: float, span: float,
                 accounts: int) -> bool:
    """Whether a burst is more than the account's own pace explains.

    At the account's average pace over the ledger (`len(txs)` transfers in `span`), a window holds
    about lam = len(txs) * window / span of them; a burst is unusual when P(Poisson(lam) >= its
    size) is below window / (span * accounts): less than one such burst expected by chance in
    the whole ledger's history. A busy account (a shop, a payroll account) meets five payers in
    three days every week.
    """
    # A sustained burst is several windows merged: measure it over its own length.
    window = max(window, burst[-1].at - burst[0].at)
    if span <= window:
        return True
    lam = len(txs) * window / span
    size = len(burst)
    term = math.exp(-lam)
    below = 0.0
    for i in range(size):
        below += term
        term *= lam / (i + 1)
    return 1.0 - below < window / (span * max(accounts, 1))


def _finding(typology: str, centre: str, txs: Sequence[Transfer], detail: str) -> Finding:
    members = {centre} | {tx.src for tx in txs} | {tx.dst for tx in txs}
    edges: list[EdgeRef] = [(tx.src, tx.dst, tx.key) for tx in txs]
    return Finding(typology, frozenset(members), edges, sum(tx.amount for tx in txs), detail)


def find_fan_out(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Accounts that pay many distinct accounts within a short window."""
    window = params.fan_window_hours * 3600.0
    found = []
    for account, every in index.outgoing.items():
        txs = _novel(index, every)
        if account in index.hubs or len(txs) < params.fan_min_counterparties:
            continue
        for burst in _bursts(txs, lambda t: t.dst, window, params.fan_min_counterparties):
            if not _unusual_for(txs, burst, window, params.activity_span_hours * 3600.0, index.totals.payers):
                continue
            payees = len({t.dst for t in burst})
            found.append(_finding("fan_out", account, burst,
                                  f"{payees} payees within {params.fan_window_hours:g}h"))
    return found


def find_fan_in(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """Accounts that are paid by many distinct accounts within a short window."""
    window = params.fan_window_hours * 3600.0
    found = []
    for account, every in index.incoming.items():
        txs = _novel(index, every)
        if account in index.hubs or len(txs) < params.fan_min_counterparties:
            continue
        for burst in _bursts(txs, lambda t: t.src, window, params.fan_min_counterparties):
            if not _unusual_for(txs, burst, window, params.activity_span_hours * 3600.0, index.totals.payees):
                continue
            payers = len({t.src for t in burst})
            found.append(_finding("fan_in", account, burst,
                                  f"{payers} payers within {params.fan_window_hours:g}h"))
    return found


def find_scatter_gather(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """A source whose payments to several intermediaries come back together at one sink.

    Each intermediary must forward, within the window after it was paid, an amount between
    `1 - hop_tolerance` and `1 + hop_gain` of what it received; the sink must be reached through
    at least `scatter_min_paths` distinct intermediaries.
    """
    window = params.window_hours * 3600.0
    keep, gain = 1.0 - params.hop_tolerance, 1.0 + params.hop_gain
    found = []
    for source, outs in index.outgoing.items():
        if source in index.hubs or len(outs) < params.scatter_min_paths:
            continue
        # sink -> list of (source->mid, mid->sink) transfer pairs
        legs: dict[str, list[tuple[Transfer, Transfer]]] = defaultdict(list)
        for first in outs:
            mid = first.dst
            if mid in index.hubs:
                continue
            for second in index.out_between(mid, first.at, first.at + window, open_start=not params.same_time_ties):
                if second.dst != source and keep * first.amount <= second.amount <= gain * first.amount:
                    legs[second.dst].append((first, second))
        for sink, pairs in legs.items():
            for group in _time_groups(pairs, window):
                mids = {pair[0].dst for pair in group}
                if len(mids) >= params.scatter_min_paths and sink not in mids:
                    txs = [tx for pair in group for tx in pair]
                    found.append(_finding("scatter_gather", source, txs,
                                          f"{len(mids)} intermediaries from {source} to {sink}"))
    return found


Leg = tuple[Transfer, Transfer]


def _time_groups(pairs: list[Leg], window: float) -> list[list[Leg]]:
    """Split leg pairs into groups whose first legs lie within one window of each other."""
    pairs = sorted(pairs, key=lambda pair: pair[0].at)
    groups: list[list[Leg]] = []
    for pair in pairs:
        if groups and pair[0].at - groups[-1][0][0].at <= window:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    return groups


def find_gather_scatter(index: TransferIndex, params: DetectionParams) -> list[Finding]:
    """An account that collects from several sources and soon pays most of it out to several others.

    Both the collection burst and the payments out must fall within `gather_window_hours`. The
    payments out are taken in time order until they reach `1 - gather_tolerance` of the inflow,
    and must not overshoot it (`1 + hop_gain`): a collection account passes the money on nearly
    whole, while an ordinary account that receives and spends in the same days rarely matches.
    """
    window = params.gather_window_hours * 3600.0
    keep, gain = 1.0 - params.gather_tolerance, 1.0 + params.hop_gain
    found = []
    for hub, ins in index.incoming.items():
        if hub in index.hubs or len(ins) < params.gather_min_in or hub not in index.outgoing:
            continue
        for burst in _bursts(ins, lambda t: t.src, window, params.gather_min_in):
            inflow = sum(t.amount for t in burst)
            sources = {b.src for b in burst}
            # Take what leaves in time order until (nearly) all that came in has gone on.
            outs: list[Transfer] = []
            outflow = 0.0
            for t in index.out_between(hub, burst[0].at, burst[-1].at + window):
                if t.dst in sources:
                    continue
                outs.append(t)
                outflow += t.amount
                if outflow >= keep * inflow:
                    break
            if len({t.dst for t in outs}) < params.gather_min_out:
                continue
            if keep * inflow <= outflow <= gain * inflow:
                found.append(_finding("gather_scatter", hub, [*burst, *outs],
                                      f"{len({t.src for t in burst})} sources, {len({t.dst for t in outs})} "
                                      f"destinations through {hub}"))
    return found
