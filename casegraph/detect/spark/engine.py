"""Ring detection with Spark doing the whole-ledger work and networkx the patterns, on the pieces that count.

1. The transfers become one DataFrame (`frames`: ledger files read in Spark tasks, or the graph
   read from Neo4j).
2. DataFrame work (`ledger_frames`): ordinary transfers set aside, hubs dropped, the ledger's totals
   and profile, the connected pieces of the transfer graph; pieces too small for any pattern dropped.
3. The transfers of the remaining pieces are collected into a projection graph, and the one
   `find_rings` of the networkx engine detects, groups, scores and explains on it, with the whole
   ledger's totals and profile: the same rings as networkx on the whole ledger, by construction
   (no pattern crosses pieces, and every whole-ledger threshold comes from step 2).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import DetectionResult, find_rings
from casegraph.detect.spark.session import DEFAULT_MASTER, spark_session
from casegraph.graph.ledgers import LedgerError
from casegraph.graph.projection import fill_missing_node_attrs

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_LEDGER_ERROR = re.compile(r"LedgerError: (.+)")

__all__ = ["detect_graph_with_spark", "detect_ledgers_with_spark", "graph_rings", "ledger_rings"]


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
    transfers = transfers_from_flows(flows_from_ledgers(spark, paths, columns))
    try:
        return _detect(transfers, nx.MultiDiGraph(), params, started)
    except PythonException as exc:  # a task's error comes back as the worker's whole traceback
        said = _LEDGER_ERROR.findall(str(exc))
        if said:
            raise LedgerError(said[-1].strip()) from None
        raise


def detect_graph_with_spark(graph: nx.MultiDiGraph, params: DetectionParams, master: str = DEFAULT_MASTER,
                            on_stage: Callable[[str], None] | None = None) -> DetectionResult:
    """Rings of a projection graph: its transfers go through Spark, its other facts stay as they are.

    `graph` loses the transfers of pieces that hold no pattern (the caller's graph is changed).
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


def _detect(transfers: Any, graph: nx.MultiDiGraph, params: DetectionParams, started: float,
            on_stage: Callable[[str], None] | None = None) -> DetectionResult:
    from pyspark.sql import functions as F

    from casegraph.detect.spark.ledger_frames import ledger_frames, min_piece_size, pieces

    transfers = transfers.cache()
    frames = ledger_frames(transfers, params)
    accounts = pieces(frames.usable, min_piece_size(params))
    # Every transfer of a kept piece, ordinary ones too: the driver's index sets them aside again
    # exactly as on the whole ledger (a pair lies wholly inside one piece).
    wanted = transfers.join(F.broadcast(accounts.select(F.col("account").alias("src"))), "src") \
        .join(F.broadcast(accounts.select(F.col("account").alias("dst"))), "dst")
    rows = wanted.orderBy("order").collect()
    spark_seconds = time.perf_counter() - started
    for row in rows:
        graph.add_edge(row["src"], row["dst"], key=row["key"], type="TRANSFERRED", amount=row["amount"],
                       at=row["at"], tx_id=row["tx_id"], memo=row["memo"], sources=list(row["sources"]))
    fill_missing_node_attrs(graph)
    result = find_rings(graph, params, on_stage, totals=frames.totals, profile=frames.profile)
    result.timings = {"spark": spark_seconds, **result.timings}
    result.counts["transfers_to_driver"] = len(rows)
    return result
