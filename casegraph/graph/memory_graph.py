"""The bulk load's graph in memory: the folded facts as nodes and relationships, before the CSV.

The cross-document linker runs on it (`memory_links.MemoryLinks`) so that Neo4j's importer writes
already-resolved people and organisations, instead of the linker reading them back from a cold
store after the switch. A merge here does what `merge_node_into.cypher` does on the graph, to the
property: the merged node's facts move to the survivor (parallel facts join on type, far end and
`fid`, their sources unite), its identity and provenance are kept, and its key becomes a
`KeyAlias`. Ledger transfers stay out: they join accounts, which the linker never merges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from casegraph.graph.batch_rows import MENTION, BatchRows

Ref = tuple[str, str]  # (label, key); an Agency's key is its id
RelKey = tuple[str, Ref, Ref, str]  # (type, start, end, fid)
MENTION_FIELDS = ("fid", "start", "end", "page", "text", "resolved_by", "row")


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def _union(into: list[Any] | None, more: list[Any]) -> list[Any]:
    """`reduce(acc = coalesce(into, []), a IN more | CASE WHEN a IS NULL OR a IN acc …)` of the statement."""
    out = list(into or [])
    seen = set(out)  # membership by hash: a hub's merges would otherwise cost |into| × |more|
    for item in more:
        if item is not None and item not in seen:
            seen.add(item)
            out.append(item)
    return out


@dataclass
class MemoryGraph:
    nodes: dict[Ref, dict[str, Any]] = field(default_factory=dict)
    rels: dict[RelKey, dict[str, Any]] = field(default_factory=dict)
    out: defaultdict[Ref, set[RelKey]] = field(default_factory=lambda: defaultdict(set))
    into: defaultdict[Ref, set[RelKey]] = field(default_factory=lambda: defaultdict(set))
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> the serving store's properties
    key_aliases: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, documents: list[dict[str, Any]], rows: BatchRows,
                  agencies: dict[str, dict[str, Any]]) -> MemoryGraph:
        """The nodes and facts the writer's statements would store (merge_documents, merge_nodes,
        merge_rels): the same properties, nulls left out, a fact whose end is missing skipped."""
        graph = cls(agencies=agencies)
        for document in documents:
            graph.nodes[("Document", document["key"])] = document
        for label, node_rows in rows.nodes.items():
            for row in node_rows:
                props = {"key": row["key"], "regions": row["regions"], "aliases": row["aliases"],
                         "merged_on": row["merged_on"], "sources": row["sources"]} | row["props"]
                props["pending"] = row["pending"]
                graph.nodes[(label, row["key"])] = props
        for label, node_rows in rows.nodes.items():
            for row in node_rows:
                for m in row["mentions"]:
                    graph.add_rel(MENTION, (label, row["key"]), ("Document", m["doc"]),
                                  _present({name: m.get(name) for name in MENTION_FIELDS}))
        for (rel_type, from_label, to_label), rel_rows in rows.rels.items():
            for fact in rel_rows:
                start, end = (from_label, fact["from"]), (to_label, fact["to"])
                if graph.has(start) and graph.has(end):
                    graph.add_rel(rel_type, start, end,
                                  _present({"fid": fact["fid"], "sources": fact["sources"]} | fact["props"]))
        return graph

    def has(self, ref: Ref) -> bool:
        return ref in self.nodes or (ref[0] == "Agency" and ref[1] in self.agencies)

    def props(self, ref: Ref) -> dict[str, Any]:
        return self.agencies[ref[1]] if ref[0] == "Agency" else self.nodes[ref]

    def add_rel(self, rel_type: str, start: Ref, end: Ref, props: dict[str, Any]) -> None:
        key = (rel_type, start, end, props.get("fid") or "")
        self.rels[key] = props
        self.out[start].add(key)
        self.into[end].add(key)

    def out_rels(self, ref: Ref, rel_type: str) -> Iterator[tuple[Ref, dict[str, Any]]]:
        for key in self.out.get(ref, ()):
            if key[0] == rel_type:
                yield key[2], self.rels[key]

    def in_rels(self, ref: Ref, rel_type: str) -> Iterator[tuple[Ref, dict[str, Any]]]:
        for key in self.into.get(ref, ()):
            if key[0] == rel_type:
                yield key[1], self.rels[key]

    def _drop_rel(self, key: RelKey) -> dict[str, Any] | None:
        props = self.rels.pop(key, None)
        if props is not None:
            self.out[key[1]].discard(key)
            self.into[key[2]].discard(key)
        return props

    def _join_rel(self, rel_type: str, start: Ref, end: Ref, props: dict[str, Any]) -> None:
        """`MERGE (start)-[n:T {fid: coalesce(props.fid, '')}]->(end) SET n += props` with sources united."""
        fid = props.get("fid")
        key = (rel_type, start, end, "" if fid is None else fid)
        existing = self.rels.get(key)
        before = list((existing or {}).get("sources") or [])
        joined = {"fid": key[3]} | (existing or {}) | props
        joined["sources"] = _union(before, list(props.get("sources") or []))
        if existing is None:
            self.out[start].add(key)
            self.into[end].add(key)
        self.rels[key] = joined

    def merge(self, label: str, into: str, source: str, reasons: list[str]) -> bool:
        """Merge node `source` into node `into` as merge_node_into.cypher does; False when either is gone."""
        s, m = (label, into), (label, source)
        if s == m or s not in self.nodes or m not in self.nodes:
            return False
        for key in list(self.out.get(m, ())):
            props = self._drop_rel(key)
            if props is not None and key[2] not in (s, m):
                self._join_rel(key[0], s, key[2], props)
        for key in list(self.into.get(m, ())):
            props = self._drop_rel(key)
            if props is not None and key[1] not in (s, m):
                self._join_rel(key[0], key[1], s, props)
        sp, mp = self.nodes[s], self.nodes.pop(m)
        self.out.pop(m, None)
        self.into.pop(m, None)
        s_anon, m_anon = bool(sp.get("anonymised")), bool(mp.get("anonymised"))
        name = mp.get("name") if s_anon and not m_anon else sp.get("name")
        sp["name"] = next((n for n in (name, sp.get("name"), mp.get("name")) if n is not None), None)
        sp["anonymised"] = s_anon and m_anon
        for prop in ("ric", "uscc", "birth_date", "birth_year", "gender"):
            sp[prop] = sp.get(prop) if sp.get(prop) is not None else mp.get(prop)
        sp["aliases"] = _union(sp.get("aliases"), [*(mp.get("aliases") or []), mp.get("name")])
        sp["regions"] = _union(sp.get("regions"), list(mp.get("regions") or []))
        sp["sources"] = _union(sp.get("sources"), list(mp.get("sources") or []))
        sp["merged_on"] = _union(sp.get("merged_on"), [*(mp.get("merged_on") or []), *reasons])
        sp["merged_keys"] = [*(sp.get("merged_keys") or []), source, *(mp.get("merged_keys") or [])]
        log = source + " <- " + "".join(r + " " for r in reasons)
        sp["merge_log"] = [*(sp.get("merge_log") or []), log, *(mp.get("merge_log") or [])]
        for alias in self.key_aliases.values():
            if alias["target"] == source:
                alias["target"] = into
        self.key_aliases.setdefault(source, {"key": source}).update(target=into, label=label)
        return True
