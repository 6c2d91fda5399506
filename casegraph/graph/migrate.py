"""Schema migrations: the numbered .cypher files in casegraph/cypher/migrations, applied in order.

Each statement is idempotent (IF NOT EXISTS), and each applied file is recorded as a
(:SchemaMigration {version}) node with its checksum, so `casegraph db migrate` can run any
number of times and tells when an applied file was edited afterwards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from neo4j import Driver

from casegraph.graph.queries import cypher, migration_files


@dataclass(frozen=True)
class MigrationResult:
    applied: list[str]
    already: list[str]
    changed: list[str]  # applied earlier, edited since: re-applied, since statements are idempotent

    @property
    def version(self) -> int:
        names = self.applied + self.already + self.changed
        return max((int(name[:4]) for name in names), default=0)


def _statements(text: str) -> list[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [part.strip() for part in body.split(";") if part.strip()]


def migrate(driver: Driver, database: str, repair: bool = False) -> MigrationResult:
    """Apply what is not applied yet; with `repair`, run every file's statements again (they are
    idempotent), which re-creates an index or constraint dropped since."""
    records, _, _ = driver.execute_query(cypher("migrations_applied"), database_=database)
    applied_before = {r["version"]: r["checksum"] for r in records}
    applied: list[str] = []
    already: list[str] = []
    changed: list[str] = []
    for path in migration_files():
        text = path.read_text(encoding="utf-8")
        checksum = hashlib.sha256(text.encode()).hexdigest()
        version = int(path.name[:4])
        unchanged = applied_before.get(version) == checksum
        if unchanged and not repair:
            already.append(path.stem)
            continue
        # Schema statements cannot share a transaction with writes, so each runs on its own.
        for statement in _statements(text):
            driver.execute_query(statement, database_=database)
        if unchanged:  # repaired: already recorded as it is
            already.append(path.stem)
            continue
        driver.execute_query(cypher("migration_record"), version=version, name=path.stem,
                             checksum=checksum, database_=database)
        (changed if version in applied_before else applied).append(path.stem)
    return MigrationResult(applied, already, changed)
