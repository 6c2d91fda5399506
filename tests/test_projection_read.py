"""`from_neo4j`'s read path: chunked statements, the admin's fast path, and visibility per source."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import networkx as nx
import pytest
from neo4j import Driver

from casegraph.graph import projection
from casegraph.graph.projection import ReadStats, from_neo4j, to_epoch
from casegraph.graph.queries import cypher as projection_cypher
from casegraph.settings import Settings

READER = "cq-police"
# key -> (owner, sharing, shared_with); the grants are added apart.
DOCUMENTS = {
    "doc:own": (READER, "sealed", []),
    "doc:shared": ("sc-police", "shared", []),
    "doc:named": ("sc-police", "restricted", [READER]),
    "doc:other": ("sc-police", "restricted", ["cq-court"]),
    "doc:sealed": ("sc-police", "sealed", []),
    "doc:granted": ("sc-regulator", "sealed", []),
    "doc:expired": ("sc-regulator", "sealed", []),
}
VISIBLE_TO_READER = {"doc:own", "doc:shared", "doc:named", "doc:granted"}
# Every non-empty set of sources, so each mix of visible and hidden documents occurs once.
SOURCE_SETS = [list(c) for n in range(1, len(DOCUMENTS) + 1) for c in combinations(sorted(DOCUMENTS), n)]


def _load(driver: Driver, db: str) -> None:
    rows = [{"key": k, "agency": a, "sharing": s, "with": w} for k, (a, s, w) in DOCUMENTS.items()]
    driver.execute_query("UNWIND $rows AS r CREATE (:Document {key: r.key, agency: r.agency, sharing: r.sharing, "
                         "shared_with: r.with})", rows=rows, database_=db)
    driver.execute_query(
        "MATCH (g1:Document {key: 'doc:granted'}), (g2:Document {key: 'doc:expired'}) "
        "CREATE (:AccessGrant {id: 'g1', agency: $reader, expires_at: datetime() + duration('P1D')})-[:GRANTS]->(g1) "
        "CREATE (:AccessGrant {id: 'g2', agency: $reader, expires_at: datetime() - duration('P1D')})-[:GRANTS]->(g2) "
        "CREATE (c:Case {key: 'case:sc-police:1', number: '1', sources: ['doc:shared']}) "
        "WITH c MATCH (d:Document {key: 'doc:shared'}) CREATE (d)-[:OF_CASE]->(c)", reader=READER, database_=db)
    facts = [{"i": i, "sources": sources, "at": f"2023-03-{1 + i % 28:02d}T10:00:00" + ("+08:00" if i % 2 else "")}
             for i, sources in enumerate(SOURCE_SETS)]
    driver.execute_query(
        "UNWIND $facts AS f "
        "CREATE (p:Person {key: 'ric:p' + f.i, name: 'P' + f.i, regions: ['CQ'], sources: f.sources}) "
        "CREATE (a:Account {key: 'acct:a' + f.i, number: 'a' + f.i, sources: f.sources}) "
        "CREATE (b:Account {key: 'acct:b' + f.i, number: 'b' + f.i, sources: f.sources}) "
        "CREATE (p)-[:HOLDS {sources: f.sources}]->(a) "
        "CREATE (a)-[:TRANSFERRED {fid: 't' + f.i, amount: 100.0 + f.i, at: f.at, tx_id: 'T' + f.i, "
        "                          sources: f.sources}]->(b) "
        "WITH p, f MATCH (c:Case {key: 'case:sc-police:1'}) "
        "CREATE (p)-[:ROLE_IN {role: 'suspect', sources: f.sources}]->(c)",
        facts=facts, database_=db)
    # A shared fact towards an account only a sealed document names: dropped for the reader.
    # Two transfers that detection cannot use: no amount, a month-only date.
    driver.execute_query(
        "CREATE (x:Account {key: 'acct:hidden', number: 'hidden', sources: ['doc:sealed']}) "
        "WITH x MATCH (a:Account {key: $start}) "
        "CREATE (a)-[:TRANSFERRED {fid: 'tx', amount: 5.0, at: '2023-03-05', sources: ['doc:shared']}]->(x) "
        "CREATE (a)-[:TRANSFERRED {fid: 'tn', at: '2023-03-05T10:00:00', sources: ['doc:shared']}]->(a) "
        "CREATE (a)-[:TRANSFERRED {fid: 'tm', amount: 7.0, at: '2023-03', sources: ['doc:shared']}]->(a)",
        start=f"acct:a{SOURCE_SETS.index(['doc:shared'])}", database_=db)


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 rows, so the 127 facts of a type cross many chunk boundaries."""
    monkeypatch.setattr(projection, "CHUNK", 7)
    monkeypatch.setattr(projection, "PACKED_CHUNK", 7)


