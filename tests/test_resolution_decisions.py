"""Investigators' decisions against a real Neo4j: confirm, reject and split round trips, audited, and
respected by later ingests."""

from __future__ import annotations

import pytest
from neo4j import Driver

from casegraph.access import Caller
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph import decisions, lookups
from casegraph.settings import Settings
from tests.resolution_helpers import count, dump, register_agencies, write_text

RIC = "ric:500103198503124515"
WITH_ID = ("重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕45号\n犯罪嫌疑人张伟，男，1985年3月12日出生，公民身份号码500103198503124515，"
           "住重庆市渝中区解放碑路1号。张伟使用其名下账户6222020200112233446收取资金。")
# Another matter, another agency: the same name and the same card, but no ID, no birth date.
NAME_ONLY = ("四川监管局\n风险提示函\n川金管风提〔2023〕9号\n经查，张伟通过其名下账户6222020200112233446向多人转账。")
LATER = ("四川监管局\n风险提示函\n川金管风提〔2023〕9号\n经查，张伟通过其名下账户6222020200112233446向多人转账，"
         "涉及资金五十万元。")


def _setup(driver: Driver, db: str) -> tuple[str, str, str]:
    register_agencies(driver, db)
    first, _ = write_text(driver, db, WITH_ID, "/cq/filing.txt")
    second, _ = write_text(driver, db, NAME_ONLY, "/sc/alert.txt", "sc-regulator")
    other = driver.execute_query("MATCH (p:Person {name: '张伟'}) WHERE p.key <> $k RETURN p.key AS key", k=RIC,
                                 database_=db).records
    assert len(other) == 1
    return first, second, other[0]["key"]


