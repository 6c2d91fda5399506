"""The Spark engine of ring detection: the same rings as networkx, clear errors, a real cluster once.

One local Spark session serves the module (a JVM start is slow); the standalone test starts a
master and one worker from the pyspark distribution itself (`spark-class`), on 127.0.0.1.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pyspark  # make install installs the spark extra
import pytest

from casegraph.demo.generator import generate
from casegraph.demo.scales import parse_scale
from casegraph.detect.engines import pick_engine
from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import DetectionResult, find_rings
from casegraph.detect.spark.engine import graph_rings, ledger_rings
from casegraph.detect.spark.frames import flows_from_ledgers, transfers_from_flows
from casegraph.detect.spark.session import spark_session
from casegraph.graph.ledgers import LedgerError
from casegraph.graph.projection import from_ledgers

AMLSIM = Path(__file__).resolve().parents[2] / "shared" / "ledgers" / "amlsim-small" / "transactions.csv"
if not AMLSIM.exists():  # a worktree sits one level deeper than the main checkout
    AMLSIM = Path("/work/shared/ledgers/amlsim-small/transactions.csv")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with spark_session("local[2]") as session:
        yield session


def _same_rings(expected: DetectionResult, got: DetectionResult) -> None:
    """Same rings: members, typologies and scores (1e-9), amounts and explanations; none only in one."""
    want = {r.id: r for r in expected.rings}
    have = {r.id: r for r in got.rings}
    assert sorted(want) == sorted(have), f"only networkx: {set(want) - set(have)}, only spark: {set(have) - set(want)}"
    for ring_id, ring in want.items():
        other = have[ring_id]
        assert [m.key for m in ring.members] == [m.key for m in other.members]
        assert ring.typologies == other.typologies
        assert ring.score == pytest.approx(other.score, abs=1e-9)
        assert ring.amount == pytest.approx(other.amount, abs=1e-9)
        assert [m.why for m in ring.members] == [m.why for m in other.members]
    assert [r.id for r in expected.rings] == [r.id for r in got.rings]
    assert expected.params.derived == got.params.derived  # the same ledger profile and thresholds


@pytest.fixture(scope="module")
def generated_small(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("small")
    generate(out, parse_scale("small"), 3)
    ledgers = sorted(p for p in out.rglob("ledger_*") if p.suffix in (".csv", ".xlsx"))
    assert ledgers
    return ledgers


def test_generated_small_corpus_ledgers_give_the_same_rings(spark: Any, generated_small: list[Path]) -> None:
    expected = find_rings(from_ledgers(generated_small), DetectionParams())
    assert expected.above_threshold(), "the small corpus plants rings: a test on no ring proves nothing"
    _same_rings(expected, ledger_rings(spark, generated_small, None, DetectionParams()))


def test_graph_input_gives_the_same_rings_with_holders(spark: Any, generated_small: list[Path]) -> None:
    """The graph path (Neo4j's projection): transfers through Spark, holders and other facts kept."""
    graph = from_ledgers(generated_small)
    accounts = sorted(graph.nodes)
    for n, account in enumerate(accounts[::7]):  # a person holding some accounts joins them to the ring
        person = f"ric:11010119800101{n:04d}"
        graph.add_node(person, type="Person", name=f"人{n}", regions=["SC"], agencies=["sc-police"], cases=[])
        graph.add_edge(person, account, type="HOLDS", sources=["doc:x"])
    expected = find_rings(graph.copy(), DetectionParams())
    _same_rings(expected, graph_rings(spark, graph, DetectionParams()))


def test_amlsim_small_gives_the_same_rings(spark: Any) -> None:
    expected = find_rings(from_ledgers([AMLSIM]), DetectionParams())
    assert len(expected.above_threshold()) >= 10
    _same_rings(expected, ledger_rings(spark, [AMLSIM], None, DetectionParams()))


def _day_only_ledger(path: Path) -> Path:
    """A bank's export with dates only (no clock): a ring of five and a fan among daily background."""
    start = datetime(2024, 3, 1, tzinfo=UTC)
    rows = [["交易日期", "本方账号", "对方账号", "交易金额", "借贷标志", "摘要"]]
    accounts = [f"62220210{n:08d}" for n in range(60)]
    for day in range(90):  # background: each account pays a fixed partner every few days
        for n in range(0, 60, 3):
            if (day + n) % 4 == 0:
                rows.append([f"{start + timedelta(days=day):%Y-%m-%d}", accounts[n], accounts[(n + 5) % 60],
                             f"{800 + 13 * n + day:.2f}", "借", "货款"])
    ring = [f"62288800{n:08d}" for n in range(5)]
    for hop in range(5):
        rows.append([f"{start + timedelta(days=40 + hop // 2):%Y-%m-%d}", ring[hop], ring[(hop + 1) % 5],
                     f"{500_000 - 2_000 * hop:.2f}", "借", "往来款"])
    for n in range(8):
        rows.append([f"{start + timedelta(days=60):%Y-%m-%d}", f"62299900{n:08d}", ring[0], "49000.00", "借", "投资"])
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def test_day_only_ledger_gives_the_same_rings(spark: Any, tmp_path: Path) -> None:
    ledger = _day_only_ledger(tmp_path / "days.csv")
    expected = find_rings(from_ledgers([ledger]), DetectionParams())
    assert expected.params.derived["profile"]["granularity"] == "day"
    assert expected.above_threshold()
    got = ledger_rings(spark, [ledger], None, DetectionParams())
    _same_rings(expected, got)
    # Only the transfers of accounts a typology's DataFrame condition picks reach the driver.
    assert got.counts["transfers_to_driver"] < got.counts["transfers_read"] / 4
    # Spark's fixed cost is per stage: this run took 126 before they were cut, 95 after (session 9).
    assert 0 < got.counts["spark_stages"] <= 110


LATE_CREDIT = [Path(__file__).parent / "fixtures" / "ledgers" / f"late_credit_{side}_feedback_gbk.csv"
               for side in ("payer", "payee")]


@pytest.mark.parametrize("paths", [LATE_CREDIT, LATE_CREDIT[::-1]], ids=["payer-first", "payee-first"])
def test_a_credit_booked_days_later_is_one_transfer_in_both_engines(spark: Any, paths: list[Path]) -> None:
    """The two banks' feedback of one pair of accounts: a credit booked after a weekend and one after
    midnight are their debits' transfers; equal transfers on consecutive days stay two, as do a debit
    and a credit a week apart (`pair_late_credits`)."""
    graph = from_ledgers(paths)
    expected = sorted((a, b, k, d["amount"], d["at"], d["sources"]) for a, b, k, d in graph.edges(keys=True, data=True))
    frame = transfers_from_flows(flows_from_ledgers(spark, paths))
    got = sorted((r["src"], r["dst"], r["key"], r["amount"], r["at"], list(r["sources"])) for r in frame.collect())
    assert got == expected
    pair = [(amount, len(sources)) for a, b, _k, amount, _at, sources in expected
            if (a, b) == ("acct:6217003760005550001", "acct:6222020200117770002")]
    assert sorted(pair) == [(600.0, 1), (600.0, 1), (1200.0, 2), (8000.0, 2), (8000.0, 2), (50000.0, 2)]
    # the debit keeps the transfer, whichever statement was read first: the money left on Friday night
    friday = datetime(2024, 3, 8, 23, 58, 41, tzinfo=UTC) - timedelta(hours=8)
    assert [at for _a, _b, _k, amount, at, _s in expected if amount == 50000.0] == [friday.timestamp()]


def test_parquet_ledger_reads_as_its_csv(spark: Any, tmp_path: Path) -> None:
    ledger = _day_only_ledger(tmp_path / "days.csv")
    parquet = str(tmp_path / "days.parquet")
    spark.read.option("header", True).csv(str(ledger)).write.parquet(parquet)
    table = sorted(str(p) for p in Path(parquet).glob("*.parquet"))
    expected = find_rings(from_ledgers([ledger]), DetectionParams())
    got = ledger_rings(spark, table, None, DetectionParams())
    assert sorted(r.id for r in got.rings) == sorted(r.id for r in expected.rings)


def test_a_ring_only_one_engine_finds_fails_the_comparison() -> None:
    """The comparison itself can fail: a result with a ring less is told apart."""
    graph = nx.MultiDiGraph()
    ring = [f"acct:6222{n}" for n in range(3)]
    for hop in range(3):
        graph.add_edge(ring[hop], ring[(hop + 1) % 3], type="TRANSFERRED", amount=1e5 - hop, at=1.7e9 + hop * 3600,
                       tx_id=f"t{hop}", memo=None, sources=[f"x#row{hop}"])
    for node, attrs in graph.nodes(data=True):
        attrs.update(type="Account", regions=[], agencies=[], cases=[], number=node[5:])
    full = find_rings(graph, DetectionParams())
    assert full.rings
    empty = find_rings(nx.MultiDiGraph(), DetectionParams())
    with pytest.raises(AssertionError, match="only networkx"):
        _same_rings(full, empty)


def test_auto_picks_spark_from_the_threshold_on() -> None:
    assert pick_engine("auto", 999, threshold=1000) == "networkx"
    assert pick_engine("auto", 1000, threshold=1000) == "spark"
    assert pick_engine("networkx", 10**9, threshold=1) == "networkx"


def _cli(*args: str, block_pyspark: bool = False, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    prelude = "import sys; sys.modules['pyspark'] = None; " if block_pyspark else ""
    code = prelude + "from casegraph.cli import app; app(prog_name='casegraph')"
    env = {**os.environ, "CASEGRAPH_LANG": "en"}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


def test_spark_without_pyspark_names_the_extra(tmp_path: Path) -> None:
    ledger = _day_only_ledger(tmp_path / "days.csv")
    done = _cli("detect", "rings", "--engine", "spark", "--ledger", str(ledger), block_pyspark=True)
    assert done.returncode == 2, done.stderr
    assert "casegraph[spark]" in done.stderr
    assert "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_master_is_a_clear_error_within_30_s(tmp_path: Path) -> None:
    ledger = _day_only_ledger(tmp_path / "days.csv")
    started = time.monotonic()
    done = _cli("detect", "rings", "--engine", "spark", "--spark-master", f"spark://127.0.0.1:{_free_port()}",
                "--ledger", str(ledger))
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    assert "does not answer" in done.stderr and "Traceback" not in done.stderr


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def test_a_broken_ledger_is_a_ledger_error_not_a_worker_traceback(spark: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("no,header,here\n1,2,3\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="no statement header found") as caught:
        ledger_rings(spark, [broken], None, DetectionParams())
    assert "Traceback" not in str(caught.value)


@pytest.fixture
def standalone_master(tmp_path: Path) -> Iterator[str]:
    """A standalone master and one worker from pyspark's own distribution, both on 127.0.0.1."""
    spark_class = Path(pyspark.__file__).parent / "bin" / "spark-class"
    port = _free_port()
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_DAEMON_MEMORY": "256m",
           "SPARK_HOME": str(spark_class.parent.parent), "SPARK_LOG_DIR": str(tmp_path),
           "SPARK_WORKER_DIR": str(tmp_path / "work"), "PYSPARK_PYTHON": sys.executable}
    master = subprocess.Popen([str(spark_class), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                               "--port", str(port), "--webui-port", str(_free_port())],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"spark://127.0.0.1:{port}"
    worker = subprocess.Popen([str(spark_class), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                               "--cores", "1", "--memory", "768m", "--webui-port", str(_free_port()), url],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for_port(port, 120)
        yield url
    finally:
        for process in (worker, master):
            process.terminate()
        for process in (worker, master):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_standalone_cluster_gives_the_same_rings(spark: Any, standalone_master: str, tmp_path: Path) -> None:
    """The cluster protocol itself: driver, master and an executor on a worker, as on a real cluster."""
    ledger = _day_only_ledger(tmp_path / "days.csv")
    expected = find_rings(from_ledgers([ledger]), DetectionParams())
    spark.stop()  # one SparkContext per process: the module's local one makes way (this test runs last)
    with spark_session(standalone_master, {"spark.executor.memory": "512m", "spark.cores.max": "1"}) as cluster:
        assert cluster.sparkContext.master == standalone_master
        got = ledger_rings(cluster, [ledger], None, DetectionParams())
    _same_rings(expected, got)

