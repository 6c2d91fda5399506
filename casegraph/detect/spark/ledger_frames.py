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
    no_hub: Column  # neither end is an account with too many counterparties (TransferIndex.hubs)
    totals: LedgerTotals
    profile: LedgerProfile


def ledger_frames(transfers: DataFrame, params: DetectionParams) -> LedgerFrames:
    """The ledger's frames, totals and profile in four Spark jobs whatever the ledger's size: one
    table per payer-payee pair, the hubs (collected: a handful of accounts), the usable transfers
    with their pair's count, and one row of every whole-ledger figure (`_totals_and_profile`)."""
    from pyspark.sql import functions as F

    payroll = F.lit(False)
    if params.payroll_words:
        words = "|".join(map(re.escape, params.payroll_words))
        payroll = F.col("memo").isNotNull() & F.col("memo").rlike(words)
    base = transfers.where((F.col("src") != F.col("dst")) & ~payroll)
    month = F.date_format(F.timestamp_seconds(F.col("at") + _BEIJING), "yyyy-MM")
    # One row per pair: its transfers and whether it recurs (TransferIndex's pair_counts before the
    # hubs go, and _drop_recurring's months). Checkpointed, not cached: every later plan starts from
    # these rows, not from their whole lineage (Spark describes each query's plan, and a long lineage
    # makes that cost more than the work).
    recurs = (F.countDistinct(month) >= params.regular_min_months) if params.regular_min_months > 0 else F.lit(False)
    pairs = base.groupBy("src", "dst").agg(F.count(F.lit(1)).alias("count"), recurs.alias("recurs")).localCheckpoint()
    fresh = pairs.where(~F.col("recurs"))
    neighbours = (fresh.select(F.col("src").alias("account"), F.col("dst").alias("other"))
                  .union(fresh.select(F.col("dst").alias("account"), F.col("src").alias("other"))).distinct())
    hub_list = [row["account"] for row in neighbours.groupBy("account").count()
                .where(F.col("count") > params.flow_hub_counterparties).select("account").collect()]
    no_hub = ~F.col("src").isin(hub_list) & ~F.col("dst").isin(hub_list) if hub_list else F.lit(True)
    pair_counts = pairs.where(no_hub)
    # Every usable transfer carries its pair's count and whether the pair recurs: `kept` is a filter of it.
    usable = base.where(no_hub).join(pair_counts, ["src", "dst"]).localCheckpoint()
    kept = usable.where(~F.col("recurs"))
    totals, profile = _totals_and_profile(transfers, usable, pairs, no_hub, payroll)
    return LedgerFrames(usable, kept, pair_counts.select("src", "dst", "count"), no_hub, totals, profile)


def _totals_and_profile(transfers: DataFrame, usable: DataFrame, pairs: DataFrame, no_hub: Column,
                        payroll: Column) -> tuple[LedgerTotals, LedgerProfile]:
    """`TransferIndex`'s totals and `profile.profile_ledger`'s figures (percentiles exact) as one
    row, one Spark action: four one-row aggregates (read, per pair, per transfer, per account),
    cross-joined. Every distinct count is a sum over the per-account table, so no aggregate needs
    Spark's distinct rewrite (each extra shuffle is a stage of fixed cost)."""
    from pyspark.sql import functions as F

    kept = ~F.col("recurs")
    one_off = kept & (F.col("count") == 1)
    read = transfers.agg(F.count(F.lit(1)).alias("read"),
                         F.sum((payroll & (F.col("src") != F.col("dst"))).cast("long")).alias("payroll"))
    per_pair = pairs.agg(F.sum(F.when(F.col("recurs"), F.col("count")).otherwise(0)).alias("recurring"),
                         F.sum(no_hub.cast("long")).alias("pairs"),
                         F.sum((no_hub & (F.col("count") == 1)).cast("long")).alias("one_off_pairs"))
    whole = usable.agg(
        F.min("at").alias("first"), F.max("at").alias("last"), F.count(F.lit(1)).alias("n"),
        F.sum((((F.col("at") + _BEIJING) % _DAY) != 0).cast("long")).alias("off_day"),
        F.sum(((F.col("at") % 60) != 0).cast("long")).alias("off_minute"),
        _percentiles(F.col("amount")).alias("q"), F.first("amount").alias("one"),
        F.sum(kept.cast("long")).alias("used"), F.sum(one_off.cast("long")).alias("one_off_transfers"))
    side = F.explode(F.array(F.struct(F.col("src").alias("account"), F.lit(True).alias("out")),
                             F.struct(F.col("dst").alias("account"), F.lit(False).alias("out"))))
    sides = usable.select(side.alias("side"), "amount", kept.alias("kept"), one_off.alias("one_off"))
    out, kept_side = F.col("side.out"), F.col("kept")

    def anywhere(flag: Column) -> Column:
        return F.max(flag.cast("int"))

    per_account = sides.groupBy(F.col("side.account").alias("account")).agg(
        F.percentile("amount", 0.5).alias("median"), F.count(F.lit(1)).alias("sides"),
        anywhere(out).alias("has_out"), anywhere(~out).alias("has_in"),
        anywhere(kept_side & out).alias("payer"), anywhere(kept_side & ~out).alias("payee"),
        anywhere(F.col("one_off")).alias("one_off_account"))
    accounts = per_account.agg(
        F.count(F.lit(1)).alias("accounts"), _percentiles(F.col("median")).alias("mq"),
        F.percentile("sides", 0.5).alias("median_n"), F.first("median").alias("mone"),
        F.sum("has_out").alias("srcs"), F.sum("has_in").alias("dsts"), F.sum("payer").alias("payers"),
        F.sum("payee").alias("payees"), F.sum("one_off_account").alias("one_off_accounts"))
    row = read.crossJoin(per_pair).crossJoin(whole).crossJoin(accounts).first()
    assert row is not None
    n = row["n"]
    totals = LedgerTotals(
        first_at=row["first"] if row["first"] is not None else 0.0,
        last_at=row["last"] if row["last"] is not None else 0.0,
        used=row["used"] or 0, regular=(row["payroll"] or 0) + (row["recurring"] or 0), payers=row["payers"] or 0,
        payees=row["payees"] or 0, pairs=row["pairs"] or 0, one_off_pairs=row["one_off_pairs"] or 0,
        partner_sides=(row["srcs"] or 0) + (row["dsts"] or 0), one_off_transfers=row["one_off_transfers"] or 0,
        one_off_accounts=row["one_off_accounts"] or 0)
    tolerated = n // 100
    if not n:
        granularity = "second"
    elif (row["off_day"] or 0) <= tolerated:
        granularity = "day"
    else:
        granularity = "minute" if (row["off_minute"] or 0) <= tolerated else "second"
    median_n: Any = row["median_n"] or 0.0
    profile = LedgerProfile(
        transfers=n, accounts=row["accounts"], granularity=granularity,
        span_days=(totals.last_at - totals.first_at) / _DAY if n else 0.0,
        amount_quantiles=_quantile_record(row["q"], n, row["one"]),
        account_median_amount_quantiles=_quantile_record(row["mq"], row["accounts"], row["mone"]),
        median_transfers_per_account=int(median_n) if float(median_n).is_integer() else median_n,
        one_off_share=totals.one_off_pairs / totals.pairs if totals.pairs else 0.0)
    return totals, profile


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
