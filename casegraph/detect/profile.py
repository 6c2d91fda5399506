"""What a ledger is like, read from its own transfers, and the thresholds that follow from it.

A detector tuned on one bank's or one simulator's ledgers finds nothing on another's when its
thresholds are absolute: 1,000 yuan is a large transfer in one ledger and petty cash in the
next; "within 24 hours" means nothing when every timestamp is a whole day. So a run first
profiles the transfers it got:
- the clock's granularity (every timestamp on a whole day, minute, or second);
- the ledger's time span;
- quantiles of the amounts, overall and of each account's median transfer (the usual size of
  what one account moves);
- each account's normal activity (median transfers per account) and the share of payer-payee
  relationships that carry a single transfer;
and `follow_ledger` turns that into the parameters of the run (`DetectionParams.thresholds ==
"ledger"`, the default), recording what it derived; `thresholds="absolute"` keeps the values given.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from casegraph.detect.params import DetectionParams
from casegraph.detect.transfers import Transfer, TransferIndex

__all__ = ["GRANULARITY_WORDS", "LedgerProfile", "follow_ledger", "profile_ledger"]

_DAY = 86400.0
_BEIJING = 8 * 3600.0  # statements are read in Beijing time: a whole day starts at 16:00 UTC
GRANULARITY_WORDS = {"day": "日", "minute": "分钟", "second": "秒"}
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)


@dataclass(frozen=True, slots=True)
class LedgerProfile:
    transfers: int
    accounts: int
    granularity: str  # day | minute | second
    span_days: float
    amount_quantiles: dict[str, float]
    account_median_amount_quantiles: dict[str, float]
    median_transfers_per_account: float
    one_off_share: float

    def as_record(self) -> dict[str, Any]:
        return {"transfers": self.transfers, "accounts": self.accounts, "granularity": self.granularity,
                "span_days": round(self.span_days, 2), "amount_quantiles": self.amount_quantiles,
                "account_median_amount_quantiles": self.account_median_amount_quantiles,
                "median_transfers_per_account": self.median_transfers_per_account,
                "one_off_share": round(self.one_off_share, 4)}


def _granularity(times: Sequence[float]) -> str:
    # A stray odd timestamp (a manual correction) must not turn a day ledger into a seconds one.
    tolerated = len(times) // 100
    off_day = sum(1 for t in times if (t + _BEIJING) % _DAY)
    if off_day <= tolerated:
        return "day"
    return "minute" if sum(1 for t in times if t % 60) <= tolerated else "second"


def _quantiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {f"q{round(q * 100)}": round(values[0], 2) for q in QUANTILES} if values else {}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {f"q{round(q * 100)}": round(cuts[round(q * 100) - 1], 2) for q in QUANTILES}


def profile_ledger(index: TransferIndex) -> LedgerProfile:
    """The profile of every transfer the index kept before dropping recurring ones."""
    txs: list[Transfer] = index.with_recurring
    times = [tx.at for tx in txs]
    per_account: dict[str, list[float]] = defaultdict(list)
    for tx in txs:
        per_account[tx.src].append(tx.amount)
        per_account[tx.dst].append(tx.amount)
    pairs = index.pair_counts
    return LedgerProfile(
        transfers=len(txs), accounts=len(per_account),
        granularity=_granularity(times) if times else "second",
        span_days=(max(times) - min(times)) / _DAY if times else 0.0,
        amount_quantiles=_quantiles([tx.amount for tx in txs]),
        account_median_amount_quantiles=_quantiles([statistics.median(a) for a in per_account.values()]),
        median_transfers_per_account=statistics.median(len(a) for a in per_account.values()) if per_account
        else 0.0,
        one_off_share=sum(1 for n in pairs.values() if n == 1) / len(pairs) if pairs else 0.0)


def _whole(hours: float, granule_hours: float) -> float:
    """A window of whole clock granules, at least one."""
    return max(granule_hours, -(-hours // granule_hours) * granule_hours)


def follow_ledger(params: DetectionParams, profile: LedgerProfile) -> DetectionParams:
    """The run's parameters for this ledger; with `thresholds="absolute"` only the profile is recorded.

    - a pass-through must move a large sum for this ledger, its `pass_through_amount_quantile`
      of all amounts, not a fixed number of yuan;
    - windows are whole granules of the ledger's clock, and on a day clock transfers of the same
      day may follow each other (`same_time_ties`): the bank did not say which came first;
    - a fan must outrun its centre's own pace over the ledger's span (`activity_span_hours`);
    - a pass-through (money out within `pass_through_hours`) is not looked for when the clock's
      granule is that long or longer (`disabled_detectors`).
    """
    derived: dict[str, Any] = {"profile": profile.as_record()}
    if params.thresholds == "absolute":
        return replace(params, derived=derived)
    granule = {"day": 24.0, "minute": 1 / 60, "second": 1 / 3600}[profile.granularity]
    changes: dict[str, Any] = {
        name: _whole(getattr(params, name), granule)
        for name in ("window_hours", "fan_window_hours", "gather_window_hours", "pass_through_hours")}
    large = profile.amount_quantiles.get(f"q{round(params.pass_through_amount_quantile * 100)}")
    # A handful of transfers says little about the ledger's scale: keep the given amount then.
    if large and profile.transfers >= params.profile_min_transfers:
        changes["pass_through_min_amount"] = large
    changes["same_time_ties"] = profile.granularity == "day"
    changes["activity_span_hours"] = profile.span_days * 24.0
    if params.pass_through_hours <= granule:
        # "Within a day" cannot be told from "the next day" on a clock of whole days.
        changes["disabled_detectors"] = tuple(sorted({*params.disabled_detectors, "pass_through"}))
    derived["changed"] = {name: value for name, value in changes.items() if getattr(params, name) != value}
    return replace(params, **changes, derived=derived)
