"""The Neo4j driver's lifetime: one driver per process, closed on exit, errors made plain."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import neo4j
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from casegraph.errors import DatabaseUnavailable
from casegraph.settings import Settings

_lock = threading.Lock()
_drivers: dict[tuple[str, str, float], Driver] = {}

# Errors that mean "the database is not there", as opposed to a bad query.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (ServiceUnavailable, SessionExpired, OSError)
# ...and every driver failure that means the API cannot answer: those, and refused credentials.
DRIVER_FAILURES: tuple[type[Exception], ...] = (*UNAVAILABLE_ERRORS, AuthError)


def _new_driver(settings: Settings, timeout: float = 5.0, retry_s: float = 30.0) -> Driver:
    return GraphDatabase.driver(
        settings.uri,
        auth=(settings.neo4j_user, settings.neo4j_password or ""),
        connection_timeout=timeout,
        max_transaction_retry_time=retry_s,
        max_connection_lifetime=3600,
        liveness_check_timeout=30.0,
        notifications_min_severity="OFF",
    )


def get_driver(settings: Settings, retry_s: float | None = None) -> Driver:
    """The process-wide driver for these settings (the driver is thread-safe and pools connections).

    `retry_s` bounds how long a managed transaction is retried on transient errors and outages:
    long for ingest, which should ride out a restart (the settings' `neo4j_retry_s` when not given),
    short for the API, which should say 503 now.
    """
    if retry_s is None:
        retry_s = settings.neo4j_retry_s
    ident = (settings.uri, settings.neo4j_user, retry_s)
    with _lock:
        driver = _drivers.get(ident)
        if driver is None:
            driver = _new_driver(settings, retry_s=retry_s)
            _drivers[ident] = driver
        return driver


def close_drivers(settings: Settings) -> None:
    """Close the drivers to this server (before it is restarted), leaving those to other servers."""
    with _lock:
        for ident in [i for i in _drivers if i[:2] == (settings.uri, settings.neo4j_user)]:
            _drivers.pop(ident).close()


def close_all() -> None:
    with _lock:
        for driver in _drivers.values():
            driver.close()
        _drivers.clear()


atexit.register(close_all)


def probe(settings: Settings, timeout: float = 3.0) -> tuple[bool, str]:
    """Whether the server answers a query; with the server's version or the reason it does not."""
    try:
        with _new_driver(settings, timeout) as driver:
            # A plain session.run: execute_query would retry for 30 s, and a probe must answer now.
            with driver.session(database="system", default_access_mode=neo4j.READ_ACCESS) as session:
                record = session.run(
                    "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
                ).single(strict=True)
            return True, f"Neo4j {record['v']} {record['e']}"
    except AuthError:
        return False, "the server refused the credentials (check NEO4J_USER / NEO4J_PASSWORD)"
    except UNAVAILABLE_ERRORS as exc:
        return False, f"no answer from {settings.uri}: {exc.__class__.__name__}"
    except Exception as exc:  # a half-started server can fail in other ways; report, never crash
        return False, f"{exc.__class__.__name__}: {exc}"


def unavailable_error(settings: Settings, exc: BaseException) -> DatabaseUnavailable | None:
    """The DatabaseUnavailable, with a message for people, that a driver failure means; None for others."""
    if isinstance(exc, UNAVAILABLE_ERRORS):
        return DatabaseUnavailable(f"Neo4j does not answer at {settings.uri} ({exc.__class__.__name__}). "
                                   "Start the local server with `casegraph db start` or check NEO4J_URI.")
    if isinstance(exc, AuthError):
        return DatabaseUnavailable(f"Neo4j at {settings.uri} refused the credentials; check NEO4J_PASSWORD.")
    return None


@contextmanager
def unavailable_as_error(settings: Settings) -> Iterator[None]:
    """Turn the driver's connection failures into DatabaseUnavailable with a message for people."""
    try:
        yield
    except DRIVER_FAILURES as exc:
        raise unavailable_error(settings, exc) or exc from exc
