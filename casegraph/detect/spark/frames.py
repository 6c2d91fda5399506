"""Transfers as one Spark DataFrame, from ledger files or from a projection graph.

Ledger files are read by casegraph's own statement reader inside the Spark tasks, a few files per
task (CSV, TSV, XLSX: the same header detection, presets and `--columns` mapping as `--ledger`);
Parquet files by Spark's reader, their column names taken as the header. As in
`projection.from_ledgers`, a transfer seen in two statements is one transfer (`graph.transfer_identity`,
a credit booked days after its debit included), the first row seen wins (the debit, for a late credit)
and both rows are its sources; the
edge key is the transfer's rank among its pair's transfers in reading order, as networkx numbers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from casegraph.graph.ledgers import detect_layout, read_ledger_flows, rows_to_flows
from casegraph.graph.transfer_identity import BEIJING_OFFSET, pair_late_credits

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["FLOW_COLUMNS", "TRANSFER_COLUMNS", "flows_from_ledgers", "transfers_from_flows", "transfers_from_graph"]

# One statement row: reading order (file, row), where it came from, and the flow it records.
FLOW_COLUMNS = "file INT, line LONG, source STRING, src STRING, dst STRING, amount DOUBLE, at DOUBLE, " \
               "tx_id STRING, memo STRING, own STRING"
# One transfer: `order` is its first row's place in reading order, `key` its networkx edge key.
TRANSFER_COLUMNS = ("src", "dst", "key", "amount", "at", "tx_id", "memo", "sources", "order")


def _read_one(item: tuple[int, str], mapping: dict[str, str] | None) -> Iterator[tuple[Any, ...]]:
    number, path = item
    for source, (payer, payee, amount, at, tx_id, _name, memo, line, own) in read_ledger_flows([path], mapping):
        if payer and payee:  # cash in or out has no counter account: not a transfer
            yield number, line, f"{source}#row{line}", "acct:" + payer, "acct:" + payee, amount, at, tx_id, memo, own


def _parquet_flows(spark: SparkSession, number: int, path: str, mapping: dict[str, str] | None) -> DataFrame:
    frame = spark.read.parquet(path)
    header = list(frame.columns)
    layout = detect_layout([header], mapping, where=path)

    def convert(rows: Iterable[tuple[Any, int]]) -> Iterator[tuple[Any, ...]]:
        for row, position in rows:
            for payer, payee, amount, at, tx_id, _name, memo, _line, own in rows_to_flows(
                    [header, list(row)], layout, where=path):
                if payer and payee:
                    line = position + 2  # the header is row 1, as in a CSV
                    yield (number, line, f"{path}#row{line}", "acct:" + payer, "acct:" + payee, amount, at, tx_id, memo,
                           own)

    return spark.createDataFrame(frame.rdd.zipWithIndex().mapPartitions(convert), FLOW_COLUMNS)


def flows_from_ledgers(spark: SparkSession, paths: Sequence[str | Path],
                       mapping: dict[str, str] | None = None) -> DataFrame:
    """Every statement row of `paths` that moves money between two accounts."""
    numbered = [(number, str(path)) for number, path in enumerate(paths)]
    statements = [item for item in numbered if not item[1].lower().endswith(".parquet")]
    frames = [_parquet_flows(spark, n, p, mapping) for n, p in numbered if p.lower().endswith(".parquet")]
    if statements or not frames:
        # A few files per task: a task's fixed cost is more than a small statement's reading (a
        # corpus holds thousands), and a few tasks per core still even out the big ones.
        slices = min(len(statements), 4 * spark.sparkContext.defaultParallelism)
        rdd = spark.sparkContext.parallelize(statements, max(1, slices))
        frames.insert(0, spark.createDataFrame(rdd.flatMap(lambda item: _read_one(item, mapping)), FLOW_COLUMNS))
    flows = frames[0]
    for frame in frames[1:]:
        flows = flows.unionByName(frame)
    return flows


def transfers_from_flows(flows: DataFrame) -> DataFrame:
    """One row per transfer (duplicates across statements merged), with its networkx edge key."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # the identity of graph.transfer_identity: payer, payee, cents, Beijing day, k-th of its kind in its statement
    cents = F.round(F.col("amount") * 100).cast("long")
    day = F.floor((F.col("at") + BEIJING_OFFSET) / 86400).cast("long")
    nth = F.row_number().over(Window.partitionBy("file", "own", "src", "dst", "cents", "day").orderBy("line")) - 1
    dedupe = F.concat_ws("|", "src", "dst", F.col("cents").cast("string"), F.col("day").cast("string"),
                         nth.cast("string"))
    own = F.concat(F.lit("acct:"), F.col("own"))
    side = (F.when(own == F.col("src"), _PAYER_SIDE).when(own == F.col("dst"), _PAYEE_SIDE)
            .otherwise(_TABLE_SIDE))
    ordered = (flows.withColumn("cents", cents).withColumn("day", day).withColumn("dedupe", dedupe)
               .withColumn("order", F.struct("file", "line")).withColumn("side", side))
    first = Window.partitionBy("dedupe").orderBy("order")
    everything = first.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    merged = (ordered
              .withColumn("sources", F.collect_list("source").over(everything))
              .withColumn("sides", F.bit_or("side").over(everything))
              .withColumn("rank", F.row_number().over(first))
              .where(F.col("rank") == 1))
    merged = _fold_late_credits(merged.localCheckpoint())
    key = F.row_number().over(Window.partitionBy("src", "dst").orderBy("order")) - 1
    return merged.withColumn("key", key).select(*TRANSFER_COLUMNS)


