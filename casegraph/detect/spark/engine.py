"""Ring detection with Spark finding who can be in a pattern and networkx detecting on just them.

1. The transfers become one DataFrame (`frames`: ledger files read in Spark tasks, or the graph
   read from Neo4j).
2. DataFrame work (`ledger_frames`): ordinary transfers set aside, hubs dropped, the ledger's totals
   and profile; the run's thresholds follow from the profile (`follow_ledger`), as on networkx.
3. DataFrame work (`typology_frames`): the accounts that can take part in each typology (windowed
   fans, pass-through and scatter-gather joins, cycles by iterated joins, one-off sides).
4. Every transfer of those accounts is collected into a projection graph, and the one `find_rings`
   of the networkx engine detects, groups, scores and explains on it, with the whole ledger's
   totals, profile and per-side counterparties: the same rings as networkx on the whole ledger
   (each condition of step 3 is looser than its detector, and an account's pairs and time line
   reach the driver whole). One detector reads the ledger more widely: one-off cycles, searched
   only where one-off relationships are the exception; when the collected part says they will
   be searched, every account with a one-off transfer is collected as well.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from casegraph.detect.one_off import searches_one_off_cycles
from casegraph.detect.params import DetectionParams
from casegraph.detect.profile import follow_ledger
from casegraph.detect.rings import DetectionResult, find_rings
from casegraph.detect.spark.job_count import counted_jobs
from casegraph.detect.spark.session import DEFAULT_MASTER, spark_session
from casegraph.detect.transfers import LedgerTotals, TransferIndex
from casegraph.graph.ledgers import LedgerError
from casegraph.graph.projection import fill_missing_node_attrs

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from casegraph.detect.spark.ledger_frames import LedgerFrames
    from casegraph.detect.spark.neo4j_frames import Neo4jSource

_LEDGER_ERROR = re.compile(r"LedgerError: (.+)")

__all__ = ["detect_graph_with_spark", "detect_ledgers_with_spark", "detect_neo4j_with_spark", "graph_rings",
           "ledger_rings", "neo4j_rings"]


def detect_ledgers_with_spark(paths: Sequence[str | Path], columns: dict[str, str] | None,
                              params: DetectionParams, master: str = DEFAULT_MASTER) -> DetectionResult:
    """Rings of ledger files (CSV/TSV/XLSX/Parquet), as `find_rings(from_ledgers(paths, columns))`."""
    with spark_session(master) as spark:
        return ledger_rings(spark, paths, columns, params)


def ledger_rings(spark: SparkSession, paths: Sequence[str | Path], columns: dict[str, str] | None,
                 params: DetectionParams) -> DetectionResult:
    """`detect_ledgers_with_spark` in a session the caller holds (tests, benchmarks: one session for many runs)."""
    from pyspark.errors import PythonException

    from casegraph.detect.spark.frames import flows_from_ledgers, transfers_from_flows

    started = time.perf_counter()
    try:
        # reading the transfers runs Spark jobs of its own (a late credit's pairing collects)
        transfers = transfers_from_flows(flows_from_ledgers(spark, paths, columns))
        return _detect(transfers, nx.MultiDiGraph(), params, started)
    except PythonException as exc:  # a task's error comes back as the worker's whole traceback
        said = _LEDGER_ERROR.findall(str(exc))
        if said:
            raise LedgerError(said[-1].strip()) from None
        raise


def detect_graph_with_spark(graph: nx.MultiDiGraph, params: DetectionParams, master: str = DEFAULT_MASTER,
                            on_stage: Callable[[str], None] | None = None) -> DetectionResult:
    """Rings of a projection graph: its transfers go through Spark, its other facts stay as they are.

    `graph` loses the transfers no pattern can hold (the caller's graph is changed).
    """
    with spark_session(master) as spark:
        return graph_rings(spark, graph, params, on_stage)


def graph_rings(spark: SparkSession, graph: nx.MultiDiGraph, params: DetectionParams,
                on_stage: Callable[[str], None] | None = None) -> DetectionResult:
    """`detect_graph_with_spark` in a session the caller holds."""
    from casegraph.detect.spark.frames import transfers_from_graph

    started = time.perf_counter()
    transfers = transfers_from_graph(spark, graph)
    graph.remove_edges_from([(s, d, k) for s, d, k, t in graph.edges(keys=True, data="type")
                             if t == "TRANSFERRED"])
    return _detect(transfers, graph, params, started, on_stage)


def detect_neo4j_with_spark(graph: nx.MultiDiGraph, source: Neo4jSource, params: DetectionParams,
                           master: str | None = None, on_stage: Callable[[str], None] | None = None,
                           per_task: int | None = None) -> DetectionResult:
    """Rings of the graph in Neo4j: `graph` holds its entities and other facts (read without the
    transfers); the Spark tasks read the transfers, one range of ids each (`neo4j_frames`)."""
    with spark_session(master or DEFAULT_MASTER) as spark:
        return neo4j_rings(spark, graph, source, params, on_stage, per_task)


def neo4j_rings(spark: SparkSession, graph: nx.MultiDiGraph, source: Neo4jSource, params: DetectionParams,
                on_stage: Callable[[str], None] | None = None, per_task: int | None = None) -> DetectionResult:
    """`detect_neo4j_with_spark` in a session the caller holds."""
    from neo4j import GraphDatabase

    from casegraph.detect.spark.neo4j_frames import IDS_PER_TASK, transfer_span, transfers_from_neo4j

    started = time.perf_counter()
    with GraphDatabase.driver(source.uri, auth=(source.user, source.password)) as driver:
        span = transfer_span(driver, source.database)
    transfers = transfers_from_neo4j(spark, source, span, list(graph.nodes), per_task or IDS_PER_TASK)
    return _detect(transfers, graph, params, started, on_stage)


def _detect(transfers: Any, graph: nx.MultiDiGraph, params: DetectionParams, started: float,
            on_stage: Callable[[str], None] | None = None) -> DetectionResult:
    from casegraph.detect.spark.ledger_frames import ledger_frames
    from casegraph.detect.spark.typology_frames import active_accounts, one_off_accounts

    with counted_jobs(transfers.sparkSession) as spark_work:
        transfers = transfers.localCheckpoint()
        read = transfers.count()
        _size_shuffles(transfers.sparkSession, read)
        frames = ledger_frames(transfers, params)
        followed = follow_ledger(params, frames.profile)
        active = active_accounts(frames.kept, followed)
        rows, totals = _collect(transfers, frames, active)
        if searches_one_off_cycles(TransferIndex(_transfer_graph(rows), followed, totals), followed):
            rows, totals = _collect(transfers, frames,
                                    active.union(one_off_accounts(frames.kept)))
    spark_seconds = time.perf_counter() - started
    _add_transfers(graph, rows)
    fill_missing_node_attrs(graph)
    result = find_rings(graph, params, on_stage, totals=totals, profile=frames.profile)
    result.timings = {"spark": spark_seconds, **result.timings}
    result.counts["transfers_read"] = read
    result.counts["transfers_to_driver"] = len(rows)
    result.counts |= {"spark_jobs": spark_work.jobs, "spark_stages": spark_work.stages,
                      "spark_tasks": spark_work.tasks}
    return result


# Rows per shuffle partition once a ledger is past what the cores' own partitions hold well: few
# enough partitions that a small ledger's stages stay a handful of tasks, enough that a big one's
# spill stays small. Adaptive execution merges the ones a filter left nearly empty.
ROWS_PER_PARTITION = 250_000


def _size_shuffles(spark: SparkSession, transfers: int) -> None:
    if os.environ.get("CASEGRAPH_SPARK_PARTITIONS"):
        return  # the operator's figure (session.py) stands
    cores = spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.shuffle.partitions", str(max(cores, math.ceil(transfers / ROWS_PER_PARTITION))))


def _collect(transfers: Any, frames: LedgerFrames, active: Any) -> tuple[list[Any], LedgerTotals]:
    """Every transfer (ordinary ones too: the driver's index sets them aside again, pair by pair) with
    an active account at one end and no hub at either, in reading order; and the whole ledger's
    totals with the counterparties of every side they touch. One Spark job: each row carries its
    two accounts' counterparty counts, and the driver sorts (a sort in Spark costs a sampling job)."""
    from pyspark.sql import functions as F

    marks = active.select("account", F.lit(True).alias("active")).distinct()
    sides = (frames.pair_counts.groupBy(F.col("src").alias("account")).agg(F.count(F.lit(1)).alias("out"))
             .join(frames.pair_counts.groupBy(F.col("dst").alias("account")).agg(F.count(F.lit(1)).alias("in")),
                   "account", "full_outer"))

    def named(frame: Any, prefix: str) -> Any:
        return frame.select(*[F.col(c).alias(f"{prefix}_{c}") for c in frame.columns])

    wanted = (transfers.where(frames.no_hub)
              .join(named(marks, "a"), F.col("src") == F.col("a_account"), "left")
              .join(named(marks, "b"), F.col("dst") == F.col("b_account"), "left")
              .where(F.col("a_active").isNotNull() | F.col("b_active").isNotNull())
              .join(named(sides, "s"), F.col("src") == F.col("s_account"), "left")
              .join(named(sides, "d"), F.col("dst") == F.col("d_account"), "left"))
    rows = wanted.collect()
    rows.sort(key=lambda row: (row["order"]["file"], row["order"]["line"]))
    partners: dict[tuple[str, str], int] = {}
    for row in rows:
        for account, prefix in ((row["src"], "s"), (row["dst"], "d")):
            for side in ("out", "in"):
                if row[f"{prefix}_{side}"] is not None:
                    partners[(side, account)] = row[f"{prefix}_{side}"]
    return rows, replace(frames.totals, side_partners=partners)


def _add_transfers(graph: nx.MultiDiGraph, rows: list[Any]) -> None:
    for row in rows:
        graph.add_edge(row["src"], row["dst"], key=row["key"], type="TRANSFERRED", amount=row["amount"],
                       at=row["at"], tx_id=row["tx_id"], memo=row["memo"], sources=list(row["sources"]))


def _transfer_graph(rows: list[Any]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    _add_transfers(graph, rows)
    return graph
