"""The Spark session of a detection run: local threads by default, or a cluster's master.

pyspark is the optional extra `casegraph[spark]`; asking for Spark without it is a clear error
naming the extra. Every process the session starts binds 127.0.0.1 unless the caller points it at a
cluster (`--spark-master spark://…`, `yarn`, `k8s://…`), and the web UI stays off: a detection run
serves nothing. A standalone master that does not answer is found out by a plain TCP connect within
`CONNECT_TIMEOUT_S`, before Spark's own registration retries (which take minutes) begin.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from casegraph.errors import ConfigError
from casegraph.i18n import N_

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["CONNECT_TIMEOUT_S", "DEFAULT_MASTER", "SparkUnavailable", "require_pyspark", "spark_session"]

DEFAULT_MASTER = "local[*]"
CONNECT_TIMEOUT_S = 10.0
_LOOPBACK = "127.0.0.1"

MISSING_EXTRA = N_("the Spark engine needs pyspark: pip install 'casegraph[spark]' (Java 17 is already required)")
MASTER_DOWN = N_("Spark master {master} does not answer: {reason}")


class SparkUnavailable(ConfigError):
    """pyspark is missing, or the Spark master cannot be reached."""


def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(MISSING_EXTRA) from None


def check_master(master: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Raise `SparkUnavailable` when a standalone master (spark://host:port[,host:port]) refuses or is silent."""
    if not master.startswith("spark://"):
        return  # local[*] needs no network; YARN and Kubernetes masters are found by their own clients
    reasons = []
    for address in master.removeprefix("spark://").split(","):
        parts = urlsplit(f"//{address}")
        try:
            with socket.create_connection((parts.hostname or "", parts.port or 7077), timeout=timeout_s):
                return
        except OSError as exc:
            reasons.append(str(exc) or type(exc).__name__)
    raise SparkUnavailable(MASTER_DOWN.format(master=master, reason="; ".join(reasons)))


def _conf(master: str) -> dict[str, str]:
    conf = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": os.environ.get("CASEGRAPH_SPARK_PARTITIONS", _partitions(master)),
        # A run must fail, not wait forever, when executors never come (a full or absent cluster); but
        # on a starved machine a local driver answers its own executor's heartbeat late, and Spark
        # kills the executor after 60 missed ones: local runs get the longer leash.
        "spark.network.timeout": "600s" if master.startswith("local") else "120s",
        "spark.executor.heartbeatInterval": "60s" if master.startswith("local") else "10s",
        "spark.sql.session.timeZone": "UTC",
        # Spark's default since 3.2, stated because the engine relies on it: small tables broadcast,
        # near-empty shuffle partitions merged (engine.py sizes the partitions to the ledger).
        "spark.sql.adaptive.enabled": "true",
        # Every query's plan is described for the listeners even with the UI off; the default
        # "formatted" description of a detection's joins cost more than running them.
        "spark.sql.ui.explainMode": "simple",
        # Workers run casegraph's ledger reader: the driver's interpreter (a cluster's nodes need
        # casegraph installed at the same path, or PYSPARK_PYTHON set to where it is).
        "spark.pyspark.python": os.environ.get("PYSPARK_PYTHON", sys.executable),
    }
    if master.startswith("local") or _points_here(master):
        conf |= {"spark.driver.host": _LOOPBACK, "spark.driver.bindAddress": _LOOPBACK}
    return conf


def _partitions(master: str) -> str:
    """Shuffle partitions: the local threads (local[N]), else Spark's own default of 200 is far too many
    for a ledger's worth of small pieces; adaptive execution merges what is still too small."""
    if master.startswith("local"):
        threads = master[6:-1] if master.startswith("local[") else "1"
        return str(os.cpu_count() or 2) if threads in ("*", "") else threads.split(",")[0]
    return "16"


def _points_here(master: str) -> bool:
    return master.startswith("spark://") and all(
        (urlsplit(f"//{a}").hostname or "") in (_LOOPBACK, "localhost") for a in master[8:].split(","))


@contextmanager
def spark_session(master: str = DEFAULT_MASTER, extra_conf: dict[str, Any] | None = None) -> Iterator[SparkSession]:
    """A Spark session for one run, stopped afterwards (its JVM stays up for the next session of this process)."""
    require_pyspark()
    check_master(master)
    if master.startswith("local") or _points_here(master):
        os.environ.setdefault("SPARK_LOCAL_IP", _LOOPBACK)
    # pyspark starts its Python workers with PYSPARK_PYTHON (else whatever `python3` is on PATH):
    # they run casegraph's ledger reader, so they must be this interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("casegraph-detect")
    for key, value in (_conf(master) | {k: str(v) for k, v in (extra_conf or {}).items()}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
