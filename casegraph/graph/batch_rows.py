"""A batch of documents' facts folded into one parameter row per node, fact and transfer.

The same person, account or phone recurs across the documents of a batch (and within a
document); folding it here means the server merges each key once per transaction, with the
batch's union of regions, aliases and sources, instead of once per mention. The fold keeps the
writer's per-statement semantics: list properties are ordered unions, scalar properties of later
documents override earlier ones (as `SET n += props` did row by row), and a transfer keeps the
amount and time of its first statement (as `ON CREATE SET` did), or the more exact time of a later
one (a statement's clock over the day an indictment gave).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from casegraph.graph.facts import DocumentFacts

# People and organisations go to the cross-document linker after every write.
LINKED_LABELS = frozenset({"Person", "Organization"})
MENTION = "MENTIONED_IN"
# The properties merge_nodes.cypher names when it creates a mention; a mention with any other
# property is merged by merge_rels instead, so nothing is dropped.
MENTION_PROPS = frozenset({"start", "end", "page", "text", "resolved_by", "row"})
# Node lists that most nodes leave empty: sent as null then, so that nothing is stored for them
# (an empty list is a property in every new node's record); readers coalesce them to [].
OPTIONAL_LISTS = ("aliases", "merged_on")


def _union(into: list[Any], more: Iterable[Any]) -> None:
    for item in more:
        if item not in into:
            into.append(item)


def _add_source(into: list[str], key: str, distinct_keys: bool) -> None:
    """Add the document `key` to a row's ordered sources. A batch visits each document's facts together,
    so with distinct document keys the key can only be the last one added: one comparison instead of a
    scan, which made the fold O(d²) in the number of documents d stating one entity."""
    if distinct_keys:
        if not into or into[-1] != key:
            into.append(key)
    elif key not in into:
        into.append(key)


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


@dataclass
class BatchRows:
    # label -> node rows; each may carry `mentions`, MENTIONED_IN facts towards documents that did
    # not exist before this transaction, which can therefore be created without a MERGE.
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (type, from label, to label) -> fact rows to MERGE (their key may exist already).
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    mentions: int = 0


def batch_rows(batch: Sequence[DocumentFacts], fresh_documents: set[str]) -> BatchRows:
    """Fold the batch; `fresh_documents` are the documents of the batch not in the graph before."""
    out = BatchRows()
    distinct = len({facts.key for facts in batch}) == len(batch)
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for facts in batch:
        for n in facts.nodes:
            row = nodes.get((n.label, n.key))
            if row is None:
                row = nodes[(n.label, n.key)] = {
                    "key": n.key, "props": {}, "regions": [], "aliases": [], "merged_on": [], "sources": [],
                    "pending": True if n.label in LINKED_LABELS else None, "mentions": []}
                out.nodes.setdefault(n.label, []).append(row)
            row["props"].update(_present(n.props))
            _union(row["regions"], n.regions)
            _union(row["aliases"], n.aliases)
            _union(row["merged_on"], n.merged_on)
            _add_source(row["sources"], facts.key, distinct)
    for rows in out.nodes.values():
        for row in rows:
            for name in OPTIONAL_LISTS:
                row[name] = row[name] or None
    rels: dict[tuple[str, str, str, str, str, str], dict[str, Any]] = {}
    created: set[tuple[str, str, str, str]] = set()
    for facts in batch:
        for r in facts.rels:
            out.mentions += r.type == MENTION
            owner = nodes.get((r.from_label, r.from_key))
            if (r.type == MENTION and r.to_key in fresh_documents and owner is not None
                    and MENTION_PROPS.issuperset(r.props)):
                once = (r.from_label, r.from_key, r.to_key, r.fid)
                if once not in created:
                    created.add(once)
                    # No `sources`: a mention's source is the document it points at (readers say so),
                    # and a one-element list of a 68-character key per mention was most of its record.
                    owner["mentions"].append(r.props | {"doc": r.to_key, "fid": r.fid})
                continue
            key = (r.type, r.from_label, r.to_label, r.from_key, r.to_key, r.fid)
            fact = rels.get(key)
            if fact is None:
                fact = rels[key] = {"from": r.from_key, "to": r.to_key, "fid": r.fid, "props": {}, "sources": []}
                out.rels.setdefault((r.type, r.from_label, r.to_label), []).append(fact)
            fact["props"].update(_present(r.props))
            if r.type == MENTION:
                fact["sources"] = None  # as for created mentions: the document it points at
            else:
                _add_source(fact["sources"], facts.key, distinct)
    transfers: dict[tuple[str, str, str], dict[str, Any]] = {}
    for facts in batch:
        for t in facts.transfers:
            row = transfers.get((t.from_key, t.to_key, t.fid))
            if row is None:
                row = transfers[(t.from_key, t.to_key, t.fid)] = {
                    "f": t.from_key, "t": t.to_key, "fid": t.fid, "amount": t.amount, "at": t.at,
                    "tx_id": t.tx_id, "sources": [], "debit": None, "credit": None}
                out.transfers.append(row)
            elif len(t.at) > len(row["at"]):  # a statement's time of a transfer its prose gave the day of
                row["at"], row["tx_id"] = t.at, row["tx_id"] or t.tx_id
            if t.side is not None:
                row[t.side] = True  # stored only when true: a statement saw this side of the transfer
            _add_source(row["sources"], facts.key, distinct)
    return out