_PAYER_SIDE, _PAYEE_SIDE, _TABLE_SIDE = 1, 2, 4


def _pairs_of_group(rows: list[Any]) -> list[tuple[str, str]]:
    """(kept, folded) dedupe keys of one payer, payee and amount's one-sided rows, as
    `projection._fold_late_credits` pairs them: the debit keeps the transfer."""
    debits = [r for r in rows if r["sides"] == _PAYER_SIDE]
    credits = [r for r in rows if r["sides"] == _PAYEE_SIDE]
    pairs = []
    for debit, credit in pair_late_credits([(r["day"], tuple(r["order"])) for r in debits],
                                           [(r["day"], tuple(r["order"])) for r in credits]):
        pairs.append((debits[debit]["dedupe"], credits[credit]["dedupe"]))
    return pairs


def _fold_late_credits(merged: DataFrame) -> DataFrame:
    """A credit booked days after its debit joins the debit's transfer (`transfer_identity.pair_late_credits`
    over each payer, payee and amount that has rows seen by one statement only on both sides)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    one_sided = merged.where(F.col("sides").isin(_PAYER_SIDE, _PAYEE_SIDE))
    both = (one_sided.groupBy("src", "dst", "cents").agg(F.countDistinct("sides").alias("n"))
            .where(F.col("n") == 2).drop("n"))
    pair_type = T.ArrayType(T.StructType([T.StructField("kept", T.StringType()),
                                          T.StructField("folded", T.StringType())]))
    pairs = (one_sided.join(both, ["src", "dst", "cents"])
             .groupBy("src", "dst", "cents")
             .agg(F.collect_list(F.struct("dedupe", "day", "order", "sides")).alias("rows"))
             .select(F.explode(F.udf(_pairs_of_group, pair_type, useArrow=False)("rows")).alias("pair"))
             .select("pair.kept", "pair.folded"))
    kept_sources = (merged.join(pairs.withColumnRenamed("folded", "dedupe"), "dedupe")
                    .select(F.col("kept").alias("dedupe"), F.col("sources").alias("more")))
    return (merged.join(pairs.select(F.col("folded").alias("dedupe")), "dedupe", "left_anti")
            .join(kept_sources, "dedupe", "left")
            .withColumn("sources", F.when(F.col("more").isNull(), F.col("sources"))
                        .otherwise(F.concat("sources", "more"))))


def transfers_from_graph(spark: SparkSession, graph: nx.MultiDiGraph) -> DataFrame:
    """The TRANSFERRED edges of a projection graph (read from Neo4j) as a transfers DataFrame."""
    rows = [(src, dst, key, float(d["amount"]), float(d["at"]), d.get("tx_id"), d.get("memo"),
             list(d.get("sources", ())), (0, position))
            for position, (src, dst, key, d) in enumerate(graph.edges(keys=True, data=True))
            if d.get("type") == "TRANSFERRED"]
    schema = ("src STRING, dst STRING, key LONG, amount DOUBLE, at DOUBLE, tx_id STRING, memo STRING, "
              "sources ARRAY<STRING>, order STRUCT<file: INT, line: LONG>")
    return spark.createDataFrame(rows, schema)
