from __future__ import annotations

import os
from pathlib import Path

import pytest

from casegraph.errors import ConfigError
from casegraph.graph.local_server import LocalServer, bolt_handshake
from casegraph.settings import Settings


def test_server_answers_with_the_526_line(neo4j_settings: Settings) -> None:
    server = LocalServer(neo4j_settings)
    status = server.status()
    assert status.running and status.answers
    assert "5.26" in status.detail


def test_quick_status_shakes_hands_without_the_driver(neo4j_settings: Settings) -> None:
    """`db status` answers from a Bolt handshake: yes from the server, no from a port nothing serves."""
    import socket

    port = int(neo4j_settings.uri.rsplit(":", 1)[1])
    version = bolt_handshake("127.0.0.1", port, 5.0)
    assert version is not None and version.startswith(("5.", "4."))
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        free = unused.getsockname()[1]
    assert bolt_handshake("127.0.0.1", free, 1.0) is None
    # A server that is not Bolt (here: one that closes at once) is no answer either.
    with socket.socket() as closing:
        closing.bind(("127.0.0.1", 0))
        closing.listen()
        assert bolt_handshake("127.0.0.1", closing.getsockname()[1], 0.5) is None


def test_second_start_is_harmless(neo4j_settings: Settings) -> None:
    server = LocalServer(neo4j_settings)
    before = server.status().pid
    after = server.start()
    assert after.answers and after.pid == before


def test_wrong_password_is_refused(neo4j_settings: Settings) -> None:
    from casegraph.graph.connection import probe

    ok, detail = probe(neo4j_settings.model_copy(update={"neo4j_password": "not-the-password"}))
    assert not ok and "credentials" in detail


def test_missing_java_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no java, no mvn
    monkeypatch.setenv("CASEGRAPH_HOME", str(tmp_path / "home"))
    settings = Settings(CASEGRAPH_NEO4J_PORT=1)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="Java 17"):
        LocalServer(settings).check_tools()


def test_uri_from_environment_means_no_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    settings = Settings()  # type: ignore[call-arg]
    assert not settings.uses_local_server and settings.uri.startswith("neo4j+s://")
    with pytest.raises(ConfigError, match="NEO4J_URI is set"):
        LocalServer(settings).start()
    assert os.environ["NEO4J_URI"]


def test_restart_of_an_existing_store_comes_up_whole(neo4j_settings: Settings, tmp_path: Path) -> None:
    """A restart finds the password already set (Neo4j refuses to set it again): the launcher must still
    print its ready line and install its shutdown hook, or `db stop` would kill an unclosed store."""
    from tests.conftest import _free_port

    settings = neo4j_settings.model_copy(update={
        "local_port": _free_port(), "local_data_dir": tmp_path / "data", "local_heap": "512m",
        "local_pagecache_mb": 64, "start_timeout_s": 300})
    server = LocalServer(settings)
    try:
        assert server.start().answers
        assert server.stop()
        assert server.start().answers
    finally:
        assert server.stop()
    log = server.log_file.read_text(errors="replace")
    assert log.count("casegraph-neo4j ready") == 2, log[-2000:]
