"""Graph side of the cross-document linker: read what it compares, write what it decides.

The decisions themselves (which nodes are one, which are candidates) are pure code in
`casegraph.ingest.resolution.linker`; this module only runs the named statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from neo4j import Driver, ManagedTransaction

from casegraph.graph.alert_triggers import CANDIDATE, record_merge_alerts, record_pair_alerts
from casegraph.graph.queries import cypher
from casegraph.model import ACCUSED_ROLES

# An account, phone or address tied to more people than this is a hub (a bank branch's address), no evidence.
SHARED_EVIDENCE_MAX_DEGREE = 10


def pending(driver: Driver, database: str, label: str) -> list[str]:
    records, _, _ = driver.execute_query(cypher("pending_entities", label=label), database_=database)
    return [r["key"] for r in records]


def clear_pending(driver: Driver, database: str, label: str, keys: Sequence[str]) -> None:
    driver.execute_query(cypher("clear_pending", label=label), keys=list(keys), database_=database)


def person_profiles(driver: Driver, database: str, keys: Iterable[str]) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("person_profiles"), keys=sorted(set(keys)),
                                         accused_roles=sorted(ACCUSED_ROLES), database_=database)
    return [dict(r) for r in records]


def rejected_pairs(driver: Driver, database: str) -> dict[str, set[str]]:
    """key -> keys an investigator said it is not the same as."""
    records, _, _ = driver.execute_query(cypher("rejected_pairs"), database_=database)
    apart: dict[str, set[str]] = {}
    for r in records:
        apart.setdefault(r["a"], set()).add(r["b"])
        apart.setdefault(r["b"], set()).add(r["a"])
    return apart


def persons_named(driver: Driver, database: str, names: Iterable[str]) -> dict[str, list[str]]:
    records, _, _ = driver.execute_query(cypher("persons_named"), names=sorted(set(names)), database_=database)
    return {r["name"]: list(r["keys"]) for r in records}


def persons_sharing_evidence(driver: Driver, database: str, keys: Iterable[str],
                             max_degree: int = SHARED_EVIDENCE_MAX_DEGREE) -> dict[str, list[str]]:
    """key -> people of another name tied to the same account/phone/address or born the same day."""
    records, _, _ = driver.execute_query(cypher("persons_sharing_evidence"), keys=sorted(set(keys)),
                                         max_degree=max_degree, database_=database)
    return {r["key"]: list(r["others"]) for r in records if r["others"]}


def persons_of_cases(driver: Driver, database: str, cases: Iterable[str]) -> list[str]:
    records, _, _ = driver.execute_query(cypher("persons_of_cases"), cases=sorted(set(cases)), database_=database)
    return [r["key"] for r in records]


def organizations_named(driver: Driver, database: str, names: Iterable[str]) -> dict[str, list[str]]:
    records, _, _ = driver.execute_query(cypher("organizations_named"), names=sorted(set(names)),
                                         database_=database)
    return {r["name"]: list(r["keys"]) for r in records}


def organization_profiles(driver: Driver, database: str, keys: Iterable[str]) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("organization_profiles"), keys=sorted(set(keys)),
                                         database_=database)
    return [dict(r) for r in records]


def merge_into(tx: ManagedTransaction, label: str, into: str, source: str, reasons: Sequence[str]) -> bool:
    """Merge node `source` into node `into`; False when either is gone."""
    # The watchers of either node hear of it in this transaction (issue 19); their watches follow.
    record_merge_alerts(tx, label, into, source, reasons)
    params: dict[str, Any] = {"into": into, "from": source, "reasons": list(reasons), "label_name": label}
    record = tx.run(cypher("merge_node_into", label=label), params).single()
    return record is not None


def merge_nodes(driver: Driver, database: str, label: str, merges: Sequence[tuple[str, str, list[str]]]) -> int:
    """Apply (into, from, reasons) merges in one transaction; the number applied."""
    def work(tx: ManagedTransaction) -> int:
        return sum(merge_into(tx, label, into, source, reasons) for into, source, reasons in merges)

    if not merges:
        return 0
    with driver.session(database=database) as session:
        return session.execute_write(work)


def upsert_candidates(driver: Driver, database: str, label: str, rows: Sequence[dict[str, Any]]) -> None:
    """Open candidates, and alert the watchers of either node of each new one, in one transaction."""
    def work(tx: ManagedTransaction) -> None:
        new = [(r["a"], r["b"]) for r in tx.run(cypher("upsert_candidates", label=label), rows=list(rows))]
        for a, b in new:
            record_pair_alerts(tx, label, CANDIDATE, a, b)

    if rows:
        with driver.session(database=database) as session:
            session.execute_write(work)


class GraphLinks:
    """The linker's reads and writes on the graph (`resolution.link_store.LinkStore`)."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver, self.database = driver, database

    def pending(self, label: str) -> list[str]:
        return pending(self.driver, self.database, label)

    def clear_pending(self, label: str, keys: Sequence[str]) -> None:
        clear_pending(self.driver, self.database, label, keys)

    def person_profiles(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        return person_profiles(self.driver, self.database, keys)

    def rejected_pairs(self) -> dict[str, set[str]]:
        return rejected_pairs(self.driver, self.database)

    def persons_named(self, names: Iterable[str]) -> dict[str, list[str]]:
        return persons_named(self.driver, self.database, names)

    def persons_sharing_evidence(self, keys: Iterable[str]) -> dict[str, list[str]]:
        return persons_sharing_evidence(self.driver, self.database, keys)

    def persons_of_cases(self, cases: Iterable[str]) -> list[str]:
        return persons_of_cases(self.driver, self.database, cases)

    def organizations_named(self, names: Iterable[str]) -> dict[str, list[str]]:
        return organizations_named(self.driver, self.database, names)

    def organization_profiles(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        return organization_profiles(self.driver, self.database, keys)

    def merge_nodes(self, label: str, merges: Sequence[tuple[str, str, list[str]]]) -> int:
        return merge_nodes(self.driver, self.database, label, merges)

    def upsert_candidates(self, label: str, rows: Sequence[dict[str, Any]]) -> None:
        upsert_candidates(self.driver, self.database, label, rows)
