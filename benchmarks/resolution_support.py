"""How much of a generated corpus' person identity can any resolver find, from the truth alone.

For every truth PERSON mention the script records where it stands (document kind, and the part of
the document: party paragraph, narration, transfer sentence, official's signature, ...) and what
the document says about that person that a resolver could use: the resident ID, the full birth
date, a phone, an account or an address that the truth gives that person. Then it joins mentions
the way the strong rules of DESIGN.md and issue 5 may (one document; one resident ID; one name and
full birth date; one matter, since its documents cite each other) and prints the pairwise recall
this allows: the ceiling of a resolver that keeps to those rules. The mention pairs left apart are
listed by the kinds and parts of the two documents, so what the generator writes can be judged
against what such a document really carries.

    PYTHONPATH=. python benchmarks/resolution_support.py tests/fixtures/corpus_small/truth.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casegraph.ingest.resolution.misses import mention_part


@dataclass(frozen=True, slots=True)
class TruthMention:
    entity: str
    name: str
    document: str
    kind: str
    matter: str | None
    part: str
    evidence: frozenset[str]  # "ric", "dob", "phone", "account", "address" the document gives
    written: str  # the form the document writes the name in (张某某 when anonymised)
    of_record: bool  # the document ties the name to an account whose bank statement names its holder


def _evidence(doc: dict[str, Any], person: dict[str, Any]) -> frozenset[str]:
    """Which of the person's own particulars this document writes (anywhere in it)."""
    found = set()
    values = defaultdict(set)
    for m in doc["mentions"]:
        values[m["type"]].add(m.get("normalized") or m["text"])
    if person.get("ric") in values["ID_NUMBER"]:
        found.add("ric")
    if person.get("birth_date") in values["DATE"]:
        found.add("dob")
    if set(person.get("phones") or ()) & values["PHONE"]:
        found.add("phone")
    if set(person.get("accounts") or ()) & values["BANK_ACCOUNT"]:
        found.add("account")
    if set(person.get("addresses") or ()) & values["ADDRESS"]:
        found.add("address")
    return frozenset(found)


def truth_mentions(truth: dict[str, Any]) -> list[TruthMention]:
    persons = {p["id"]: p for p in truth["persons"]}
    stated = {a for ledger in truth.get("ledgers", []) for a in ledger["accounts"]}
    out = []
    for doc in truth["documents"]:
        if doc.get("broken") or doc.get("kind") == "ledger" or not doc.get("mentions"):
            continue
        text = doc.get("text") or ""
        for m in doc["mentions"]:
            if m["type"] != "PERSON" or not m.get("entity"):
                continue
            person = persons[m["entity"]]
            evidence = _evidence(doc, person)
            held = set(person.get("accounts") or ()) & {x.get("normalized") for x in doc["mentions"]}
            out.append(TruthMention(m["entity"], person["name"], doc["path"], doc["kind"], doc.get("matter"),
                                    mention_part(text, m["start"], m["end"]), evidence,
                                    m.get("normalized") or m["text"], bool(held & stated)))
    return out


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        self.parent[self.find(a)] = self.find(b)


def ceiling(mentions: list[TruthMention], persons: dict[str, dict[str, Any]], with_record: bool
            ) -> tuple[int, int, Counter[str]]:
    """(pairs joined, pairs wanted, pairs left apart by the parts of their two documents)."""
    groups = _Union()
    for m in mentions:
        doc_node = ("doc", m.document, m.entity)  # in-document coreference
        groups.union(doc_node, ("matter", m.matter, m.name) if m.matter else doc_node)
        if "ric" in m.evidence:
            groups.union(doc_node, ("ric", persons[m.entity]["ric"]))
        if "dob" in m.evidence:
            groups.union(doc_node, ("name+dob", m.name, persons[m.entity]["birth_date"]))
        if with_record and m.of_record and m.written == m.name:  # the holder's name, as the bank has it
            groups.union(doc_node, ("ric", persons[m.entity]["ric"]))
    by_entity: dict[str, list[TruthMention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity].append(m)
    joined = wanted = 0
    apart: Counter[str] = Counter()
    for ms in by_entity.values():
        # Parts seen per document of this entity, and the best evidence the document gives.
        docs: dict[str, list[TruthMention]] = defaultdict(list)
        for m in ms:
            docs[m.document].append(m)
        comp = {d: groups.find(("doc", d, ms[0].entity)) for d in docs}
        names = list(docs)
        for i, a in enumerate(names):
            na = len(docs[a])
            wanted += na * (na - 1) // 2
            joined += na * (na - 1) // 2
            for b in names[i + 1:]:
                n = na * len(docs[b])
                wanted += n
                if comp[a] == comp[b]:
                    joined += n
                else:
                    apart[f"{_describe(docs[a])}  ~  {_describe(docs[b])}"] += n
    return joined, wanted, apart


def _describe(ms: list[TruthMention]) -> str:
    parts = "+".join(sorted({m.part for m in ms}))
    evidence = ",".join(sorted(ms[0].evidence)) or "nothing"
    return f"{ms[0].kind}[{parts}; {evidence}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    persons = {p["id"]: p for p in truth["persons"]}
    mentions = truth_mentions(truth)
    print(f"{len(mentions)} PERSON mentions of {len({m.entity for m in mentions})} people in "
          f"{len({m.document for m in mentions})} documents")
    parts = Counter((m.kind, m.part, ",".join(sorted(m.evidence)) or "nothing") for m in mentions)
    print("\nmentions by document kind, part and the particulars the document gives the person:")
    for (kind, part, evidence), n in sorted(parts.items()):
        print(f"{n:>6}  {kind:<27} {part:<21} {evidence}")
    joined, wanted, _ = ceiling(mentions, persons, with_record=False)
    print(f"\nceiling of the strong rules (document, resident ID, name+birth date, matter): "
          f"{joined}/{wanted} mention pairs, recall {joined / wanted:.4f}")
    joined, wanted, apart = ceiling(mentions, persons, with_record=True)
    print(f"the same and the account holder of record (a statement's holder with his 证件号码): "
          f"{joined}/{wanted} mention pairs, recall {joined / wanted:.4f}")
    print(f"pairs left apart ({wanted - joined}) by the two documents' kind[parts; evidence]:")
    for label, n in apart.most_common(args.top):
        print(f"{n:>6}  {label}")


if __name__ == "__main__":
    main()
