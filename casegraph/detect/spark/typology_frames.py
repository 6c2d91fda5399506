"""Which accounts can take part in a money-flow pattern, as DataFrame work over the whole ledger.

Each typology's necessary condition, read from the same `DetectionParams` (after `follow_ledger`:
the ledger's windows, clock ties and pass-through amount) as the networkx detectors:
- fans: windowed counts of distinct counterparties per account (window functions);
- gather-scatter: a collection burst (the same windows) on an account that also pays out;
- pass-through and scatter-gather: joins of transfers into and out of one account, time-ordered;
- cycles: iterated joins on time-ordered, amount-conserving transfers, at most `cycle_max_length`
  hops, closing where they started;
- one-off fans: sides with at least `one_off_fan_min` one-off transfers.
Every condition is looser than its detector (no habitual-pair or pace test, no first-match rule),
so the accounts found hold every pattern the detectors would find. The driver then gets every
transfer of those accounts (whole pairs, whole time lines) and runs the detectors themselves,
which keeps one detection, one scoring and one explanation for both engines.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from casegraph.detect.params import DetectionParams

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["active_accounts", "one_off_accounts"]

# Time buckets a little wider than the window: two transfers within one window always fall in the
# same or adjacent buckets, whatever the rounding of at / width.
_BUCKET_SLACK = 1.000001


def _single(frame: DataFrame, column: str) -> DataFrame:
    return frame.select(frame[column].alias("account"))


def _bursts(kept: DataFrame, centre: str, other: str, window_s: float, least: int) -> DataFrame:
    """Accounts with some window [t - window, t] holding `least` distinct counterparties."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    frame = Window.partitionBy(centre).orderBy("at").rangeBetween(-math.ceil(window_s), 0)
    seen = F.size(F.collect_set(other).over(frame))
    return _single(kept.select(centre, seen.alias("seen")).where(F.col("seen") >= least), centre)


def _followed(kept: DataFrame, window_s: float, ties: bool) -> DataFrame:
    """Every pair (in, out) of transfers through one account, `out` at most `window_s` after `in`
    (strictly after unless `ties`): joined on the account and its time bucket, not on the account
    alone, so a busy account costs its bursts, not its whole history squared."""
    from pyspark.sql import functions as F

    width = max(window_s, 1.0) * _BUCKET_SLACK
    into = kept.select(F.col("src").alias("payer"), F.col("dst").alias("mid"), F.col("at").alias("in_at"),
                       F.col("amount").alias("in_amount"), F.floor(F.col("at") / width).alias("bucket"))
    out = kept.select(F.col("src").alias("mid"), F.col("dst").alias("payee"), F.col("at").alias("out_at"),
                      F.col("amount").alias("out_amount"),
                      F.explode(F.array(F.floor(F.col("at") / width), F.floor(F.col("at") / width) - 1))
                      .alias("bucket"))
    after = F.col("out_at") >= F.col("in_at") if ties else F.col("out_at") > F.col("in_at")
    return into.join(out, ["mid", "bucket"]).where(after & (F.col("out_at") <= F.col("in_at") + window_s))


def _conserved(params: DetectionParams, tolerance: float, before: str, after: str) -> Column:
    from pyspark.sql import functions as F

    return ((F.col(after) >= (1.0 - tolerance) * F.col(before))
            & (F.col(after) <= (1.0 + params.hop_gain) * F.col(before)))


def _pass_through_middles(kept: DataFrame, params: DetectionParams) -> DataFrame:
    from pyspark.sql import functions as F

    # out_between(account, in.at, in.at + delay) includes a forward stamped with the inflow's time
    hops = _followed(kept, params.pass_through_hours * 3600.0, ties=True) \
        .where((F.col("in_amount") >= params.pass_through_min_amount) & (F.col("payee") != F.col("payer")))
    return hops.where(_conserved(params, params.hop_tolerance, "in_amount", "out_amount")).select(
        F.col("mid").alias("account"))


def _scatter_accounts(kept: DataFrame, params: DetectionParams) -> DataFrame:
    from pyspark.sql import functions as F

    legs = _followed(kept, params.window_hours * 3600.0, params.same_time_ties) \
        .where((F.col("payee") != F.col("payer")) & _conserved(params, params.hop_tolerance, "in_amount",
                                                                 "out_amount"))
    sinks = (legs.groupBy("payer", "payee").agg(F.collect_set("mid").alias("mids"))
             .where(F.size("mids") >= params.scatter_min_paths))
    return _single(sinks, "payer").union(sinks.select(F.explode("mids").alias("account")))