def _edges(g: nx.MultiDiGraph) -> list[tuple[str, str, tuple[tuple[str, Any], ...]]]:
    return sorted((u, v, tuple(sorted((k, tuple(x) if isinstance(x, list) else x) for k, x in d.items())))
                  for u, v, d in g.edges(data=True))


def _nodes(g: nx.MultiDiGraph) -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    return sorted((n, tuple(sorted((k, tuple(x) if isinstance(x, list) else x) for k, x in d.items())))
                  for n, d in g.nodes(data=True))


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("use_procedure", [True, False], ids=["procedure", "cypher"])
def test_an_agency_gets_only_visible_sources_and_facts(driver: Driver, neo4j_settings: Settings,
                                                        use_procedure: bool) -> None:
    db = neo4j_settings.neo4j_database
    _load(driver, db)
    stats = ReadStats()
    g = from_neo4j(driver, db, READER, stats, use_procedure=use_procedure)
    expected: dict[tuple[str, str, str], list[str]] = {}
    for i, sources in enumerate(SOURCE_SETS):
        seen = [s for s in sources if s in VISIBLE_TO_READER]
        if seen:
            expected[(f"ric:p{i}", f"acct:a{i}", "HOLDS")] = seen
            expected[(f"acct:a{i}", f"acct:b{i}", "TRANSFERRED")] = seen
            expected[(f"ric:p{i}", "case:sc-police:1", "ROLE_IN")] = seen
    got = {(u, v, d["type"]): d["sources"] for u, v, d in g.edges(data=True)}
    assert got == expected
    hidden = set(DOCUMENTS) - VISIBLE_TO_READER
    assert not {s for _n, ss in g.nodes(data="sources") for s in ss} & hidden
    assert "acct:hidden" not in g and stats.dropped == 1 and stats.incomplete_transfers == 2
    assert stats.relationships == len(expected) == g.number_of_edges()
    visible_sets = sum(1 for sources in SOURCE_SETS if set(sources) & VISIBLE_TO_READER)
    assert stats.nodes == 3 * visible_sets + 1 == g.number_of_nodes()  # + the case
    person = g.nodes[f"ric:p{SOURCE_SETS.index(['doc:shared'])}"]
    assert person["type"] == "Person" and person["name"].startswith("P") and person["regions"] == ["CQ"]
    owners = {DOCUMENTS[s][0] for s in SOURCE_SETS[-1] if s in VISIBLE_TO_READER}
    assert g.nodes[f"ric:p{len(SOURCE_SETS) - 1}"]["agencies"] == sorted(owners)
    assert g.nodes[f"ric:p{SOURCE_SETS.index(['doc:shared'])}"]["cases"] == ["case:sc-police:1"]
    for u, v, d in g.edges(data=True):
        if d["type"] == "TRANSFERRED":
            i = int(u[6:])
            stored = f"2023-03-{1 + i % 28:02d}T10:00:00" + ("+08:00" if i % 2 else "")
            assert d["at"] == to_epoch(stored) and d["amount"] == 100.0 + i and d["tx_id"] == f"T{i}"
            assert d["memo"] is None and v == f"acct:b{i}"
        elif d["type"] == "ROLE_IN":
            assert d["role"] == "suspect"
        else:
            assert "role" not in d


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("use_procedure", [True, False], ids=["procedure", "cypher"])
def test_the_admin_fast_path_equals_the_visibility_path_when_everything_is_visible(
        driver: Driver, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch, use_procedure: bool) -> None:
    db = neo4j_settings.neo4j_database
    _load(driver, db)
    driver.execute_query("MATCH (d:Document) SET d.sharing = 'shared'", database_=db)
    admin_stats, reader_stats = ReadStats(), ReadStats()
    admin = from_neo4j(driver, db, None, admin_stats, use_procedure=use_procedure)
    reader = from_neo4j(driver, db, READER, reader_stats, use_procedure=use_procedure)
    assert admin.number_of_edges() == 3 * len(SOURCE_SETS) + 1  # + the transfer to acct:hidden
    assert _nodes(admin) == _nodes(reader)
    assert _edges(admin) == _edges(reader)
    assert admin_stats.incomplete_transfers == reader_stats.incomplete_transfers == 2
    # The fast path reads the same with one chunk as with many.
    monkeypatch.setattr(projection, "CHUNK", 100_000)
    monkeypatch.setattr(projection, "PACKED_CHUNK", 100_000)
    assert _edges(from_neo4j(driver, db, None, use_procedure=use_procedure)) == _edges(admin)


