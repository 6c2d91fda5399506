"""Alerts raised by detection runs and by merges (issue 19), in the transaction of what raises them.

`record_ring_alerts` runs inside the detection run's write: it follows each ring from the previous
run of the same scope (casegraph.alerts.ring_changes), stores the lineage on the rings, and alerts the
watchers of a changed ring, of its members, and the agencies whose cases it touches. `record_merge_alerts`
runs inside every merge of two nodes (the linker's, or an investigator's confirmed 疑似同一): the
watchers of either node hear of it, and watches on the merged-away key follow to the surviving node.
Like document alerts, these store references (ring, entity, source documents), never content: what
an alert shows is decided when it is read (alerts_visible.cypher). `record_pair_alerts` tells the
watchers of either node of a new 疑似同一 candidate, a rejected one, or a split (the undoing of a
merge): what they watch may be, or is no longer, the other node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from neo4j import ManagedTransaction

from casegraph.alerts.ring_changes import (
    CASE_AGENCY,
    MEMBER_WATCH,
    RING_WATCH,
    PastRing,
    Recipient,
    RingChange,
    ring_alert_rows,
    ring_changes,
    ring_grade,
)
from casegraph.alerts.triggers import opaque_id
from casegraph.graph.queries import cypher

Rows = Mapping[str, Sequence[dict[str, Any]]]


def write_alert_rows(tx: ManagedTransaction, rows: Iterable[dict[str, Any]]) -> int:
    """Store alert rows (idempotent by id), one statement per entity label."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_label.setdefault(str(row["label"]), []).append(row)
    for label, label_rows in by_label.items():
        tx.run(cypher("alerts_write", label=label), rows=label_rows).consume()
    return sum(len(r) for r in by_label.values())


def follow_rings(tx: ManagedTransaction, agency: str | None, ring_rows: list[dict[str, Any]],
                 threshold: float, members: Rows) -> list[RingChange]:
    """Before the run's rings are written: each ring beside the previous run's, and the lineage, grade
    and reported flag set on its row."""
    past = [PastRing(r["id"], r["lineage"], frozenset(r["members"]), r["grade"], bool(r["reported"]))
            for r in tx.run(cypher("ring_previous_run"), agency=agency)]
    for row in ring_rows:
        row["grade"] = ring_grade(row)
        row["reported"] = row["score"] > threshold
    changes = ring_changes(ring_rows, members, past)
    for row, change in zip(ring_rows, changes, strict=True):
        row["lineage"], row["previous"] = change.lineage, change.previous
    return changes


def record_ring_alerts(tx: ManagedTransaction, changes: Sequence[RingChange]) -> int:
    """After the run's rings are written: alerts for every ring that is new or changed."""
    changed = [c for c in changes if c.events]
    if not changed:
        return 0
    recipients: dict[str, list[Recipient]] = {c.id: [] for c in changed}
    by_lineage = {c.lineage: c.id for c in changed if c.previous is not None}
    if by_lineage:
        for r in tx.run(cypher("ring_watchers"), lineages=sorted(by_lineage)):
            recipients[by_lineage[r["line"]]].append(Recipient(RING_WATCH, r["agency"], r["user"], r["watch"], None))
    rings_of: dict[str, list[str]] = {}
    for change in changed:
        for key in change.members:
            rings_of.setdefault(key, []).append(change.id)
    for r in tx.run(cypher("watches_for_keys"), keys=sorted(rings_of)):
        for ring_id in rings_of[r["key"]]:
            recipients[ring_id].append(Recipient(MEMBER_WATCH, r["agency"], r["user"], r["watch"], r["key"]))
    for r in tx.run(cypher("ring_case_agencies"), rings=[c.id for c in changed]):
        recipients[r["ring"]].append(Recipient(CASE_AGENCY, r["agency"], None, None, r["entity"]))
    return write_alert_rows(tx, [row for c in changed for row in ring_alert_rows(c, recipients[c.id])])


def record_merge_alerts(tx: ManagedTransaction, label: str, into: str, source: str, reasons: Sequence[str]) -> int:
    """Before `source` merges into `into`: the watches on `source` now watch `into`, and the watchers of
    either hear of it when the other node brings a document of another agency."""
    confirmed = any(str(r).startswith("confirmed:") for r in reasons)
    trigger = "same_person_confirmed" if confirmed else "merged"
    # The alert names the key the watcher watched; the other node is shown only with its documents.
    rows = [{"id": "alt-" + opaque_id("\x1f".join([trigger, into, source, r["watch"]])), "watch": r["watch"],
             "agency": r["agency"], "user": r["user"], "entity": r["target"], "label": label, "trigger": trigger,
             "events": [trigger], "sources": list(r["news"]), "other": source if r["target"] == into else into}
            for r in tx.run(cypher("merge_watchers", label=label), {"into": into, "from": source})]
    return write_alert_rows(tx, rows) if rows else 0


# What happened between two nodes, by trigger: a new candidate is news only when the other node brings
# another agency's documents (as a merge is); a decision that keeps them apart changes what any
# watcher of either watches, whoever's documents they are.
CANDIDATE, REJECTED, SPLIT = "same_person_candidate", "candidate_rejected", "split"


def record_pair_alerts(tx: ManagedTransaction, label: str, trigger: str, a: str, b: str,
                       evidence: Sequence[str] | None = None, occasion: str = "") -> int:
    """Alerts for the watchers of `a` or `b` on `trigger` between them, each naming the key it watched
    and the other one, with the other node's documents as evidence (`evidence`: these instead, as a
    split's moved documents). Idempotent by trigger, pair, watch and `occasion` (a split's decision)."""
    pair = sorted((a, b))
    rows = [{"id": "alt-" + opaque_id("\x1f".join([trigger, *pair, r["watch"], occasion])), "watch": r["watch"],
             "agency": r["agency"], "user": r["user"], "entity": r["target"], "label": label, "trigger": trigger,
             "events": [trigger], "sources": list(r["news"] if evidence is None else evidence),
             "other": b if r["target"] == a else a}
            for r in tx.run(cypher("pair_watchers", label=label), a=a, b=b, foreign_only=trigger == CANDIDATE)]
    return write_alert_rows(tx, rows) if rows else 0
