"""The whole-ledger work of detection as DataFrame operations.

What `TransferIndex` and `profile_ledger` do over Python lists, here over a DataFrame of any size:
payroll memos and recurring pairs (distinct Beijing months) set aside, hubs (too many
counterparties) dropped, the pair counts, the ledger's totals and its profile (exact percentiles).
`typology_frames` then reads `kept` and `pair_counts` for the accounts that can hold a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casegraph.detect.params import DetectionParams
from casegraph.detect.profile import QUANTILES, LedgerProfile
from casegraph.detect.transfers import LedgerTotals

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["LedgerFrames", "ledger_frames"]

_DAY = 86400.0
_BEIJING = 8 * 3600.0
@dataclass
class LedgerFrames:
    usable: DataFrame  # transfers the money-flow detectors may read (TransferIndex.with_recurring)
    kept: DataFrame  # those of them the detectors search: no recurring pair (TransferIndex.transfers)
    pair_counts: DataFrame  # (src, dst, count) over `usable` (TransferIndex.pair_counts)
    hubs: DataFrame  # (account) with too many counterparties (TransferIndex.hubs)
    totals: LedgerTotals
    profile: LedgerProfile


def _accounts(frame: DataFrame) -> DataFrame:
    return frame.select(frame.src.alias("account")).union(frame.select(frame.dst.alias("account")))


def ledger_frames(transfers: DataFrame, params: DetectionParams) -> LedgerFrames:
    from pyspark.sql import functions as F

    base = transfers.where(F.col("src") != F.col("dst"))
    if params.payroll_words:
        payroll = F.col("memo").isNotNull() & F.col("memo").rlike("|".join(map(re.escape, params.payroll_words)))
        payroll_count = base.where(payroll).count()
        base = base.where(~payroll | F.col("memo").isNull())
    else:
        payroll_count = 0
    # Checkpointed, not cached: every later plan starts from these rows, not from their whole
    # lineage (Spark describes each query's plan, and a long lineage makes that cost more than the work).
    base = base.localCheckpoint()
    kept = base
    if params.regular_min_months > 0:
        month = F.date_format(F.timestamp_seconds(F.col("at") + _BEIJING), "yyyy-MM")
        recurring = (base.groupBy("src", "dst").agg(F.countDistinct(month).alias("months"))
                     .where(F.col("months") >= params.regular_min_months).select("src", "dst"))
        kept = base.join(recurring, ["src", "dst"], "left_anti")
    pairs_kept = kept.select("src", "dst").distinct()
    neighbours = (pairs_kept.select(F.col("src").alias("account"), F.col("dst").alias("other"))
                  .union(pairs_kept.select(F.col("dst").alias("account"), F.col("src").alias("other"))).distinct())
    hubs = (neighbours.groupBy("account").count().where(F.col("count") > params.flow_hub_counterparties)
            .select("account"))
    hubs = F.broadcast(hubs.localCheckpoint())

    def without_hubs(frame: DataFrame) -> DataFrame:
        return (frame.join(hubs.withColumnRenamed("account", "src"), "src", "left_anti")
                .join(hubs.withColumnRenamed("account", "dst"), "dst", "left_anti"))

    regular = payroll_count + base.count() - kept.count()
    usable = without_hubs(base).localCheckpoint()
    kept = without_hubs(kept).localCheckpoint()
    pair_counts = usable.groupBy("src", "dst").count().localCheckpoint()
    totals = _totals(usable, kept, pair_counts, regular)
    return LedgerFrames(usable, kept, pair_counts, hubs, totals, _profile(usable, totals))


def _totals(usable: DataFrame, kept: DataFrame, pair_counts: DataFrame, dropped_regular: int) -> LedgerTotals:
    from pyspark.sql import functions as F

    span = usable.agg(F.min("at").alias("first"), F.max("at").alias("last")).first()
    kept_sides = kept.agg(F.count(F.lit(1)).alias("used"), F.countDistinct("src").alias("payers"),
                          F.countDistinct("dst").alias("payees")).first()
    pair_sides = pair_counts.agg(F.count(F.lit(1)).alias("pairs"),
                                 F.sum((F.col("count") == 1).cast("long")).alias("one_off"),
                                 F.countDistinct("src").alias("srcs"), F.countDistinct("dst").alias("dsts")).first()
    one_off = kept.join(pair_counts.where(F.col("count") == 1).select("src", "dst"), ["src", "dst"])
    one_off_accounts = _accounts(one_off).distinct().count()
    assert span is not None and kept_sides is not None and pair_sides is not None
    return LedgerTotals(
        first_at=span["first"] if span["first"] is not None else 0.0,
        last_at=span["last"] if span["last"] is not None else 0.0,
        used=kept_sides["used"], regular=dropped_regular, payers=kept_sides["payers"],
        payees=kept_sides["payees"], pairs=pair_sides["pairs"], one_off_pairs=pair_sides["one_off"] or 0,
        partner_sides=pair_sides["srcs"] + pair_sides["dsts"], one_off_transfers=one_off.count(),
        one_off_accounts=one_off_accounts)


def _percentiles(column: Column) -> Column:
    from pyspark.sql import functions as F

    return F.percentile(column, F.array(*[F.lit(q) for q in QUANTILES]))


def _quantile_record(values: list[float] | None, count: int, single: float | None) -> dict[str, float]:
    # statistics.quantiles' "inclusive" cut k of 100 sits at k/100*(n-1): Spark's exact percentile.
    if count == 0:
        return {}
    if count == 1:
        return {f"q{round(q * 100)}": round(float(single or 0.0), 2) for q in QUANTILES}
    return {f"q{round(q * 100)}": round(float(v), 2) for q, v in zip(QUANTILES, values or [], strict=True)}


def _profile(usable: DataFrame, totals: LedgerTotals) -> LedgerProfile:
    """`profile.profile_ledger` over the DataFrame (same figures; percentiles exact)."""
    from pyspark.sql import functions as F

    off_day = ((F.col("at") + _BEIJING) % _DAY) != 0
    off_minute = (F.col("at") % 60) != 0
    row = usable.agg(F.count(F.lit(1)).alias("n"), F.sum(off_day.cast("long")).alias("off_day"),
                     F.sum(off_minute.cast("long")).alias("off_minute"), _percentiles(F.col("amount")).alias("q"),
                     F.first("amount").alias("one")).first()
    sides = (usable.select(F.col("src").alias("account"), "amount")
             .union(usable.select(F.col("dst").alias("account"), "amount")))
    per_account = sides.groupBy("account").agg(F.percentile("amount", 0.5).alias("median"),
                                                F.count(F.lit(1)).alias("n"))
    accounts = per_account.agg(F.count(F.lit(1)).alias("accounts"), _percentiles(F.col("median")).alias("q"),
                               F.percentile("n", 0.5).alias("median_n"), F.first("median").alias("one")).first()
    assert row is not None and accounts is not None
    n = row["n"]
    tolerated = n // 100
    if not n:
        granularity = "second"
    elif (row["off_day"] or 0) <= tolerated:
        granularity = "day"
    else:
        granularity = "minute" if (row["off_minute"] or 0) <= tolerated else "second"
    median_n: Any = accounts["median_n"] or 0.0
    return LedgerProfile(
        transfers=n, accounts=accounts["accounts"], granularity=granularity,
        span_days=(totals.last_at - totals.first_at) / _DAY if n else 0.0,
        amount_quantiles=_quantile_record(row["q"], n, row["one"]),
        account_median_amount_quantiles=_quantile_record(accounts["q"], accounts["accounts"], accounts["one"]),
        median_transfers_per_account=int(median_n) if float(median_n).is_integer() else median_n,
        one_off_share=totals.one_off_pairs / totals.pairs if totals.pairs else 0.0)