@pytest.mark.parametrize("use_procedure", [True, False], ids=["procedure", "cypher"])
def test_an_empty_graph_reads_as_an_empty_projection(driver: Driver, neo4j_settings: Settings,
                                                     use_procedure: bool) -> None:
    stats = ReadStats()
    g = from_neo4j(driver, neo4j_settings.neo4j_database, READER, stats, use_procedure=use_procedure)
    assert g.number_of_nodes() == g.number_of_edges() == stats.relationships == stats.documents == 0


# `at` as writers or other tools may have stored it: the procedure converts the ISO forms itself and
# hands anything else to the client's parser, so both paths must agree on each.
AT_FORMS = ["'2023-03-05T10:00:00'", "'2023-03-05T10:00:00+08:00'", "'2023-03-05T02:00:00Z'",
            "'2023-03-05T10:00:00.123456789-05:00'", "'2023-03-05T10:00'", "'2023-03-05'", "'2023-03-05 10:00:00'",
            "'2023-03-05T10'", "'20230305'", "'2023-03'", "''", "'not a time'", "datetime('2023-03-05T10:00:00+01:00')",
            "localdatetime('2023-03-05T10:00:00.5')", "date('2023-03-05')", "1678000000", "1678000000.25"]
AMOUNT_FORMS = ["12.5", "3", "'47.25'", "'n/a'", "null"]


def _load_forms(driver: Driver, db: str) -> None:
    _load(driver, db)
    shared = f"acct:a{SOURCE_SETS.index(['doc:shared'])}"
    for i, at in enumerate(AT_FORMS):
        for j, amount in enumerate(AMOUNT_FORMS):
            sources = SOURCE_SETS[(i * len(AMOUNT_FORMS) + j) % len(SOURCE_SETS)]
            driver.execute_query(
                f"MATCH (a:Account {{key: $start}}), (b:Account {{key: $end}}) "
                f"CREATE (a)-[:TRANSFERRED {{fid: $fid, amount: {amount}, at: {at}, tx_id: $tx, memo: $memo, "
                f"sources: $sources}}]->(b)",
                start=shared, end=f"acct:b{i}", fid=f"form{i}-{j}", tx=f"F{i}-{j}" if j % 2 else None,
                memo={1: "memo", 2: "memo\x00with a NUL"}.get(j), sources=sources, database_=db)
    # Sources repeated and a fact without sources (left out on every path, even the admin's).
    driver.execute_query(
        "MATCH (a:Account {key: $start}), (p:Person {key: 'ric:p0'}), (c:Case {key: 'case:sc-police:1'}) "
        "CREATE (a)-[:TRANSFERRED {fid: 'dup', amount: 1.0, at: '2023-01-01', "
        "                          sources: ['doc:shared', 'doc:sealed', 'doc:shared']}]->(a) "
        "CREATE (p)-[:ROLE_IN {role: 'victim'}]->(c) "
        "CREATE (p)-[:USES {sources: ['doc:named', 'doc:other']}]->(:Phone {key: 'phone:13800000000', "
        "                   number: '13800000000', sources: ['doc:other', 'doc:named']})",
        start=shared, database_=db)


@pytest.mark.parametrize("agency", [None, READER], ids=["admin", "reader"])
def test_the_procedure_and_cypher_paths_give_the_same_graph(driver: Driver, neo4j_settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           agency: str | None) -> None:
    db = neo4j_settings.neo4j_database
    _load_forms(driver, db)
    assert projection.has_stream_procedure(driver, db)  # the local server registers it
    monkeypatch.setattr(projection, "PACKED_CHUNK", 5)
    graphs, counts = [], []
    for use_procedure in (True, False):
        stats = ReadStats()
        graphs.append(from_neo4j(driver, db, agency, stats, use_procedure=use_procedure))
        counts.append((stats.nodes, stats.relationships, stats.dropped, stats.incomplete_transfers))
    with_procedure, with_cypher = graphs
    assert _nodes(with_procedure) == _nodes(with_cypher)
    assert _edges(with_procedure) == _edges(with_cypher)
    assert counts[0] == counts[1]
    transfers = [d for _u, _v, d in with_procedure.edges(data=True) if d["type"] == "TRANSFERRED"]
    times = {d["at"] for d in transfers}
    assert all(type(d["at"]) is float and type(d["amount"]) is float for d in transfers)
    assert counts[0][3] > 0  # the month-only, empty and non-time `at` and the missing amounts
    if agency is None:
        # Every form that reads as a time came through (the 10:00 Beijing forms as one time).
        assert {to_epoch("2023-03-05T10:00:00"), 1678000000.25, to_epoch("2023-03-05T10:00:00.123456-05:00"),
                to_epoch("2023-03-05T10:00:00+01:00"), to_epoch("2023-03-05T10:00:00.5")} <= times
        assert {d["amount"] for d in transfers} >= {12.5, 3.0, 47.25}
        # The procedure joins a chunk's memos with NUL unless one holds a NUL: both forms came through.
        assert {d["memo"] for d in transfers} == {"memo", "memo\x00with a NUL", None}
        assert ["doc:shared", "doc:sealed", "doc:shared"] in [d["sources"] for d in transfers]
        # The suspect fact of ric:p0 is in; the victim fact without sources is not.
        assert ("ric:p0", "case:sc-police:1") in with_procedure.edges()
    else:
        hidden = set(DOCUMENTS) - VISIBLE_TO_READER
        for g in graphs:
            assert not {s for _u, _v, ss in g.edges(data="sources") for s in ss} & hidden
            assert not {s for _n, ss in g.nodes(data="sources") for s in ss} & hidden
            assert "acct:hidden" not in g
    assert "victim" not in {d.get("role") for _u, _v, d in with_procedure.edges(data=True)}


