"""Money-flow patterns planted in the ledgers, each inside a short time window."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .world import Account

FLOW_TYPOLOGIES = ("cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "pass_through")


@dataclass(slots=True)
class Tx:
    tx_id: str
    at: datetime
    src: Account | None  # None: an outside party (payment company, cash) without a statement
    dst: Account | None
    cents: int
    memo: str
    src_name: str = ""
    dst_name: str = ""
    src_number: str = ""
    dst_number: str = ""

    def __post_init__(self) -> None:
        if self.src is not None:
            self.src_name, self.src_number = self.src.owner_name, self.src.number
        if self.dst is not None:
            self.dst_name, self.dst_number = self.dst.owner_name, self.dst.number


@dataclass(slots=True)
class Flow:
    typology: str
    txs: list[Tx] = field(default_factory=list)

    @property
    def accounts(self) -> list[Account]:
        seen: dict[str, Account] = {}
        for tx in self.txs:
            for acct in (tx.src, tx.dst):
                if acct is not None:
                    seen.setdefault(acct.number, acct)
        return list(seen.values())


class TxIds:
    """Bank serial numbers: unique across the corpus, same in both banks' statements."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._n = 0

    def next(self, at: datetime) -> str:
        self._n += 1
        return f"{at.year:04d}{at.month:02d}{at.day:02d}{self._prefix}{self._n:09d}"


def _fee(rng: random.Random, cents: int) -> int:
    """What a hop keeps back: 0.1 %-1.5 %, rounded to whole yuan as mules do."""
    return cents - (cents * rng.randint(10, 150) // 10000) // 100 * 100


def _round_amount(rng: random.Random, low: int, high: int) -> int:
    yuan = rng.randint(low, high)
    if rng.random() < 0.6:
        yuan = yuan // 1000 * 1000 or 1000
    return yuan * 100


MEMOS_LAUNDER = ("转账", "往来款", "货款", "借款", "投资款", "还款", "网银转账", "手机银行转账")


def plant(rng: random.Random, typology: str, accounts: list[Account], start: datetime, ids: TxIds) -> Flow:
    """Plant one pattern over `accounts` (the first is the hub where a pattern has one)."""
    flow = Flow(typology)
    memo = rng.choice(MEMOS_LAUNDER)

    def tx(src: Account, dst: Account, cents: int, at: datetime) -> Tx:
        t = Tx(ids.next(at), at, src, dst, cents, memo)
        flow.txs.append(t)
        return t

    at = start
    if typology == "cycle":
        ring = accounts[: max(3, min(6, len(accounts)))]
        amount = _round_amount(rng, 50_000, 2_000_000)
        for i, src in enumerate(ring):
            at += timedelta(hours=rng.randint(2, 30), minutes=rng.randint(0, 59))
            tx(src, ring[(i + 1) % len(ring)], amount, at)
            amount = _fee(rng, amount)
    elif typology in ("fan_in", "fan_out"):
        hub, others = accounts[0], accounts[1:]
        for other in others:
            at = start + timedelta(minutes=rng.randint(0, 3 * 24 * 60))
            cents = _round_amount(rng, 5_000, 80_000)
            if typology == "fan_in":
                tx(other, hub, cents, at)
            else:
                tx(hub, other, cents, at)
    elif typology == "scatter_gather":
        src, sink, middles = accounts[0], accounts[1], accounts[2:]
        for mid in middles:
            cents = _round_amount(rng, 20_000, 200_000)
            t1 = start + timedelta(minutes=rng.randint(0, 12 * 60))
            tx(src, mid, cents, t1)
            tx(mid, sink, _fee(rng, cents), t1 + timedelta(minutes=rng.randint(30, 36 * 60)))
    elif typology == "gather_scatter":
        hub, rest = accounts[0], accounts[1:]
        half = max(1, len(rest) // 2)
        sources, sinks = rest[:half], rest[half:] or rest[:1]
        total = 0
        last = start
        for s in sources:
            cents = _round_amount(rng, 20_000, 150_000)
            total += cents
            at = start + timedelta(minutes=rng.randint(0, 24 * 60))
            last = max(last, at)
            tx(s, hub, cents, at)
        share = _fee(rng, total) // len(sinks) // 100 * 100
        for s in sinks:
            tx(hub, s, share, last + timedelta(minutes=rng.randint(20, 24 * 60)))
    elif typology == "pass_through":
        hub, rest = accounts[0], accounts[1:]
        for k in range(max(1, min(4, len(rest) // 2))):
            src, dst = rest[(2 * k) % len(rest)], rest[(2 * k + 1) % len(rest)]
            at = start + timedelta(days=k * rng.randint(1, 3), minutes=rng.randint(0, 600))
            cents = _round_amount(rng, 30_000, 500_000)
            tx(src, hub, cents, at)
            tx(hub, dst, _fee(rng, cents), at + timedelta(minutes=rng.randint(5, 6 * 60)))
    else:
        raise ValueError(f"unknown flow typology {typology!r}")
    return flow
