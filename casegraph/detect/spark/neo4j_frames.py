"""The graph's transfers read from Neo4j by the Spark tasks themselves, one range of ids each.

No Neo4j Connector for Apache Spark is served by the registries this project installs from, so
each task opens the official Python driver and reads its own range of TRANSFERRED ids
(`projection_transfers_range.cypher`: the same visibility as the one-process read). The driver
process reads only the entities and the other facts (`from_neo4j(..., transfers=False)`), and the
transfers never pass through it. A transfer whose endpoint is no visible entity is dropped, as
`from_neo4j` drops it; so is one without an amount or a readable time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casegraph.graph.queries import cypher

if TYPE_CHECKING:
    from neo4j import Driver
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["Neo4jSource", "TransferSpan", "id_ranges", "transfer_span", "transfers_from_neo4j"]

# About this many transfer ids per task: a task's read is a few seconds, and there are enough tasks
# to keep every executor busy.
IDS_PER_TASK = 250_000
_ROW = "id LONG, src STRING, dst STRING, amount DOUBLE, at DOUBLE, tx_id STRING, memo STRING, sources ARRAY<STRING>"


@dataclass(frozen=True, slots=True)
class Neo4jSource:
    """Where the tasks connect: what `graph.connection` uses in the driver process."""

    uri: str
    user: str
    password: str
    database: str
    agency: str | None


@dataclass(frozen=True, slots=True)
class TransferSpan:
    low: int
    high: int  # inclusive
    transfers: int


def transfer_span(driver: Driver, database: str) -> TransferSpan:
    records, _, _ = driver.execute_query(cypher("transfer_id_span"), database_=database, routing_="r")
    row = records[0]
    if not row["n"]:
        return TransferSpan(0, -1, 0)
    return TransferSpan(int(row["low"]), int(row["high"]), int(row["n"]))


def id_ranges(span: TransferSpan, per_task: int = IDS_PER_TASK) -> list[tuple[int, int]]:
    """[low, high) ranges that cover the span's ids exactly once, at most `per_task` ids each."""
    if span.high < span.low:
        return []
    step = max(1, per_task)
    return [(low, min(low + step, span.high + 1)) for low in range(span.low, span.high + 1, step)]


def _read_range(source: Neo4jSource, ranges: Iterable[tuple[int, int]]) -> Iterator[tuple[Any, ...]]:
    from neo4j import GraphDatabase

    from casegraph.graph.projection import epoch_or_none

    with GraphDatabase.driver(source.uri, auth=(source.user, source.password)) as driver, \
            driver.session(database=source.database, default_access_mode="READ") as session:
        for low, high in ranges:
            for record in session.run(cypher("projection_transfers_range"), agency=source.agency, low=low,
                                      high=high):
                at = epoch_or_none(record["at"])
                amount = record["amount"]
                if at is None or amount is None or amount != amount:
                    continue  # an incomplete transfer read from prose: from_neo4j leaves it out too
                yield (record["id"], record["from"], record["to"], float(amount), at, record["tx_id"] or None,
                       record["memo"] or None, list(record["sources"]))


def transfers_from_neo4j(spark: SparkSession, source: Neo4jSource, span: TransferSpan,
                         entities: list[str], per_task: int = IDS_PER_TASK) -> DataFrame:
    """The visible transfers between visible `entities`, as a transfers DataFrame
    (`frames.TRANSFER_COLUMNS`), ordered and keyed by id as one read orders them."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ranges = id_ranges(span, per_task)
    rdd = spark.sparkContext.parallelize(ranges, max(1, len(ranges))).mapPartitions(
        lambda part: _read_range(source, part))
    rows = spark.createDataFrame(rdd, _ROW)
    known = spark.createDataFrame([(key,) for key in entities], "key STRING")
    rows = (rows.join(known.withColumnRenamed("key", "src"), "src", "left_semi")
            .join(known.withColumnRenamed("key", "dst"), "dst", "left_semi"))
    order = F.struct(F.lit(0).alias("file"), F.col("id").alias("line"))
    key = F.row_number().over(Window.partitionBy("src", "dst").orderBy("id")) - 1
    return rows.select("src", "dst", key.alias("key"), "amount", "at", "tx_id", "memo", "sources",
                       order.alias("order"))
