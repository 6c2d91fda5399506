"""A time-ordered index of the TRANSFERRED edges, built once and shared by the money-flow detectors.

networkx keeps edges in dicts of dicts; the detectors need each account's transfers sorted by
time and searchable by time (`bisect`), so they are copied out once into flat lists.
Recurring payments and payroll are marked here, once, so every detector ignores them alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

import networkx as nx

from casegraph.detect.params import DetectionParams
from casegraph.graph.ledgers import CHINA_TZ

__all__ = ["LedgerTotals", "Transfer", "TransferIndex"]


class Transfer(NamedTuple):
    at: float
    src: str
    dst: str
    amount: float
    key: int
    tx_id: str | None


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """Figures of the whole ledger, for an index built on a part of it.

    The Spark engine hands the driver only the transfers of the accounts that can take part in a
    pattern (every transfer of theirs, so their pairs are whole); a few thresholds read the whole
    ledger (its time span, how many accounts pay and are paid, how common one-off relationships
    are, how many counterparties each side of an account has). They come from here then, so the
    part gives the same findings as the whole.
    """

    first_at: float
    last_at: float
    used: int
    regular: int
    payers: int
    payees: int
    pairs: int
    one_off_pairs: int
    partner_sides: int
    one_off_transfers: int
    one_off_accounts: int
    # ("out" | "in", account) -> its distinct counterparties over the whole ledger (hubs left out);
    # None: the index holds the whole ledger, count them there.
    side_partners: Mapping[tuple[str, str], int] | None = field(default=None, compare=False, hash=False)


class TransferIndex:
    """Per-account outgoing and incoming transfers sorted by time, without the ordinary ones.

    `outgoing[a]` / `incoming[a]` hold `Transfer`s sorted by `at`; `out_times[a]` / `in_times[a]`
    the matching times for `bisect`. `pair_counts` counts every payer->payee pair's transfers
    (recurring ones included, hubs' left out), `habitual` the pairs whose transfers lie further
    apart than one `episode` (a standing relationship, not one pattern's repeated hops).
    `regular` counts the transfers dropped as recurring or payroll,
    and `hubs` the accounts with too many counterparties to be part of any pattern (a clearing
    house, a platform); their transfers are dropped as well.
    """

    def __init__(self, graph: nx.MultiDiGraph, params: DetectionParams, totals: LedgerTotals | None = None) -> None:
        transfers: list[Transfer] = []
        memos_payroll = 0
        payroll = re.compile("|".join(map(re.escape, params.payroll_words))) if params.payroll_words else None
        is_payroll: dict[str, bool] = {}  # memos repeat endlessly: decide each wording once
        for src, dst, key, data in graph.edges(keys=True, data=True):
            if data.get("type") != "TRANSFERRED" or src == dst:
                continue
            memo = data.get("memo")
            if memo and payroll is not None:
                verdict = is_payroll.get(memo)
                if verdict is None:
                    verdict = is_payroll[memo] = payroll.search(memo) is not None
                if verdict:
                    memos_payroll += 1
                    continue
            transfers.append(Transfer(data["at"], src, dst, data["amount"], key, data.get("tx_id")))
        pairs = Counter((tx.src, tx.dst) for tx in transfers)
        kept = _drop_recurring(transfers, params.regular_min_months)
        self.regular = memos_payroll + len(transfers) - len(kept)
        counterparties: dict[str, set[str]] = defaultdict(set)
        for tx in kept:
            counterparties[tx.src].add(tx.dst)
            counterparties[tx.dst].add(tx.src)
        self.hubs = frozenset(account for account, others in counterparties.items()
                              if len(others) > params.flow_hub_counterparties)
        # A clearing house or platform account touches everyone: a transfer to it says nothing
        # about a pattern, and keeping it would let it glue unrelated rings together.
        kept = [tx for tx in kept if tx.src not in self.hubs and tx.dst not in self.hubs]
        # Transfers per payer-payee pair, recurring ones included: how habitual each relationship is.
        self.pair_counts: Counter[tuple[str, str]] = Counter(
            {pair: n for pair, n in pairs.items() if pair[0] not in self.hubs and pair[1] not in self.hubs})
        kept.sort()
        self.outgoing: dict[str, list[Transfer]] = defaultdict(list)
        self.incoming: dict[str, list[Transfer]] = defaultdict(list)
        for tx in kept:
            self.outgoing[tx.src].append(tx)
            self.incoming[tx.dst].append(tx)
        # Every transfer kept before the recurring ones were dropped (a cycle's way back may be one).
        self.with_recurring = [tx for tx in transfers if tx.src not in self.hubs and tx.dst not in self.hubs]
        # Pairs that deal again and again, further apart than one episode: an old relationship.
        first: dict[tuple[str, str], float] = {}
        last: dict[tuple[str, str], float] = {}
        for tx in self.with_recurring:
            if self.pair_counts[(tx.src, tx.dst)] > 1:
                pair = (tx.src, tx.dst)
                first[pair] = min(first.get(pair, tx.at), tx.at)
                last[pair] = max(last.get(pair, tx.at), tx.at)
        times = [tx.at for tx in self.with_recurring] if totals is None else [totals.first_at, totals.last_at]
        self.episode = episode_seconds(params, times)
        self.habitual = frozenset(pair for pair, at in first.items() if last[pair] - at > self.episode)
        self.out_times = {a: [t.at for t in txs] for a, txs in self.outgoing.items()}
        self.in_times = {a: [t.at for t in txs] for a, txs in self.incoming.items()}
        self.transfers = kept
        self.totals = totals or self._own_totals()

    def _own_totals(self) -> LedgerTotals:
        counts = self.pair_counts
        one_off = [pair for pair, n in counts.items() if n == 1]
        one_off_txs = [tx for tx in self.transfers if counts[(tx.src, tx.dst)] == 1]
        times = [tx.at for tx in self.with_recurring]
        return LedgerTotals(
            first_at=min(times, default=0.0), last_at=max(times, default=0.0), used=len(self.transfers),
            regular=self.regular,
            payers=len(self.outgoing), payees=len(self.incoming), pairs=len(counts), one_off_pairs=len(one_off),
            partner_sides=len({src for src, _dst in counts}) + len({dst for _src, dst in counts}),
            one_off_transfers=len(one_off_txs),
            one_off_accounts=len({tx.src for tx in one_off_txs} | {tx.dst for tx in one_off_txs}))

    def out_between(self, account: str, start: float, end: float, *,
                    open_start: bool = False) -> Sequence[Transfer]:
        """Outgoing transfers of `account` with start <= at <= end (start excluded if open_start)."""
        times = self.out_times.get(account)
        if not times:
            return ()
        lo = bisect_right(times, start) if open_start else bisect_left(times, start)
        return self.outgoing[account][lo:bisect_right(times, end)]


def episode_seconds(params: DetectionParams, times: Sequence[float]) -> float:
    """How long one laundering episode may run: `episode_span_share` of the ledger's span, at
    least `window_hours`."""
    span = max(times) - min(times) if times else 0.0
    return max(params.episode_span_share * span, params.window_hours * 3600.0)


_DAY_OFFSET = 8 * 3600  # Beijing midnight, as epoch seconds are UTC


@lru_cache(maxsize=8192)
def _month_of_day(day: int) -> tuple[int, int]:
    moment = datetime.fromtimestamp(day * 86400, CHINA_TZ)
    return moment.year, moment.month


def _month(at: float) -> tuple[int, int]:
    return _month_of_day(int((at + _DAY_OFFSET) // 86400))


def _drop_recurring(transfers: list[Transfer], min_months: int) -> list[Transfer]:
    """Drop every transfer of a payer->payee pair that recurs in `min_months` distinct months.

    Rent, salaries and standing orders recur monthly; laundering patterns are bursts of days.
    """
    if min_months <= 0:
        return transfers
    months: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for tx in transfers:
        months[(tx.src, tx.dst)].add(_month(tx.at))
    recurring = {pair for pair, seen in months.items() if len(seen) >= min_months}
    return [tx for tx in transfers if (tx.src, tx.dst) not in recurring]
