"""Backup and restore (issue 24): the drill on a server of the test's own, and refusals before any change.

The drill stops and restarts its server, so it runs one of its own (port, data and CASEGRAPH_HOME in a
temp folder; the jar cache of the test session is linked in, not fetched again).
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph.api.app import create_app
from casegraph.graph import backup as backup_module
from casegraph.graph.audit_log import verify
from casegraph.graph.backup import BackupRefused, check_backup, create_backup, restore_backup
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.conftest import REPO, _free_port

EXAMPLES = REPO / "examples"
PURPOSE = "渝公经立字（2024）37号"


def _link_jar_cache(home: Path) -> None:
    shared = Path(os.environ.get("CASEGRAPH_HOME", REPO / ".casegraph" / "test")) / "neo4j"
    (home / "neo4j").mkdir(parents=True)
    if shared.is_dir():
        for cached in shared.iterdir():
            if cached.name.startswith(("lib-", "classes-")) and cached.is_dir():
                (home / "neo4j" / cached.name).symlink_to(cached, target_is_directory=True)


@pytest.fixture()
def own_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    home = tmp_path / "home"
    _link_jar_cache(home)
    monkeypatch.setenv("CASEGRAPH_HOME", str(home))
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    (home / "local.env").write_text("CASEGRAPH_API_RATE_PER_S=77\n", encoding="utf-8")
    settings = Settings(  # type: ignore[call-arg]
        CASEGRAPH_NEO4J_PORT=_free_port(), CASEGRAPH_NEO4J_DATA=tmp_path / "data", NEO4J_PASSWORD="drill-pw-1234",
        CASEGRAPH_NEO4J_HEAP="768m", CASEGRAPH_NEO4J_PAGECACHE_MB=128, CASEGRAPH_NEO4J_START_TIMEOUT=600,
        CASEGRAPH_AUDIT_SHIP_MS=20)
    server = LocalServer(settings)
    server.start()
    try:
        migrate(get_driver(settings), settings.neo4j_database)
        yield settings
    finally:
        LocalServer(settings).stop()


def _everything(driver: Driver, database: str) -> tuple[Counter[str], Counter[str]]:
    """Every node (labels and properties) and relationship (its ends, type and properties), as values."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, "
                                       "properties(n) AS props", database_=database)
    rels, _, _ = driver.execute_query("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, "
                                      "properties(r) AS props, elementId(b) AS b", database_=database)
    as_value = {r["id"]: json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True, ensure_ascii=False,
                                    default=str) for r in nodes}
    return (Counter(as_value.values()),
            Counter(json.dumps([as_value[r["a"]], r["type"], r["props"], as_value[r["b"]]], sort_keys=True,
                               ensure_ascii=False, default=str) for r in rels))


def test_restore_drill_gives_back_the_graph_keys_and_audit_chain(own_server: Settings, tmp_path: Path) -> None:
    settings, db = own_server, own_server.neo4j_database
    driver = get_driver(settings)
    truth = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=db)
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        assert not ingest(driver, db, [folder], folder.name, tmp_path / "ingest-home").quarantined
    keys = add_users(driver, db, ["cq-police", "sc-police"], roles=("investigator", "admin"))
    key = keys[("cq-police", "investigator")]
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            answer = client.get("/v1/lookup", params={"identifier": "18685133017", "purpose": PURPOSE},
                                headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == 200, answer.text
    assert not verify(driver, db)
    before = _everything(driver, db)
    assert sum(before[0].values()) > 100 and any('"AuditEvent"' in n for n in before[0])

    report = create_backup(tmp_path / "backup", settings)
    assert report.write_pause_s > 0 and (tmp_path / "backup" / "neo4j.dump").is_file()
    assert (tmp_path / "backup" / "state" / "local.env").read_text(encoding="utf-8").startswith("CASEGRAPH_API")

    # Lose everything: the store, the settings file and the audit spool.
    LocalServer(settings).stop()
    shutil.rmtree(settings.data_dir)
    (settings.home / "local.env").unlink()
    shutil.rmtree(settings.audit_spool, ignore_errors=True)

    restored = restore_backup(tmp_path / "backup", settings)
    assert restored.counts_match and not restored.audit_problems
    driver = get_driver(settings)
    assert _everything(driver, db) == before
    assert (settings.home / "local.env").read_text(encoding="utf-8") == "CASEGRAPH_API_RATE_PER_S=77\n"
    with TestClient(create_app(settings)) as client:
        answer = client.get("/v1/lookup", params={"identifier": "18685133017", "purpose": PURPOSE},
                            headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["cases"]
    assert not verify(driver, db)


def _fake_backup(folder: Path) -> Path:
    folder.mkdir()
    (folder / "neo4j.dump").write_bytes(b"a dump" * 100)
    (folder / "state").mkdir()
    (folder / "state" / "local.env").write_text("X=1\n")
    parts = [{"path": p, "bytes": (folder / p).stat().st_size, "sha256": backup_module._sha256(folder / p)}
             for p in ("neo4j.dump", "state/local.env")]
    manifest = {"format": backup_module.FORMAT, "neo4j_version": backup_module.NEO4J_VERSION,
                "schema_version": backup_module._schema_version(), "counts": {}, "parts": parts}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.mark.parametrize("damage, reason", [
    ("byte", "does not match its SHA-256"),
    ("missing", "is missing"),
    ("version", "Neo4j 4.4.0"),
    ("schema", "newer than"),
    ("no-manifest", "has no manifest.json"),
    ("garbled", "cannot be read"),
])
def test_a_damaged_partial_or_foreign_backup_is_refused_before_anything_is_touched(
        tmp_path: Path, damage: str, reason: str) -> None:
    folder = _fake_backup(tmp_path / "backup")
    assert check_backup(folder)["format"] == backup_module.FORMAT
    manifest = json.loads((folder / "manifest.json").read_text())
    if damage == "byte":
        data = bytearray((folder / "neo4j.dump").read_bytes())
        data[7] ^= 1
        (folder / "neo4j.dump").write_bytes(bytes(data))
    elif damage == "missing":
        (folder / "state" / "local.env").unlink()
    elif damage in ("version", "schema"):
        manifest["neo4j_version" if damage == "version" else "schema_version"] = \
            "4.4.0" if damage == "version" else 9999
        (folder / "manifest.json").write_text(json.dumps(manifest))
    elif damage == "no-manifest":
        (folder / "manifest.json").unlink()
    else:
        (folder / "manifest.json").write_text("{not json")
    data_dir = tmp_path / "data"
    (data_dir / "data").mkdir(parents=True)
    (data_dir / "data" / "marker").write_text("the store before")
    settings = Settings(CASEGRAPH_NEO4J_DATA=data_dir, NEO4J_PASSWORD="unused-pw-1234")  # type: ignore[call-arg]
    with pytest.raises(BackupRefused, match=reason):
        restore_backup(folder, settings)
    assert sorted(p.name for p in data_dir.iterdir()) == ["data"]
    assert (data_dir / "data" / "marker").read_text() == "the store before"


def test_a_remote_server_is_told_what_it_offers_instead(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    with pytest.raises(backup_module.ConfigError, match="neo4j-admin database backup"):
        create_backup(tmp_path / "b", Settings())  # type: ignore[call-arg]
