"""`casegraph load` against real Neo4j servers: the store Neo4j's importer writes equals, node for node
and property for property, the graph the transactional ingest writes from the same files; a load
killed midway leaves the previous database serving, and a re-run completes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from casegraph.errors import ConfigError, InvalidInput
from casegraph.graph.audit_log import AuditRecord, append_now
from casegraph.graph.connection import close_all, get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.queries import cypher
from casegraph.graph.users import add_user
from casegraph.ingest.bulk import bulk_load
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.conftest import FIXTURES, REPO
from tests.resolution_helpers import count, register_agencies

CORPUS = FIXTURES / "corpus_small" / "cq-police"
# Police files of every format and bank statements (transfers), plus the examples' police files.
FILES = sorted(CORPUS.glob("filing_decision_*"))[:6] + sorted(CORPUS.glob("prosecution_recommendation_*"))[:4] \
    + sorted(CORPUS.glob("ledger_*"))[:2] + sorted((REPO / "examples" / "cq-police").iterdir())
# Written by the database or the clock, not by what the files say.
VOLATILE = {"created_at", "taken_at", "ingested_at"}

RUNNER = """
import sys
from pathlib import Path
from casegraph.ingest.bulk import bulk_load
from casegraph.settings import load_settings
bulk_load(load_settings(), [Path(sys.argv[1])], "cq-police", Path(sys.argv[2]), workers=1)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def local_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A local server of the test's own: the load switches its store, which a remote one cannot do."""
    # The jars of the test run's server (conftest sets CASEGRAPH_HOME when it starts one).
    os.environ.setdefault("CASEGRAPH_HOME", os.environ.get("CASEGRAPH_TEST_HOME", str(REPO / ".casegraph" / "test")))
    settings = Settings(  # type: ignore[call-arg]
        CASEGRAPH_NEO4J_PORT=_free_port(), NEO4J_PASSWORD="casegraph-test-pw",
        CASEGRAPH_NEO4J_DATA=tmp_path_factory.mktemp("bulk-neo4j-data"), CASEGRAPH_NEO4J_HEAP="512m",
        CASEGRAPH_NEO4J_PAGECACHE_MB=128, CASEGRAPH_NEO4J_START_TIMEOUT=600)
    server = LocalServer(settings)
    server.start()
    try:
        yield settings
    finally:
        close_all()
        server.stop()


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    return value.iso_format() if hasattr(value, "iso_format") else value


# Lists that are sets: the documents stating a fact, in whatever order they were written (ingest
# writes a streamed ledger's parts before the other documents of its batch, the load folds them).
SET_VALUED = frozenset({"sources"})


def _props(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _value(sorted(v) if k in SET_VALUED and isinstance(v, list) else v))
                        for k, v in props.items() if k not in VOLATILE))  # keys are unique


def full_dump(driver: Driver, database: str, but: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Every node (labels, all properties) and relationship (type, its ends, all properties), as sorted
    reprs (values of mixed types do not compare); `but`: labels whose nodes are left out."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:WriterLock RETURN labels(n) AS labels, properties(n) AS p",
        database_=database)
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, labels(a) AS la, coalesce(a.key, a.id) AS a, labels(b) AS lb, "
        "coalesce(b.key, b.id) AS b, properties(r) AS p", database_=database)
    return (sorted(repr((sorted(r["labels"]), _props(r["p"]))) for r in nodes if but.isdisjoint(r["labels"])),
            sorted(repr((r["type"], r["la"], r["a"], r["lb"], r["b"], _props(r["p"]))) for r in rels
                   if but.isdisjoint(r["la"]) and but.isdisjoint(r["lb"])))


def _labels(driver: Driver, database: str) -> set[str]:
    records, _, _ = driver.execute_query("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label",
                                         database_=database)
    return {r["label"] for r in records}


def _empty(settings: Settings) -> Driver:
    driver = get_driver(settings)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=settings.neo4j_database)
    register_agencies(driver, settings.neo4j_database)
    return driver


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cq-police"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return folder