def test_a_server_without_the_procedure_is_read_with_cypher(driver: Driver, neo4j_settings: Settings,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    db = neo4j_settings.neo4j_database
    _load(driver, db)
    # What a plain Neo4j 5 server answers: no such procedure; the answer is kept per driver.
    monkeypatch.setattr(projection, "_STREAM_PROCEDURE", projection.weakref.WeakKeyDictionary())
    monkeypatch.setattr(projection, "cypher", lambda name, **slots: (
        "SHOW PROCEDURES YIELD name WHERE name = 'no.such.procedure' RETURN count(*) AS n"
        if name == "projection_stream_available" else projection_cypher(name, **slots)))
    assert not projection.has_stream_procedure(driver, db)
    stats = ReadStats()
    g = from_neo4j(driver, db, READER, stats)
    assert stats.relationships == g.number_of_edges() > 0
    assert _edges(g) == _edges(from_neo4j(driver, db, READER, use_procedure=True))


@pytest.mark.parametrize("statement", ["projection_nodes_stream", "projection_stream"], ids=["nodes", "facts"])
def test_a_server_that_lost_the_procedure_is_read_with_cypher(driver: Driver, neo4j_settings: Settings,
                                                              monkeypatch: pytest.MonkeyPatch, statement: str) -> None:
    db = neo4j_settings.neo4j_database
    _load(driver, db)
    expected = _edges(from_neo4j(driver, db, READER, use_procedure=False))
    # The driver was told the procedure exists, then the server went without it (restarted older).
    monkeypatch.setattr(projection, "_STREAM_PROCEDURE", projection.weakref.WeakKeyDictionary({driver: True}))
    monkeypatch.setattr(projection, "cypher", lambda name, **slots: (
        "CALL casegraph.no_such_procedure()" if name == statement else projection_cypher(name, **slots)))
    stats = ReadStats()
    assert _edges(from_neo4j(driver, db, READER, stats)) == expected
    assert stats.relationships == len(expected) and not projection.has_stream_procedure(driver, db)


@pytest.mark.parametrize("use_procedure", [True, False], ids=["procedure", "cypher"])
def test_the_direct_adjacency_writes_equal_networkx_own_build(driver: Driver, neo4j_settings: Settings,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             use_procedure: bool) -> None:
    # from_neo4j writes networkx's node and adjacency dicts itself; the same nodes and edges given
    # to add_nodes_from and add_edge, in the same order, must give an equal graph, keys included.
    db = neo4j_settings.neo4j_database
    _load_forms(driver, db)
    monkeypatch.setattr(projection, "PACKED_CHUNK", 5)
    built = from_neo4j(driver, db, None, use_procedure=use_procedure)
    plain = nx.MultiDiGraph()
    plain.add_nodes_from((n, dict(d)) for n, d in built.nodes(data=True))
    parallel = 0
    for u, v, k, d in built.edges(keys=True, data=True):
        assert plain.add_edge(u, v, **d) == k
        parallel += k > 0
    assert parallel > 0  # the forms put many transfers on one pair of accounts
    assert nx.utils.graphs_equal(built, plain)
    assert built.pred == plain.pred and list(built.nodes) == list(plain.nodes)
    assert built.number_of_edges() == plain.number_of_edges() > 100
    # The procedure sends each distinct set of sources once, and the edges that have it share that
    # one list (read-only by the projection's format; tests/test_detect_rings.py checks detection
    # never changes it). The Cypher path gets a list per fact from the driver.
    lists = [d["sources"] for _u, _v, d in built.edges(data=True)]
    distinct = {tuple(x) for x in lists}
    assert len({id(x) for x in lists}) == (len(distinct) if use_procedure else len(lists))
    assert len(distinct) < len(lists)
