"""Backup and restore of the local server: the Neo4j store and the state that lives beside it.

Neo4j Community has no online backup, so a backup is an offline `neo4j-admin database dump`. To keep
the time without writes short, the server is stopped only while its store folder is copied (a file
copy, seconds), started again at once, and the dump is taken from the copy while the server serves.
The API keys are in the store (only their hashes); the local settings file (the store's password)
and the audit spool (records not yet shipped into the chain) are files beside it and are copied in
the same stop, so the store and the spool are one instant.

A backup folder is written under a temporary name and renamed when complete; its manifest (written
last) lists every part with size and SHA-256, the versions and the counts. A restore checks all of
it before touching anything, loads the dump into a new folder, and switches folders only when the
load is complete; the folders it replaced are kept beside, named `*.before-restore-<time>`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casegraph import __version__
from casegraph.errors import CasegraphError, ConfigError
from casegraph.graph.audit_log import verify as verify_audit_chain
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import NEO4J_VERSION, LocalServer
from casegraph.graph.queries import cypher, migration_files
from casegraph.settings import LOCAL_SETTINGS_FILE, Settings, load_settings

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "neo4j.dump"
SETTINGS_PART = f"state/{LOCAL_SETTINGS_FILE}"
SPOOL_PART = "state/audit-spool"
REMOTE_ADVICE = (
    "NEO4J_URI points at a server that casegraph does not run, so it cannot stop it for a dump. Back it "
    "up where it runs: `neo4j-admin database dump` with the database stopped (Community), `neo4j-admin "
    "database backup` online (Enterprise), or the snapshots of Aura's console; then keep this machine's "
    f"{LOCAL_SETTINGS_FILE} and audit-spool folder (under CASEGRAPH_HOME) with it.")


class BackupRefused(CasegraphError):
    """A backup that is damaged, partial or of another version: nothing was touched."""


@dataclass
class BackupReport:
    path: Path
    write_pause_s: float
    dump_s: float
    manifest: dict[str, object] = field(default_factory=dict)


@dataclass
class RestoreReport:
    path: Path
    load_s: float
    counts_match: bool
    audit_problems: list[str]
    kept: list[Path]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema_version() -> int:
    return max((int(p.name[:4]) for p in migration_files()), default=0)


def store_counts(settings: Settings) -> dict[str, dict[str, int]]:
    driver = get_driver(settings)
    labels, _, _ = driver.execute_query(cypher("store_label_counts"), database_=settings.neo4j_database)
    types, _, _ = driver.execute_query(cypher("store_type_counts"), database_=settings.neo4j_database)
    return {"nodes": {r["label"]: r["count"] for r in labels},
            "relationships": {r["type"]: r["count"] for r in types}}


def _local_server(settings: Settings) -> LocalServer:
    if not settings.uses_local_server:
        raise ConfigError(REMOTE_ADVICE)
    return LocalServer(settings)


def _copy_state(settings: Settings, into: Path) -> None:
    local_env = settings.home / LOCAL_SETTINGS_FILE
    if local_env.exists():
        (into / SETTINGS_PART).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(local_env, into / SETTINGS_PART)
    if settings.audit_spool.exists():
        shutil.copytree(settings.audit_spool, into / SPOOL_PART, dirs_exist_ok=True)


def create_backup(target: Path, settings: Settings | None = None,
                  say: Callable[[str], None] = lambda _: None) -> BackupReport:
    """Write a complete backup into the new folder `target` (refused if it exists and is not empty)."""
    settings = settings or load_settings()
    server = _local_server(settings)
    target = target.resolve()
    if target.exists() and any(target.iterdir()):
        raise ConfigError(f"{target} exists and is not empty: give a new folder for the backup.")
    status = server.status()
    if not (status.running and status.answers):
        raise ConfigError("the local Neo4j is not running: start it (casegraph db start) so the backup can "
                          "record what the store holds.")
    counts = store_counts(settings)
    staging = target.parent / f".{target.name}.partial-{os.getpid()}"
    copy = staging / "store-copy"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        say("stopping the server to copy its store …")
        paused = time.monotonic()
        server.stop()
        try:
            shutil.copytree(settings.data_dir / "data", copy / "data", symlinks=True,
                            ignore=shutil.ignore_patterns("store_lock", "database_lock"))
            _copy_state(settings, staging)
        finally:
            server.start()
        write_pause_s = time.monotonic() - paused
        say(f"the server answered again after {write_pause_s:.1f} s; dumping the copy …")
        started = time.monotonic()
        server.admin("database", "dump", "neo4j", f"--to-path={staging}", neo4j_home=copy)
        dump_s = time.monotonic() - started
        shutil.rmtree(copy)
        parts = sorted(p for p in staging.rglob("*") if p.is_file())
        manifest: dict[str, object] = {
            "format": FORMAT, "casegraph_version": __version__, "neo4j_version": NEO4J_VERSION,
            "schema_version": _schema_version(), "database": settings.neo4j_database,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "write_pause_s": round(write_pause_s, 2), "counts": counts,
            "parts": [{"path": p.relative_to(staging).as_posix(), "bytes": p.stat().st_size, "sha256": _sha256(p)}
                      for p in parts],
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BackupReport(target, write_pause_s, dump_s, manifest)


def check_backup(source: Path) -> dict[str, object]:
    """The manifest of a complete, intact backup of this version; BackupRefused with the reason otherwise."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupRefused(f"{source} has no {MANIFEST}: not a casegraph backup, or one that did not finish.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        parts = list(manifest["parts"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupRefused(f"{MANIFEST} cannot be read ({exc.__class__.__name__}): the backup is damaged.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"backup format {manifest.get('format')!r}; this casegraph reads format {FORMAT}.")
    if manifest.get("neo4j_version") != NEO4J_VERSION:
        raise BackupRefused(f"the backup is of Neo4j {manifest.get('neo4j_version')}; this casegraph runs "
                            f"{NEO4J_VERSION}. Restore it with the casegraph version that wrote it.")
    if not isinstance(manifest.get("schema_version"), int) or manifest["schema_version"] > _schema_version():
        raise BackupRefused(f"the backup's schema version {manifest.get('schema_version')} is newer than this "
                            f"casegraph's ({_schema_version()}): upgrade casegraph first.")
    if not any(p.get("path") == DUMP for p in parts):
        raise BackupRefused(f"the manifest lists no {DUMP}: the backup is partial.")
    for part in parts:
        path = source / str(part["path"])
        if not path.is_file():
            raise BackupRefused(f"part {part['path']} is missing: the backup is partial.")
        if path.stat().st_size != part["bytes"] or _sha256(path) != part["sha256"]:
            raise BackupRefused(f"part {part['path']} does not match its SHA-256 in the manifest: it is damaged.")
    return dict(manifest)


def restore_backup(source: Path, settings: Settings | None = None,
                   say: Callable[[str], None] = lambda _: None) -> RestoreReport:
    """Restore `source` as the local server's store and state (see the module docstring)."""
    settings = settings or load_settings()
    server = _local_server(settings)
    source = source.resolve()
    manifest = check_backup(source)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    data_dir = settings.data_dir
    incoming = data_dir.parent / f".{data_dir.name}.restore-{stamp}"
    incoming.mkdir(parents=True)
    say("loading the dump into a new store …")
    started = time.monotonic()
    try:
        server.admin("database", "load", "neo4j", f"--from-path={source}", "--overwrite-destination=true",
                     neo4j_home=incoming)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    load_s = time.monotonic() - started
    say("switching to the restored store …")
    server.stop()
    kept: list[Path] = []
    if data_dir.exists():
        aside = data_dir.parent / f"{data_dir.name}.before-restore-{stamp}"
        data_dir.rename(aside)
        kept.append(aside)
    data_dir.mkdir(parents=True)
    (incoming / "data").rename(data_dir / "data")
    shutil.rmtree(incoming, ignore_errors=True)
    kept += _restore_state(source, settings, stamp)
    settings = _with_restored_password(settings)
    LocalServer(settings).start()
    counts = store_counts(settings)
    audit_problems = verify_audit_chain(get_driver(settings), settings.neo4j_database)
    return RestoreReport(source, load_s, counts == manifest["counts"], audit_problems, kept)


def _with_restored_password(settings: Settings) -> Settings:
    """The restored settings file may hold another store password than the one loaded before."""
    if "NEO4J_PASSWORD" in os.environ:
        return settings
    try:
        lines = (settings.home / LOCAL_SETTINGS_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return settings
    passwords = [line.split("=", 1)[1].strip() for line in lines if line.startswith("NEO4J_PASSWORD=")]
    return settings.model_copy(update={"neo4j_password": passwords[-1]}) if passwords else settings


def _restore_state(source: Path, settings: Settings, stamp: str) -> list[Path]:
    """Put the backup's settings file and audit spool in place; the current ones are moved aside."""
    kept: list[Path] = []
    for part, current in ((SETTINGS_PART, settings.home / LOCAL_SETTINGS_FILE), (SPOOL_PART, settings.audit_spool)):
        saved = source / part
        if not saved.exists():
            continue
        if current.exists():
            aside = current.with_name(f"{current.name}.before-restore-{stamp}")
            current.rename(aside)
            kept.append(aside)
        if saved.is_dir():
            shutil.copytree(saved, current)
            current.chmod(0o700)  # the spool's own mode (casegraph/graph/audit_spool.py)
        else:
            shutil.copy2(saved, current)
    return kept