def _cycle_accounts(kept: DataFrame, params: DetectionParams) -> DataFrame:
    """Accounts on a time-ordered, amount-conserving cycle of `cycle_min_length`..`cycle_max_length`
    hops within `window_hours` of its first transfer: `find_cycles`' search as one join per hop."""
    from pyspark.sql import functions as F

    window = params.window_hours * 3600.0
    keep, gain = 1.0 - params.hop_tolerance, 1.0 + params.hop_gain
    width = window * _BUCKET_SLACK
    hops = kept.select(F.col("src").alias("last"), F.col("dst").alias("next"), F.col("at").alias("next_at"),
                       F.col("amount").alias("next_amount"),
                       F.explode(F.array(F.floor(F.col("at") / width), F.floor(F.col("at") / width) - 1))
                       .alias("bucket")).cache()
    paths = kept.select(F.col("src").alias("start"), F.col("at").alias("start_at"),
                        F.col("amount").alias("start_amount"), F.col("dst").alias("last"),
                        F.col("at").alias("last_at"), F.col("amount").alias("last_amount"),
                        F.array("src", "dst").alias("visited"))
    found = []
    for length in range(2, params.cycle_max_length + 1):
        after = F.col("next_at") >= F.col("last_at") if params.same_time_ties else F.col("next_at") > F.col("last_at")
        steps = (paths.withColumn("bucket", F.floor(F.col("start_at") / width)).join(hops, ["last", "bucket"])
                 .where(after & (F.col("next_at") <= F.col("start_at") + window)
                        & (F.col("next_amount") >= keep * F.col("last_amount"))
                        & (F.col("next_amount") <= gain * F.col("last_amount"))
                        & (F.col("next_amount") >= keep * F.col("start_amount"))))
        # Lazily checkpointed: the next hop and this hop's closed cycles read these rows, not a
        # plan that grows by a join per hop, and no job runs for it until the candidates' collect.
        steps = steps.localCheckpoint(eager=False)
        if length >= params.cycle_min_length:
            found.append(steps.where(F.col("next") == F.col("start")).select(F.explode("visited").alias("account")))
        if length == params.cycle_max_length:
            break
        paths = (steps.where(~F.array_contains("visited", F.col("next")))
                 .select("start", "start_at", "start_amount", F.col("next").alias("last"),
                         F.col("next_at").alias("last_at"), F.col("next_amount").alias("last_amount"),
                         F.concat("visited", F.array("next")).alias("visited")))
    if not found:
        return kept.sparkSession.createDataFrame([], "account STRING")
    every = found[0]
    for more in found[1:]:
        every = every.union(more)
    return every


def _one_off(kept: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    return kept.where(F.col("count") == 1)  # each transfer carries its pair's count (ledger_frames)


def _one_off_fan_sides(kept: DataFrame, params: DetectionParams) -> DataFrame:
    from pyspark.sql import functions as F

    one_off = _one_off(kept)
    payers = one_off.groupBy("src").count().where(F.col("count") >= params.one_off_fan_min)
    payees = one_off.groupBy("dst").count().where(F.col("count") >= params.one_off_fan_min)
    return _single(payers, "src").union(_single(payees, "dst"))


def active_accounts(kept: DataFrame, params: DetectionParams) -> DataFrame:
    """Every account that can be a fan, collection or pass-through centre, a scatter source or
    intermediary, on a cycle, or a side with enough one-off counterparties to be tested.

    `kept`: the transfers the detectors search (no recurring pair, payroll or hub), each with its
    pair's `count` over every transfer but payroll and hubs'; `params` as `follow_ledger` left them.
    """
    from pyspark.sql import functions as F

    skip = set(params.disabled_detectors)
    kept = kept.select("src", "dst", "at", "amount", "count").cache()
    parts = [_one_off_fan_sides(kept, params)]
    fan_s = params.fan_window_hours * 3600.0
    if "fan_out" not in skip:
        parts.append(_bursts(kept, "src", "dst", fan_s, params.fan_min_counterparties))
    if "fan_in" not in skip:
        parts.append(_bursts(kept, "dst", "src", fan_s, params.fan_min_counterparties))
    if "gather_scatter" not in skip:
        collectors = _bursts(kept, "dst", "src", params.gather_window_hours * 3600.0, params.gather_min_in)
        parts.append(collectors.join(_single(kept, "src").distinct(), "account", "left_semi"))
    if "scatter_gather" not in skip:
        parts.append(_scatter_accounts(kept, params))
    if "pass_through" not in skip:
        parts.append(_pass_through_middles(kept, params))
    if "cycle" not in skip:
        parts.append(_cycle_accounts(kept, params))
    every = parts[0]
    for part in parts[1:]:
        every = every.union(part)
    return every.where(F.col("account").isNotNull()).distinct()


def one_off_accounts(kept: DataFrame) -> DataFrame:
    """Every account with a one-off transfer: what `find_one_off_cycles` searches, when it runs."""
    one_off = _one_off(kept)
    return _single(one_off, "src").union(_single(one_off, "dst")).distinct()
