"""`casegraph doctor`: what an operator checks before trusting an install, each with what to do.

Every check returns a Finding; a problem carries the fix in words. The checks read, never change.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from casegraph.graph.audit_log import verify as verify_audit_chain
from casegraph.graph.connection import get_driver, probe
from casegraph.graph.local_server import NEO4J_VERSION, LocalServer
from casegraph.graph.memory import GB, machine_memory
from casegraph.graph.queries import cypher, migration_files
from casegraph.i18n import N_
from casegraph.settings import Settings

MIN_FREE_DISK = 2 * GB
_SCHEMA_NAME = re.compile(r"CREATE\s+(?:FULLTEXT\s+|RANGE\s+|TEXT\s+|POINT\s+|LOOKUP\s+)?"
                          r"(INDEX|CONSTRAINT)\s+(\w+)\s+IF NOT EXISTS", re.IGNORECASE)


# The checks' names, for the catalogue (shown translated by `casegraph doctor`).
CHECK_NAMES = (N_("java"), N_("server"), N_("disk"), N_("memory"), N_("migrations"), N_("indexes"), N_("audit chain"),
               N_("documents"))


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str
    fix: str = ""
    skipped: bool = False  # not run, because a check it depends on failed


def expected_schema() -> dict[str, str]:
    """Index and constraint names the migrations create -> 'INDEX' | 'CONSTRAINT'."""
    names: dict[str, str] = {}
    for path in migration_files():
        for kind, name in _SCHEMA_NAME.findall(path.read_text(encoding="utf-8")):
            names[name] = kind.upper()
    return names


def _java() -> Finding:
    java = shutil.which("java")
    if java is None:
        return Finding("java", False, "no java on PATH", "install Java 17 (apt-get install openjdk-17-jdk-headless)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    major = int(match.group(1)) if match else 0
    if major < 17:
        return Finding("java", False, f"Java {major or '?'} found", "the local Neo4j 5 needs Java 17 or newer")
    return Finding("java", True, f"Java {major}")


def _server(settings: Settings) -> Finding:
    ok, detail = probe(settings)
    if not ok:
        fix = ("start it: casegraph db start" if settings.uses_local_server
               else "check NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and that the server runs")
        return Finding("server", False, f"{settings.uri} does not answer ({detail})", fix)
    records, _, _ = get_driver(settings).execute_query(cypher("server_version"), database_=settings.neo4j_database)
    version, edition = records[0]["version"], records[0]["edition"]
    if not str(version).startswith("5."):
        return Finding("server", False, f"Neo4j {version} ({edition})", "casegraph needs a Neo4j 5 server")
    note = "" if not settings.uses_local_server or version == NEO4J_VERSION else f" (local jars: {NEO4J_VERSION})"
    return Finding("server", True, f"Neo4j {version} {edition} at {settings.uri}{note}")


def _migrations(settings: Settings) -> Finding:
    records, _, _ = get_driver(settings).execute_query(cypher("migrations_applied"), database_=settings.neo4j_database)
    applied = {r["version"] for r in records}
    missing = [p.stem for p in migration_files() if int(p.name[:4]) not in applied]
    if missing:
        return Finding("migrations", False, f"not applied: {', '.join(missing)}", "run: casegraph db migrate")
    return Finding("migrations", True, f"all {len(applied)} applied")


def _indexes(settings: Settings) -> Finding:
    driver = get_driver(settings)
    indexes, _, _ = driver.execute_query(cypher("schema_indexes"), database_=settings.neo4j_database)
    constraints, _, _ = driver.execute_query(cypher("schema_constraints"), database_=settings.neo4j_database)
    present = {r["name"] for r in indexes} | {r["name"] for r in constraints}
    missing = sorted(set(expected_schema()) - present)
    not_online = sorted(f"{r['name']} ({r['state']})" for r in indexes if r["state"] != "ONLINE")
    problems = ([f"missing: {', '.join(missing)}"] if missing else []) + \
               ([f"not online: {', '.join(not_online)}"] if not_online else [])
    if problems:
        fix = ("re-create them: casegraph db migrate --repair" if missing
               else "wait for the population to finish, or see the server's log for a FAILED index")
        return Finding("indexes", False, "; ".join(problems), fix)
    return Finding("indexes", True, f"{len(present)} indexes and constraints, all online")


def _disk(settings: Settings) -> Finding:
    where = settings.data_dir if settings.uses_local_server else settings.home
    probe_path = where if where.exists() else settings.home if settings.home.exists() else where.parent
    while not probe_path.exists():
        probe_path = probe_path.parent
    free = shutil.disk_usage(probe_path).free
    if free < MIN_FREE_DISK:
        return Finding("disk", False, f"{free / GB:.1f} GB free under {probe_path}",
                       "free space or move CASEGRAPH_HOME / CASEGRAPH_NEO4J_DATA to a larger disk (2 GB or more)")
    return Finding("disk", True, f"{free / GB:.1f} GB free under {probe_path}")


def _memory(settings: Settings) -> Finding:
    if not settings.uses_local_server:
        return Finding("memory", True, "remote server: its memory is configured where it runs")
    started = LocalServer(settings).started_memory()
    if started is None:
        return Finding("memory", True, "the local server has not been started by this casegraph yet")
    heap, cache = int(str(started["heap_mb"])), int(str(started["pagecache_mb"]))
    machine_mb = machine_memory() // (1024 * 1024)
    detail = f"heap {heap} MB, page cache {cache} MB of {machine_mb} MB"
    if heap + cache > machine_mb * 0.9:
        return Finding("memory", False, detail + ": more than 90 % of the machine",
                       "unset CASEGRAPH_NEO4J_HEAP / CASEGRAPH_NEO4J_PAGECACHE_MB (chosen at start) or lower them")
    return Finding("memory", True, detail)


def _audit(settings: Settings) -> Finding:
    problems = verify_audit_chain(get_driver(settings), settings.neo4j_database)
    if problems:
        shown = "; ".join(problems[:3]) + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else "")
        return Finding("audit chain", False, shown,
                       "the audit log was changed outside casegraph: keep the store for investigation, restore "
                       "the last good backup (casegraph db restore) and report it")
    return Finding("audit chain", True, "verifies")


def _documents(settings: Settings) -> Finding:
    """Versions left half-way by a crash or a stop: a large document not yet published, or a retired
    one whose facts are still being taken away (both invisible to readers, but they hold space)."""
    from casegraph.graph.retraction import pending_documents, retired_documents

    driver = get_driver(settings)
    pending = pending_documents(driver, settings.neo4j_database)
    retired = retired_documents(driver, settings.neo4j_database)
    if retired:
        return Finding("documents", False, f"{len(retired)} retired documents still hold facts",
                       "finish it: casegraph documents finish (or any ingest, or casegraph db start)")
    if pending:
        paths = ", ".join(str(d["path"]) for d in pending[:3])
        return Finding("documents", False, f"{len(pending)} documents half-written: {paths}",
                       "ingest those files again to finish them, or casegraph documents delete KEY")
    return Finding("documents", True, "every document complete")


def run_checks(settings: Settings) -> Iterator[Finding]:
    """The findings in order; checks that need the server are skipped (and said so) when it is down."""
    if settings.uses_local_server:
        yield _java()
    server = _server(settings)
    yield server
    yield _disk(settings)
    yield _memory(settings)
    needs_server: list[tuple[str, Callable[[Settings], Finding]]] = [
        ("migrations", _migrations), ("indexes", _indexes), ("audit chain", _audit),
        ("documents", _documents)]
    for name, check in needs_server:
        if server.ok:
            yield check(settings)
        else:
            yield Finding(name, False, "not checked: the server does not answer", skipped=True)
