"""Shared set-up for the access tests: users with keys, sharing changes, audit counts."""

from __future__ import annotations

from neo4j import Driver

from casegraph.graph import users


def add_users(driver: Driver, database: str, agencies: list[str],
              roles: tuple[str, ...] = ("investigator", "analyst", "admin")) -> dict[tuple[str, str], str]:
    """One user per (agency, role); their API keys by (agency, role)."""
    keys = {}
    for agency in agencies:
        for role in roles:
            _, key = users.add_user(driver, database, f"{agency}-{role}", agency, role, created_by="test")
            keys[(agency, role)] = key
    return keys


def set_sharing_of_agency(driver: Driver, database: str, agency: str, level: str,
                          shared_with: list[str] | None = None) -> None:
    driver.execute_query("MATCH (d:Document {agency: $agency}) SET d.sharing = $level, d.shared_with = $others",
                         agency=agency, level=level, others=shared_with or [], database_=database)


def audit_count(driver: Driver, database: str) -> int:
    records, _, _ = driver.execute_query("MATCH (e:AuditEvent) RETURN count(e) AS c", database_=database)
    return int(records[0]["c"])


def graph_size(driver: Driver, database: str) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:AuditEvent AND NOT n:AuditHead OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n) AS n, count(r) AS r", database_=database)
    return records[0]["n"], records[0]["r"]