def test_weak_evidence_is_a_candidate_and_confirm_merges_it(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    first, second, other = _setup(driver, db)
    candidates = decisions.open_candidates(driver, db)
    assert [(c["a"], c["b"]) for c in candidates] == [tuple(sorted((RIC, other)))]
    assert "same_name" in candidates[0]["reasons"] and "shared:acct:6222020200112233446" in candidates[0]["reasons"]
    result = decisions.confirm(driver, db, RIC, other, by="cq-police/li", why="same card, same man")
    assert count(driver, db, "MATCH (p:Person {name: '张伟'}) RETURN count(p)") == 1
    node = driver.execute_query("MATCH (p:Person {key: $k}) RETURN p AS p", k=RIC, database_=db).records[0]["p"]
    assert sorted(node["sources"]) == sorted([first, second]) and f"confirmed:{result.id}" in node["merged_on"]
    audit = decisions.decisions(driver, db)
    assert audit[0]["kind"] == "confirm" and audit[0]["by"] == "cq-police/li" and audit[0]["why"] == "same card, same man"
    assert decisions.open_candidates(driver, db) == []
    # A new version of the name-only document lands on the confirmed node, not on a new one.
    write_text(driver, db, LATER, "/sc/alert.txt", "sc-regulator")
    assert count(driver, db, "MATCH (p:Person {name: '张伟'}) RETURN count(p)") == 1


def test_split_undoes_a_confirm(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    first, second, other = _setup(driver, db)
    before = dump(driver, db)
    decisions.confirm(driver, db, RIC, other, by="li", why="looked alike")
    result = decisions.split(driver, db, RIC, [second], by="wang", why="different men")
    new_key = result.keys[1]
    rows = driver.execute_query("MATCH (p:Person {name: '张伟'}) RETURN p.key AS key, p.sources AS s ORDER BY key",
                                database_=db).records
    assert {r["key"]: r["s"] for r in rows} == {RIC: [first], new_key: [second]}
    # The second document's facts are back on their own node: the same shape as before the confirm.
    _, rels = dump(driver, db)
    renamed = {(t, new_key if a == other else a, b, f, s) for t, a, b, f, s in before[1]}
    assert {r for r in rels if r[0] in ("MENTIONED_IN", "HOLDS")} == {r for r in renamed if r[0] in ("MENTIONED_IN", "HOLDS")}
    # and the linker will not merge them again
    assert count(driver, db, "MATCH (:Person {key: $a})-[r:POSSIBLY_SAME_AS {status: 'rejected'}]-(:Person {key: $b}) "
                             "RETURN count(r)", a=RIC, b=new_key) == 1
    assert [d["kind"] for d in decisions.decisions(driver, db)] == ["split", "confirm"]


def test_reject_is_never_proposed_again(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _, _, other = _setup(driver, db)
    decisions.reject(driver, db, other, RIC, by="li", why="different birth places")
    assert decisions.open_candidates(driver, db) == []
    write_text(driver, db, LATER, "/sc/alert.txt", "sc-regulator")
    assert decisions.open_candidates(driver, db) == []
    assert count(driver, db, "MATCH (p:Person {name: '张伟'}) RETURN count(p)") == 2


def test_a_repeated_decision_gives_the_same_answer_and_one_record(driver: Driver, neo4j_settings: Settings) -> None:
    """Issue 22: a client that retries (a timeout, a double click) must not leave two decisions."""
    db = neo4j_settings.neo4j_database
    _, _, other = _setup(driver, db)
    first = decisions.reject(driver, db, other, RIC, by="li", why="different birth places")
    again = decisions.reject(driver, db, RIC, other, by="li", why="different birth places")
    assert again == first
    assert [d["kind"] for d in decisions.decisions(driver, db)] == ["reject"]
    merged = decisions.confirm(driver, db, RIC, other, by="wang", why="the same card after all")  # overrides
    assert decisions.confirm(driver, db, RIC, other, by="wang", why="the same card after all") == merged
    assert [d["kind"] for d in decisions.decisions(driver, db)] == ["confirm", "reject"]


def test_decisions_refuse_bad_input(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    first, _, other = _setup(driver, db)
    with pytest.raises(InvalidInput, match="reason"):
        decisions.confirm(driver, db, RIC, other, by="li", why=" ")
    with pytest.raises(NotFound):
        decisions.reject(driver, db, RIC, "ric:000000000000000000", by="li", why="x")
    with pytest.raises(InvalidInput, match="at least one"):
        decisions.split(driver, db, RIC, [first], by="li", why="x")
    with pytest.raises(InvalidInput, match="two different"):
        decisions.confirm(driver, db, RIC, RIC, by="li", why="x")


def test_a_new_version_after_a_split_lands_on_the_split_node(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _, second, other = _setup(driver, db)
    decisions.confirm(driver, db, RIC, other, by="li", why="looked alike")
    new_key = decisions.split(driver, db, RIC, [second], by="wang", why="different men").keys[1]
    later, _ = write_text(driver, db, LATER, "/sc/alert.txt", "sc-regulator")
    rows = driver.execute_query("MATCH (p:Person {name: '张伟'}) RETURN p.key AS key, p.sources AS s", database_=db).records
    assert {r["key"]: r["s"] for r in rows}[new_key] == [later]
    assert len(rows) == 2


def test_a_split_node_without_a_key_of_its_own_is_found_by_its_split_key(driver: Driver,
                                                                         neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    write_text(driver, db, WITH_ID, "/cq/filing.txt")
    # The same resident ID in another agency's file: one node by key, no alias to go back to.
    second, _ = write_text(driver, db, WITH_ID.replace("45号", "46号"), "/sc/filing.txt", "sc-police")
    new_key = decisions.split(driver, db, RIC, [second], by="wang", why="typo in the ID").keys[1]
    assert new_key.startswith("split:")
    assert lookups.labels_for_key(new_key) == ["Person", "Organization"]
    seen = lookups.entity(driver, db, Caller("li", "sc-police", "investigator"), new_key)
    assert seen["visible"] is True and seen["label"] == "Person" and seen["key"] == new_key
    assert [d["key"] for d in seen["documents"]] == [second]
