"""The linker's reads and writes (`resolution.link_store.LinkStore`) on the bulk load's in-memory graph.

Each method answers as the named statement of the same name does on Neo4j (person_profiles.cypher,
persons_named.cypher, …), so the linker's rules decide the same merges and candidates before the
importer writes the store as they would after a transactional ingest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from casegraph.graph.batch_rows import MENTION
from casegraph.graph.linking import SHARED_EVIDENCE_MAX_DEGREE
from casegraph.graph.memory_graph import MemoryGraph, Ref
from casegraph.model import ACCUSED_ROLES

IDENTIFIER_RELS = ("USES", "HOLDS", "LOCATED_AT")
MATTER_HOPS = 3  # (c)-[:CITES*0..3]-(linked:Case)
CANDIDATE = "POSSIBLY_SAME_AS"


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class MemoryLinks:
    def __init__(self, graph: MemoryGraph, rejected: dict[str, set[str]]) -> None:
        self.graph = graph
        self.rejected = rejected  # the serving store's decisions (rejected_pairs.cypher), carried over
        self._matters: dict[str, frozenset[str]] = {}
        self._document_cases: dict[str, list[str]] = {}

    def _of_label(self, label: str) -> Iterable[tuple[Ref, dict[str, Any]]]:
        return ((ref, props) for ref, props in self.graph.nodes.items() if ref[0] == label)

    def pending(self, label: str) -> list[str]:
        return [ref[1] for ref, props in self._of_label(label) if props.get("pending") is True]

    def clear_pending(self, label: str, keys: Sequence[str]) -> None:
        for key in keys:
            props = self.graph.nodes.get((label, key))
            if props is not None:
                props.pop("pending", None)

    def rejected_pairs(self) -> dict[str, set[str]]:
        return self.rejected

    def _matter(self, case: str) -> frozenset[str]:
        """The cases within three CITES of `case`, either way, itself included (cases never merge)."""
        if case not in self._matters:
            seen, frontier = {case}, [case]
            for _ in range(MATTER_HOPS):
                ahead = []
                for c in frontier:
                    ref = ("Case", c)
                    for other, _ in [*self.graph.out_rels(ref, "CITES"), *self.graph.in_rels(ref, "CITES")]:
                        if other[0] == "Case" and other[1] not in seen:
                            seen.add(other[1])
                            ahead.append(other[1])
                frontier = ahead
            self._matters[case] = frozenset(seen)
        return self._matters[case]

    def _cases_of_document(self, document: str) -> list[str]:
        if document not in self._document_cases:
            self._document_cases[document] = _distinct(
                ref[1] for ref, _ in self.graph.out_rels(("Document", document), "OF_CASE") if ref[0] == "Case")
        return self._document_cases[document]

    def _matters_of(self, cases: Iterable[str]) -> list[str]:
        return _distinct(linked for case in cases for linked in sorted(self._matter(case)))

    def _profile(self, ref: Ref, props: dict[str, Any]) -> dict[str, Any]:
        g = self.graph
        identifiers = _distinct(x[1] for rel in IDENTIFIER_RELS for x, _ in g.out_rels(ref, rel))
        of_record = _distinct(x[1] for x, r in g.out_rels(ref, "HOLDS")
                              if x[0] == "Account" and r.get("of_record") is True)
        represents = _distinct(x[1] for x, _ in g.out_rels(ref, "LEGAL_REP_OF") if x[0] == "Organization")
        acts = [(x, r) for x, r in g.out_rels(ref, "ACTS_FOR") if x[0] == "Agency"]
        institutions = _distinct(x[1] if r.get("issuer") is None else r["issuer"] for x, r in acts)
        regions = _distinct(g.props(x)["region"] for x, _ in acts if g.props(x).get("region") is not None)
        cases = _distinct(c for x, _ in g.out_rels(ref, MENTION) if x[0] == "Document"
                          for c in self._cases_of_document(x[1]))
        roles = [(x[1], r.get("role")) for x, r in g.out_rels(ref, "ROLE_IN") if x[0] == "Case"]
        rejected = _distinct(x[1] for x, r in [*g.out_rels(ref, CANDIDATE), *g.in_rels(ref, CANDIDATE)]
                             if x[0] == "Person" and r.get("status") == "rejected")
        return {"key": ref[1], "name": props.get("name"), "ric": props.get("ric"),
                "birth_date": props.get("birth_date"), "birth_year": props.get("birth_year"),
                "gender": props.get("gender"), "anonymised": bool(props.get("anonymised")),
                "identifiers": identifiers, "cases": cases, "matter": self._matters_of(cases),
                "institutions": institutions, "institution_regions": regions, "of_record": of_record,
                "represents": represents,
                "victim_of": self._matters_of(case for case, role in roles if role == "victim"),
                "accused_of": self._matters_of(case for case, role in roles if role in ACCUSED_ROLES),
                "rejected": rejected}

    def person_profiles(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        found = ((("Person", key), self.graph.nodes.get(("Person", key))) for key in sorted(set(keys)))
        return [self._profile(ref, props) for ref, props in found if props is not None]

    def persons_named(self, names: Iterable[str]) -> dict[str, list[str]]:
        wanted = set(names)
        out: dict[str, list[str]] = defaultdict(list)
        for ref, props in self._of_label("Person"):
            if props.get("name") in wanted:
                out[props["name"]].append(ref[1])
        return dict(out)

    def persons_sharing_evidence(self, keys: Iterable[str]) -> dict[str, list[str]]:
        g = self.graph
        born: dict[str, list[Ref]] = defaultdict(list)
        for ref, person in self._of_label("Person"):
            if person.get("birth_date") is not None:
                born[person["birth_date"]].append(ref)
        holders_of: dict[Ref, list[Ref]] = {}  # a bank branch's address is everyone's: counted once
        out: dict[str, list[str]] = {}
        for key in sorted(set(keys)):
            ref = ("Person", key)
            props = g.nodes.get(ref)
            if props is None:
                continue
            name = props.get("name")
            others: list[Ref] = []
            for rel in IDENTIFIER_RELS:
                for x, _ in g.out_rels(ref, rel):
                    holders = holders_of.get(x)
                    if holders is None:
                        holders = holders_of[x] = [q for r2 in IDENTIFIER_RELS for q, _ in g.in_rels(x, r2)
                                                   if q[0] == "Person"]
                    if len(holders) <= SHARED_EVIDENCE_MAX_DEGREE:
                        others += holders
            if props.get("birth_date") is not None:
                others += born[props["birth_date"]]
            found = _distinct(q[1] for q in others
                              if q != ref and name is not None and g.nodes[q].get("name") not in (None, name))
            if found:
                out[key] = found
        return out

    def persons_of_cases(self, cases: Iterable[str]) -> list[str]:
        g = self.graph
        return _distinct(q[1] for case in sorted(set(cases))
                         for d, _ in g.in_rels(("Case", case), "OF_CASE") if d[0] == "Document"
                         for q, _ in g.in_rels(d, MENTION) if q[0] == "Person")

    def organizations_named(self, names: Iterable[str]) -> dict[str, list[str]]:
        wanted = set(names)
        out: dict[str, list[str]] = defaultdict(list)
        for ref, props in self._of_label("Organization"):
            if props.get("name") in wanted and props.get("uscc") is not None:
                out[props["name"]].append(ref[1])
        return dict(out)

    def organization_profiles(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        found = ((key, self.graph.nodes.get(("Organization", key))) for key in sorted(set(keys)))
        return [{"key": key, "name": p.get("name"), "uscc": p.get("uscc")} for key, p in found if p is not None]

    def merge_nodes(self, label: str, merges: Sequence[tuple[str, str, list[str]]]) -> int:
        return sum(self.graph.merge(label, into, source, reasons) for into, source, reasons in merges)

    def upsert_candidates(self, label: str, rows: Sequence[dict[str, Any]]) -> None:
        """upsert_candidates.cypher: an open POSSIBLY_SAME_AS, never reopened once decided."""
        now = datetime.now(UTC)
        for row in rows:
            a, b = (label, row["a"]), (label, row["b"])
            if a not in self.graph.nodes or b not in self.graph.nodes:
                continue
            key = (CANDIDATE, a, b, "")
            if key not in self.graph.rels:
                self.graph.add_rel(CANDIDATE, a, b, {"fid": "", "status": "open", "created_at": now})
            rel = self.graph.rels[key]
            if rel.get("status") == "open":
                rel.update(score=row["score"], reasons=list(row["reasons"]))
