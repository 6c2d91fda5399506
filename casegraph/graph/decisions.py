"""Investigators' resolution decisions: confirm a candidate (merge two nodes), reject it (never
proposed again), split a wrong merge (the mentions of chosen documents go back to a node of their
own). Each writes a (:Decision) node with who, when and why, and each can be undone by another:
a split undoes a confirm, a confirm overrides a reject. Later ingests respect them: merged keys
redirect to the surviving node, and rejected pairs are never merged by the linker.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.alert_triggers import REJECTED, SPLIT, record_pair_alerts
from casegraph.graph.linking import merge_into
from casegraph.graph.queries import cypher


@dataclass(frozen=True)
class DecisionResult:
    id: str
    kind: str
    keys: list[str]
    result: str


def _label(tx: ManagedTransaction, key: str) -> tuple[str, list[str]]:
    record = tx.run(cypher("node_label"), key=key).single()
    if record is None:
        raise NotFound(f"no person or organisation with key {key!r}")
    return str(record["label"]), list(record["sources"] or [])


def _record(tx: ManagedTransaction, label: str, kind: str, by: str, why: str, keys: Sequence[str],
            documents: Sequence[str], result: str, decision_id: str) -> None:
    tx.run(cypher("decision_record", label=label), id=decision_id, kind=kind, by=by, why=why, keys=list(keys),
           documents=list(documents), result=result).consume()


def _check(by: str, why: str) -> None:
    if not by.strip():
        raise InvalidInput("a decision needs the investigator who takes it (--by)")
    if not why.strip():
        raise InvalidInput("a decision needs its reason (--why)")


def _two(tx: ManagedTransaction, a: str, b: str) -> str:
    if a == b:
        raise InvalidInput("a decision is about two different nodes")
    label_a, _ = _label(tx, a)
    label_b, _ = _label(tx, b)
    if label_a != label_b:
        raise InvalidInput(f"{a} is a {label_a} and {b} a {label_b}: only nodes of one kind can be one")
    return label_a


def confirm(driver: Driver, database: str, keep: str, merge: str, by: str, why: str) -> DecisionResult:
    """`merge` is the same as `keep`: merged into it, its key redirects there from now on."""
    _check(by, why)
    decision_id = f"decision:{uuid.uuid4().hex[:16]}"

    def work(tx: ManagedTransaction) -> DecisionResult:
        done = tx.run(cypher("decision_confirmed"), keep=keep, merge=merge).single()
        if done is not None:  # the same decision again: the same answer, no second record
            return DecisionResult(done["id"], "confirm", [keep, merge], done["result"])
        label = _two(tx, keep, merge)
        _record(tx, label, "confirm", by, why, [keep, merge], [], f"{merge} merged into {keep}", decision_id)
        merge_into(tx, label, keep, merge, [f"confirmed:{decision_id}"])
        return DecisionResult(decision_id, "confirm", [keep, merge], f"{merge} merged into {keep}")

    with driver.session(database=database) as session:
        return session.execute_write(work)


def reject(driver: Driver, database: str, a: str, b: str, by: str, why: str) -> DecisionResult:
    """`a` and `b` are different: the candidate between them is closed and never proposed again."""
    _check(by, why)
    decision_id = f"decision:{uuid.uuid4().hex[:16]}"
    first, second = sorted((a, b))

    def work(tx: ManagedTransaction) -> DecisionResult:
        label = _two(tx, a, b)
        done = tx.run(cypher("pair_rejected", label=label), a=first, b=second).single()
        if done is not None:  # the same decision again: the same answer, no second record
            return DecisionResult(done["decision"], "reject", [first, second], "kept apart")
        _record(tx, label, "reject", by, why, [first, second], [], "kept apart", decision_id)
        tx.run(cypher("reject_pair", label=label), a=first, b=second, decision=decision_id).consume()
        record_pair_alerts(tx, label, REJECTED, first, second)
        return DecisionResult(decision_id, "reject", [first, second], "kept apart")

    with driver.session(database=database) as session:
        return session.execute_write(work)


def split(driver: Driver, database: str, key: str, documents: Sequence[str], by: str, why: str) -> DecisionResult:
    """What `documents` say about node `key` goes to a new node of its own, kept apart from `key`."""
    _check(by, why)
    if not documents:
        raise InvalidInput("name the documents whose mentions leave the node (--document doc:…)")
    decision_id = f"decision:{uuid.uuid4().hex[:16]}"
    docs = sorted(set(documents))

    def work(tx: ManagedTransaction) -> DecisionResult:
        label, sources = _label(tx, key)
        unknown = [d for d in docs if d not in sources]
        if unknown:
            raise InvalidInput(f"{key} is not mentioned by {', '.join(unknown)}")
        if set(docs) >= set(sources):
            raise InvalidInput("a split keeps at least one document on the original node")
        # The node gets back the key these documents gave it, so that their new versions land on it;
        # a node never merged gets a key of its own.
        own = [r["key"] for r in tx.run(cypher("split_alias_keys"), key=key, documents=docs)]
        new_key = own[0] if own else f"split:{decision_id.removeprefix('decision:')}"
        record = tx.run(cypher("split_node", label=label), key=key, new_key=new_key, documents=docs,
                        decision=decision_id).single()
        assert record is not None
        tx.run(cypher("split_watches_follow"), key=key, new_key=new_key).consume()
        record_pair_alerts(tx, label, SPLIT, key, new_key, evidence=docs, occasion=decision_id)
        _record(tx, label, "split", by, why, [key, new_key], docs, f"{new_key} split from {key}", decision_id)
        return DecisionResult(decision_id, "split", [key, new_key], f"{new_key} split from {key}")

    with driver.session(database=database) as session:
        return session.execute_write(work)


def open_candidates(driver: Driver, database: str, label: str = "Person", limit: int = 100,
                    agency: str | None = None) -> list[dict[str, Any]]:
    """Open candidates; with `agency`, only pairs whose both nodes that agency may see."""
    records, _, _ = driver.execute_query(cypher("candidates_list", label=label), limit=limit, agency=agency,
                                         database_=database)
    return [dict(r) for r in records]


def document_owner(driver: Driver, database: str, key: str) -> str | None:
    records, _, _ = driver.execute_query(cypher("document_owner"), key=key, database_=database)
    return records[0]["agency"] if records else None


def decisions(driver: Driver, database: str, limit: int = 100, agency: str | None = None) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("decisions_list"), limit=limit, agency=agency, database_=database)
    return [dict(r["decision"]) for r in records]
