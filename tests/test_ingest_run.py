"""The ingest run against a real Neo4j: a run killed in the middle (kill -9) and resumed gives the graph
of an uninterrupted run; parallel extraction gives the same graph as one process; the report."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.graph.connection import get_driver
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.conftest import FIXTURES, REPO
from tests.resolution_helpers import count, dump, register_agencies

CORPUS = FIXTURES / "corpus_small"
# Some police files and a bank statement, chosen by kind so that a regenerated fixture still fits.
FILES = [path for pattern, n in (("filing_decision_*", 4), ("prosecution_recommendation_*", 3), ("ledger_*", 1))
         for path in sorted((CORPUS / "cq-police").glob(pattern))[:n]]

RUNNER = """
import sys
from pathlib import Path
from casegraph.graph.connection import get_driver
from casegraph.ingest.run import ingest
from casegraph.settings import load_settings
settings = load_settings()
ingest(get_driver(settings), settings.neo4j_database, [Path(sys.argv[1])], "cq-police", Path(sys.argv[2]),
       batch_size=1)
"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cq-police"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    return folder


def _env(settings: Settings) -> dict[str, str]:
    # NEO4J_URI too: a server the tests did not start (CASEGRAPH_TEST_NEO4J_URI) is not on the local port.
    return {**os.environ, "PYTHONPATH": str(REPO), "CASEGRAPH_NEO4J_PORT": str(settings.local_port),
            "NEO4J_URI": settings.uri,
            "NEO4J_PASSWORD": settings.neo4j_password or "", "NEO4J_DATABASE": settings.neo4j_database}


def _reset(driver: Driver, database: str) -> None:
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=database)
    register_agencies(driver, database)


Graph = tuple[set[tuple[object, ...]], set[tuple[object, ...]]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _folder(tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="module")
def uninterrupted(neo4j_settings: Settings, folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The graph of one uninterrupted run in one process: what every other way of running must give
    (ingested once for the module, the slowest part of its tests)."""
    driver, db = get_driver(neo4j_settings), neo4j_settings.neo4j_database
    _reset(driver, db)
    report = ingest(driver, db, [folder], "cq-police", tmp_path_factory.mktemp("home"), workers=1)
    assert report.ingested == len(FILES) and report.transactions > 0
    return dump(driver, db)


def test_a_killed_run_resumed_equals_an_uninterrupted_run(driver: Driver, neo4j_settings: Settings, folder: Path,
                                                          uninterrupted: Graph, home: Path) -> None:
    db = neo4j_settings.neo4j_database
    _reset(driver, db)
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(folder), str(home)], env=_env(neo4j_settings),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        if count(driver, db, "MATCH (d:Document) RETURN count(d)") >= 2:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed: " + process.stderr.read().decode()[-2000:]
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = count(driver, db, "MATCH (d:Document) RETURN count(d)")
    assert 2 <= written < len(FILES)
    resumed = ingest(driver, db, [folder], "cq-police", home, workers=1)
    assert resumed.unchanged == written and resumed.ingested == len(FILES) - written
    assert dump(driver, db) == uninterrupted


def test_parallel_extraction_writes_the_same_graph(driver: Driver, neo4j_settings: Settings, folder: Path,
                                                   uninterrupted: Graph, home: Path) -> None:
    db = neo4j_settings.neo4j_database
    serial = uninterrupted
    _reset(driver, db)
    report = ingest(driver, db, [folder], "cq-police", home, workers=2)
    assert dump(driver, db) == serial
    again = ingest(driver, db, [folder], "cq-police", home, workers=2)
    assert again.unchanged == len(FILES) and again.ingested == 0 and dump(driver, db) == serial
    assert report.written.mentions > 0 and report.written.transfers > 0
