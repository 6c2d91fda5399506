"""One short read statement in one round trip: the hot path of lookups.

`driver.execute_query` runs a managed transaction: BEGIN and RUN go together, then COMMIT is a
second round trip. A lookup is a single read statement, so an auto-commit query (RUN and PULL
pipelined) answers the same thing with one round trip and about a third less client CPU
(docs/benchmarks-history.md, issue 6). What is lost is the managed transaction's retries; the one retry here
covers what they are mostly for (a connection that went stale, a cluster member that changed
role, a transient lock or leader error).
"""

from __future__ import annotations

from typing import Any, LiteralString, cast

import neo4j
from neo4j import Driver, Record
from neo4j.exceptions import DriverError, Neo4jError

ATTEMPTS = 2


def read_records(driver: Driver, database: str, query: str, **params: Any) -> list[Record]:
    """The records of one read-only statement, run as an auto-commit query on a reader."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            # execute_query's bookmark manager: on a cluster a lookup still sees the grants and
            # sharing changes this process wrote before (measured: it costs no visible CPU).
            with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS,
                                bookmark_manager=driver.execute_query_bookmark_manager) as session:
                return list(session.run(cast(LiteralString, query), params))
        except (Neo4jError, DriverError) as exc:
            if attempt == ATTEMPTS or not exc.is_retryable():
                raise
    raise AssertionError("unreachable")
