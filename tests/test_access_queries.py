"""Static checks of the Cypher that reads case data: the sharing rule is in every such statement."""

from __future__ import annotations

import re

from neo4j import Driver

from casegraph.graph import lookups
from casegraph.graph.queries import CYPHER_DIR, cypher
from casegraph.settings import Settings

# DESIGN.md's rule, as every visibility-aware statement spells it (d is the document).
PREDICATE = ("(d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN "
             "coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE "
             "g.agency = $agency AND g.expires_at > datetime() })")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_visible_query_carries_the_sharing_rule() -> None:
    files = sorted((CYPHER_DIR / "queries").glob("*_visible.cypher"))
    assert len(files) >= 3
    for path in files:
        assert PREDICATE in _flat(path.read_text(encoding="utf-8")), path.name


def test_lookups_use_only_visibility_aware_statements() -> None:
    source = (CYPHER_DIR.parent / "graph" / "lookups.py").read_text(encoding="utf-8")
    names = re.findall(r'cypher\("([a-z_]+)"', source)
    assert names and all(name.endswith("_visible") for name in names), names
    assert lookups.ACCESS_REQUESTS_PATH == "/v1/access-requests"


def test_lucene_input_is_one_escaped_phrase() -> None:
    assert lookups.lucene_phrase('张三" OR name:*') == '"张三\\" OR name\\:\\*"'


def test_every_statement_compiles(driver: Driver, neo4j_settings: Settings) -> None:
    for path in sorted((CYPHER_DIR / "queries").glob("*.cypher")):
        query = cypher(path.stem, label="Person", depth=2, max_hops=4, type="HOLDS", from_label="Person",
                       to_label="Account", doc_label="Document")
        driver.execute_query("EXPLAIN " + query, database_=neo4j_settings.neo4j_database)
