"""Which engine runs a detection: networkx in one process, Spark past one machine, or `auto`.

`auto` counts the transfers it is given (graph edges, or ledger rows estimated from the files'
lines) and picks Spark from `CASEGRAPH_SPARK_AUTO_TRANSFERS` on. Both engines return the same rings
(`casegraph.detect.spark.engine` says why), so the choice is about time and memory only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import networkx as nx

from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import DetectionResult, find_rings
from casegraph.errors import InvalidInput
from casegraph.i18n import N_

__all__ = ["ENGINES", "check_engine", "default_master", "detect_graph", "detect_ledgers", "ledger_rows", "pick_engine"]

ENGINES = ("networkx", "spark", "auto")
BAD_ENGINE = N_("unknown detection engine {engine!r}: use networkx, spark or auto")
# Parquet rows are not counted without reading the file: about this many bytes per compressed row.
_PARQUET_BYTES_PER_ROW = 16


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise InvalidInput(BAD_ENGINE.format(engine=engine))
    return engine


def _threshold() -> int:
    from casegraph.settings import load_settings

    return load_settings().spark_auto_transfers


def pick_engine(engine: str, transfers: int, threshold: int | None = None) -> str:
    """networkx or spark: `engine` itself, or for auto by `transfers` against the threshold."""
    if check_engine(engine) != "auto":
        return engine
    return "spark" if transfers >= (_threshold() if threshold is None else threshold) else "networkx"


def ledger_rows(paths: Sequence[str | Path]) -> int:
    """About how many transfers the files hold (their lines; Parquet by size), without parsing them."""
    rows = 0
    for path in map(Path, paths):
        if path.suffix.lower() == ".parquet":
            rows += path.stat().st_size // _PARQUET_BYTES_PER_ROW
            continue
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                rows += chunk.count(b"\n")
    return rows


def detect_ledgers(paths: Sequence[str | Path], columns: dict[str, str] | None, params: DetectionParams,
                   engine: str = "networkx", master: str | None = None) -> DetectionResult:
    if pick_engine(engine, ledger_rows(paths) if engine == "auto" else 0) == "spark":
        from casegraph.detect.spark.engine import detect_ledgers_with_spark

        return detect_ledgers_with_spark(paths, columns, params, master or default_master())
    from casegraph.graph.projection import from_ledgers

    return find_rings(from_ledgers(paths, columns), params)


def detect_graph(graph: nx.MultiDiGraph, params: DetectionParams, engine: str = "networkx",
                 master: str | None = None, on_stage: Callable[[str], None] | None = None) -> DetectionResult:
    transfers = graph.number_of_edges() if engine == "auto" else 0
    if pick_engine(engine, transfers) == "spark":
        from casegraph.detect.spark.engine import detect_graph_with_spark

        return detect_graph_with_spark(graph, params, master or default_master(), on_stage)
    return find_rings(graph, params, on_stage)


def default_master() -> str:
    from casegraph.settings import load_settings

    return load_settings().spark_master