def test_the_imported_store_equals_the_transactional_graph(driver: Driver, neo4j_settings: Settings,
                                                           local_settings: Settings, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = neo4j_settings.neo4j_database
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    register_agencies(driver, db)
    ingested = ingest(driver, db, [folder], "cq-police", tmp_path / "home-ingest", workers=1)
    expected = full_dump(driver, db)

    _empty(local_settings)
    report = bulk_load(local_settings, [folder], "cq-police", tmp_path / "home-load", workers=2)
    loaded = get_driver(local_settings)
    actual = full_dump(loaded, local_settings.neo4j_database)
    for got, want in zip(actual, expected, strict=True):
        assert ([x for x in got if x not in want], [x for x in want if x not in got]) == ([], [])
        assert got == want  # the same, with the same multiplicities
    assert report.loaded == ingested.ingested > 0 and report.duplicates == ingested.unchanged
    assert [q.path for q in report.quarantined] == [q.path for q in ingested.quarantined] != []
    assert (tmp_path / "home-load" / "quarantine" / "quarantine.jsonl").exists()
    assert report.mentions > 0 and count(loaded, db, "MATCH ()-[t:TRANSFERRED]->() RETURN count(t)") > 0
    # Resolved in memory before the import, by the same rules: the linker's pass on the store has nothing left.
    assert report.linked.merges == ingested.linked.merges > 0
    assert report.linked.candidates == ingested.linked.candidates
    assert (report.relinked.merges, report.relinked.candidates) == (0, 0)
    # The new store has the schema (constraints, full-text index), and later ingests are transactional.
    constraints = count(loaded, db, "SHOW CONSTRAINTS YIELD name RETURN count(name)")
    assert constraints == count(driver, db, "SHOW CONSTRAINTS YIELD name RETURN count(name)") > 0
    again = ingest(loaded, db, [folder], "cq-police", tmp_path / "home-load", workers=1)
    assert again.unchanged == report.loaded + report.duplicates and again.ingested == 0


def test_a_killed_load_leaves_the_previous_database_and_a_rerun_completes(local_settings: Settings,
                                                                         tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = local_settings.neo4j_database
    driver = _empty(local_settings)
    # What the serving store holds besides case files is carried into the new one, as it was.
    add_user(driver, db, "kim", "cq-police", "investigator", created_by="local-admin:test")
    append_now(driver, db, [AuditRecord("kim", "cq-police", "investigator", "lookup", "GET", "/v1/lookup",
                                        {"identifier": "x"}, "渝公经立字（2024）37号", [], 200)])
    before = full_dump(driver, db)
    carried = _labels(driver, db)
    env = {**os.environ, "PYTHONPATH": str(REPO), "CASEGRAPH_HOME": str(local_settings.home),
           "CASEGRAPH_NEO4J_PORT": str(local_settings.local_port), "NEO4J_PASSWORD": "casegraph-test-pw",
           "CASEGRAPH_NEO4J_DATA": str(local_settings.data_dir), "NEO4J_DATABASE": db}
    env.pop("NEO4J_URI", None)
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(folder), str(tmp_path / "home")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    staging = local_settings.data_dir / "bulk-load" / "home" / "data"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None and not staging.exists():
        time.sleep(0.05)
    assert process.poll() is None, "the load ended before it could be killed: " + process.stderr.read().decode()[-2000:]
    process.send_signal(signal.SIGKILL)  # while Neo4j's importer writes the new store
    process.wait()
    # The previous database still serves, unchanged: the agencies, no document.
    assert count(driver, db, "MATCH (a:Agency) RETURN count(a)") == 6
    assert count(driver, db, "MATCH (d:Document) RETURN count(d)") == 0
    server_pid = LocalServer(local_settings)._pid()
    report = bulk_load(local_settings, [folder], "cq-police", tmp_path / "home", workers=1)
    # The switch closed and reopened the store inside the running server: no second JVM.
    assert server_pid is not None and LocalServer(local_settings)._pid() == server_pid
    assert set(report.switch_parts) >= {"close", "rename", "open", "migrate"}
    # The importer is a child whose CPU the stage counts; the server's is read by its pid.
    assert report.cpu["import"].children > 0 and report.cpu["switch"].server > 0
    # Every file is either loaded or quarantined (broken.pdf), none twice.
    assert report.loaded + len(report.quarantined) + report.duplicates == report.files == len(list(folder.iterdir()))
    assert len(report.quarantined) >= 1
    after = get_driver(local_settings)
    assert count(after, db, "MATCH (d:Document) RETURN count(d)") == report.loaded
    assert full_dump(after, db, but=frozenset(_labels(after, db) - carried)) == before


def test_load_refuses_a_remote_server_and_a_graph_with_documents(driver: Driver, neo4j_settings: Settings,
                                                                  tmp_path: Path) -> None:
    remote = neo4j_settings.model_copy(update={"neo4j_uri": "bolt://127.0.0.1:1"})
    with pytest.raises(ConfigError, match="casegraph ingest"):
        bulk_load(remote, [REPO / "examples" / "cq-police"], "cq-police", tmp_path)
    if not neo4j_settings.uses_local_server:
        return  # a server the tests did not start (CASEGRAPH_TEST_NEO4J_URI) is refused above
    db = neo4j_settings.neo4j_database
    driver.execute_query(cypher("agency_upsert"), id="cq-police", kind="police", region="CQ", name="cq",
                         default_sharing="shared", database_=db)
    ingest(driver, db, [REPO / "examples" / "cq-police"], "cq-police", tmp_path / "ingest-home")
    with pytest.raises(InvalidInput, match="casegraph ingest"):
        bulk_load(neo4j_settings, [REPO / "examples" / "cq-police"], "cq-police", tmp_path)
