"""Settings, from the environment first and the local, git-ignored settings file second.

The `NEO4J_*` names are the ones every Neo4j tool uses, so production can point casegraph at any
Neo4j 5 server, Aura or cluster; the local server that `casegraph db start` runs is used only when
`NEO4J_URI` is not set.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_SETTINGS_FILE = "local.env"


def casegraph_home() -> Path:
    """Where the local server's jars, data and logs and the local settings file live."""
    return Path(os.environ.get("CASEGRAPH_HOME", ".casegraph")).resolve()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    neo4j_uri: str | None = Field(None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", validation_alias="NEO4J_DATABASE")

    local_port: int = Field(7687, validation_alias="CASEGRAPH_NEO4J_PORT", ge=1, le=65535)
    local_data_dir: Path | None = Field(None, validation_alias="CASEGRAPH_NEO4J_DATA")
    # Unset: chosen at each start from the machine's memory and the store's size (graph/memory.py).
    local_heap: str | None = Field(None, validation_alias="CASEGRAPH_NEO4J_HEAP", pattern=r"^\d+[mg]$")
    local_pagecache_mb: int | None = Field(None, validation_alias="CASEGRAPH_NEO4J_PAGECACHE_MB", ge=64)
    local_tx_max_mb: int | None = Field(None, validation_alias="CASEGRAPH_NEO4J_TX_MAX_MB", ge=64)
    local_memory_share: float = Field(0.5, validation_alias="CASEGRAPH_NEO4J_MEMORY_SHARE", gt=0, le=0.9)
    # Off-heap memory of Neo4j's importer (`casegraph load`). Its own default is 90% of the free memory,
    # which on a shared machine pushed everyone else out to disk; unset: a quarter of the machine.
    import_memory_mb: int | None = Field(None, validation_alias="CASEGRAPH_IMPORT_MEMORY_MB", ge=64)
    # The collector of the local server, as JVM flags. The writer's transactions are short-lived
    # garbage: the throughput collector with half the heap young spent 1.3x less server CPU per
    # mention than G1 (docs/benchmarks-history.md, issue 5). The module-access flags are always added.
    local_gc_options: str = Field("-XX:+UseParallelGC -XX:NewRatio=1", validation_alias="CASEGRAPH_NEO4J_GC_OPTS")
    start_timeout_s: float = Field(180.0, validation_alias="CASEGRAPH_NEO4J_START_TIMEOUT")
    # How long a command's managed transaction is retried on transient errors and outages before the
    # database counts as down (the API keeps its own short bound); tests of an outage lower it.
    neo4j_retry_s: float = Field(30.0, validation_alias="CASEGRAPH_NEO4J_RETRY_S", ge=0)
    # One background pass of the projection's scan after a start, to take part of the JIT and page
    # cache faults off the first ring-detection read. Off by default: on the large corpus it saved
    # ~10 s of the first read's server CPU but cost more than that at start (docs/benchmarks-history.md, issue 7).
    local_warmup: bool = Field(False, validation_alias="CASEGRAPH_NEO4J_WARMUP")
    # PERSON and ORG from the trained name model beside the rules (casegraph/ingest/ner); off: the
    # rules alone, for a checkout without the model or to compare the two
    names_model: bool = Field(True, validation_alias="CASEGRAPH_NAMES_MODEL")

    api_host: str = Field("127.0.0.1", validation_alias=AliasChoices("CASEGRAPH_API_HOST"))
    api_port: int = Field(8000, validation_alias=AliasChoices("CASEGRAPH_API_PORT"), ge=1, le=65535)
    # Per API key: a token bucket refilled at `api_rate_per_s` holding up to `api_rate_burst` calls.
    api_rate_per_s: float = Field(50.0, validation_alias="CASEGRAPH_API_RATE_PER_S", gt=0)
    api_rate_burst: int = Field(100, validation_alias="CASEGRAPH_API_RATE_BURST", ge=1)
    # How long a verified API key is trusted without asking the database again (0: ask every time).
    api_key_cache_s: float = Field(5.0, validation_alias="CASEGRAPH_API_KEY_CACHE_S", ge=0)
    # The workbench's sign-in: a session idle this long is forgotten and the user signs in again.
    handle_secret: str | None = Field(None, validation_alias="CASEGRAPH_HANDLE_SECRET", pattern=r"^[0-9a-f]{128}$",
                                      description="hex; the key of masked roles' entity handles (else home/handle.key)")
    web_session_idle_s: float = Field(1800.0, validation_alias="CASEGRAPH_WEB_SESSION_IDLE_S", gt=0)
    api_max_body_bytes: int = Field(64 * 1024, validation_alias="CASEGRAPH_API_MAX_BODY_BYTES", ge=1024)
    # The ceiling of calls in flight per API process; past the bound, 503 `overloaded` with Retry-After
    # at once. The bound itself follows the calls' latency up to this ceiling (api/shedding.py: AIMD
    # towards the latency goal). A lookup costs ~2-4 ms of API CPU, so 16 in flight is ~50 ms of work
    # queued; 64 doubled the answered calls' p99 under overload (BENCHMARKS.md, issue 22).
    api_max_in_flight: int = Field(16, validation_alias="CASEGRAPH_API_MAX_IN_FLIGHT", ge=1)
    # Set, the in-flight bound follows latency (api/shedding.py) and is cut while calls take longer than
    # this. Off by default: on the loaded 2-core test machine it shed most of a 16-connection closed
    # loop (BENCHMARKS.md, issue 22); to be judged on an idle machine before it is the default.
    api_latency_goal_ms: float | None = Field(None, validation_alias="CASEGRAPH_API_LATENCY_GOAL_MS", gt=0)
    # Caps per input file (casegraph/ingest/readers/limits.py): a file over one is quarantined with
    # a reason naming it. .docx and .xlsx are zip archives: their expansion is capped before unpacking.
    ingest_max_file_bytes: int = Field(256 * 1024 * 1024, validation_alias="CASEGRAPH_INGEST_MAX_FILE_BYTES", ge=1)
    ingest_max_ledger_rows: int = Field(5_000_000, validation_alias="CASEGRAPH_INGEST_MAX_LEDGER_ROWS", ge=1)
    ingest_max_zip_bytes: int = Field(768 * 1024 * 1024, validation_alias="CASEGRAPH_INGEST_MAX_ZIP_BYTES", ge=1)
    ingest_max_zip_entries: int = Field(10_000, validation_alias="CASEGRAPH_INGEST_MAX_ZIP_ENTRIES", ge=1)
    ingest_max_pdf_pages: int = Field(5_000, validation_alias="CASEGRAPH_INGEST_MAX_PDF_PAGES", ge=1)
    # Ring-detection and bundle jobs queued or running per agency; past it, 429 with Retry-After.
    jobs_max_per_agency: int = Field(4, validation_alias="CASEGRAPH_JOBS_MAX_PER_AGENCY", ge=1)
    # Ring detection's `auto` engine runs Spark from this many transfers on (docs/scaling.md: the
    # crossover on a 2-core machine lies past what networkx holds in 20 GB), networkx below.
    spark_auto_transfers: int = Field(20_000_000, validation_alias="CASEGRAPH_SPARK_AUTO_TRANSFERS", ge=0)
    spark_master: str = Field("local[*]", validation_alias="CASEGRAPH_SPARK_MASTER")
    # How long an API process's spooled audit records may wait before they go to Neo4j in one
    # batch (sooner when 500 wait): larger batches cost Neo4j less per record; another process's
    # records show in GET /v1/audit that much later. The spool (the durability point) is local disk.
    audit_ship_ms: float = Field(200.0, validation_alias="CASEGRAPH_AUDIT_SHIP_MS", ge=1, le=60_000)
    audit_spool_dir: Path | None = Field(None, validation_alias="CASEGRAPH_AUDIT_SPOOL")

    @property
    def home(self) -> Path:
        return casegraph_home()

    @property
    def log_dir(self) -> Path:
        """Where failures are logged with their tracebacks under the reference a caller sees."""
        return self.home / "logs"

    @property
    def uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.local_port}"

    @property
    def uses_local_server(self) -> bool:
        return self.neo4j_uri is None

    @property
    def audit_spool(self) -> Path:
        """The API processes' audit journals (see casegraph/graph/audit_spool.py)."""
        return (self.audit_spool_dir or self.home / "audit-spool").resolve()

    @property
    def data_dir(self) -> Path:
        return (self.local_data_dir or self.home / "neo4j" / "data").resolve()


def load_settings() -> Settings:
    env_file = casegraph_home() / LOCAL_SETTINGS_FILE
    return Settings(_env_file=env_file if env_file.exists() else None)  # type: ignore[call-arg]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
