"""Why resolution missed a pair: the person mentions that the truth says are one man but that landed on
two nodes, grouped by the evidence the two nodes had (`casegraph eval resolution --misses`).

A pair of nodes of one truth person gets the first cause that fits, in this order: a contradiction
between the nodes (an extraction error), an official named without identifier (judges,
prosecutors, clerks, reporting officers), an open POSSIBLY_SAME_AS between them, cases the graph links as one
matter, the same matter in the truth that the graph does not link, a resident ID on one side only,
and the rest. Each cause counts mention pairs, the unit of the pairwise recall.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from neo4j import Driver

from casegraph.graph import linking
from casegraph.i18n import gettext
from casegraph.ingest.resolution.officials import official_title
from casegraph.ingest.resolution.scoring import Profile, conflict


@dataclass(frozen=True, slots=True)
class AlignedMention:
    """A truth PERSON mention and the node its extracted twin landed on."""

    entity: str
    node: str
    document: str  # doc:<sha256>
    matter: str | None  # the truth's matter id of the document
    official: bool
    where: str = ""  # document kind and the part of it that names the person (`mention_part`)


@dataclass
class MissReport:
    pairs: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # cause -> missed mention pairs
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # cause -> "kind[part] ~ kind[part]" of the two mentions -> missed pairs
    places: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def total(self) -> int:
        return sum(self.pairs.values())


def _cause(a: Profile, b: Profile, mentions_a: list[AlignedMention], mentions_b: list[AlignedMention],
           candidate: bool) -> str:
    # The causes are only grouped and printed: worded in the reader's language where they arise.
    clash = conflict(a, b)
    if clash:
        return gettext("contradiction: {clash}").format(clash=gettext(clash))
    same_name = gettext("same name") if a.name == b.name else gettext("different written forms")
    if all(m.official for m in mentions_a + mentions_b):
        shared = gettext("same institution") if a.institutions & b.institutions else gettext("other institutions")
        return gettext("official without identifier, {shared}{candidate} ({same_name})").format(
            shared=shared, candidate=gettext(", open candidate") if candidate else "", same_name=same_name)
    if candidate:
        evidence = ", ".join(sorted({gettext("shared {kind}").format(kind=k.split(":")[0])
                                     for k in a.identifiers & b.identifiers}))
        return gettext("open candidate: {evidence} ({same_name})").format(
            evidence=evidence or gettext("no shared identifier"), same_name=same_name)
    if a.matter & b.matter:
        return gettext("graph links their cases as one matter ({same_name})").format(same_name=same_name)
    truth_a = {m.matter for m in mentions_a if m.matter}
    if truth_a & {m.matter for m in mentions_b if m.matter}:
        return gettext("same matter in truth, cases not linked in the graph ({same_name})").format(same_name=same_name)
    if bool(a.ric) != bool(b.ric):
        return gettext("resident ID on one side only, unrelated matters ({same_name})").format(same_name=same_name)
    if a.birth_date or b.birth_date:
        return gettext("birth date on one side only, unrelated matters ({same_name})").format(same_name=same_name)
    return gettext("name only, unrelated matters ({same_name})").format(same_name=same_name)


def classify_misses(driver: Driver, database: str, mentions: list[AlignedMention],
                    candidate_pairs: set[frozenset[str]], examples: int = 3) -> MissReport:
    by_entity: dict[str, dict[str, list[AlignedMention]]] = defaultdict(lambda: defaultdict(list))
    for m in mentions:
        by_entity[m.entity][m.node].append(m)
    split = {e: nodes for e, nodes in by_entity.items() if len(nodes) > 1}
    keys = {n for nodes in split.values() for n in nodes}
    profiles = {r["key"]: Profile.from_record(r) for r in linking.person_profiles(driver, database, keys)}
    report = MissReport()
    for entity, nodes in sorted(split.items()):
        for a, b in combinations(sorted(nodes), 2):
            pa, pb = profiles.get(a), profiles.get(b)
            if pa is None or pb is None:
                continue
            cause = _cause(pa, pb, nodes[a], nodes[b], frozenset((a, b)) in candidate_pairs)
            report.pairs[cause] += len(nodes[a]) * len(nodes[b])
            for ma in nodes[a]:
                for mb in nodes[b]:
                    report.places[cause][" ~ ".join(sorted((ma.where, mb.where)))] += 1
            if len(report.examples[cause]) < examples:
                report.examples[cause].append(f"{entity}: {a} ({pa.name}) ~ {b} ({pb.name})")
    return report


def format_misses(report: MissReport, places: int = 4) -> str:
    lines = [gettext("missed PERSON pairs by cause ({n} pairs):").format(n=report.total)]
    for cause, n in sorted(report.pairs.items(), key=lambda item: -item[1]):
        lines.append(f"{n:>7}  {cause}")
        lines.extend("           " + gettext("e.g. {example}").format(example=example) for example in report.examples[cause])
        lines.extend("         " + gettext("{k} at {place}").format(k=f"{k:>5}", place=place)
                     for place, k in report.places[cause].most_common(places))
    return "\n".join(lines)


def truth_mention_facts(doc: dict[str, Any], mention: dict[str, Any]) -> tuple[str | None, bool, str]:
    """(matter, official, where) of a truth mention, from its document."""
    text = doc.get("text") or ""
    where = f"{doc.get('kind')} ({mention_part(text, mention['start'], mention['end'])})"
    return doc.get("matter"), official_title(text, mention["start"]) is not None, where


_PARTY_AFTER = re.compile(r"^[，,](男|女)[，,]")
_TRANSFER_AFTER = re.compile(r"^(通过其|使用其|名下|的账户|控制的账户)")


def mention_part(text: str, start: int, end: int) -> str:
    """Where in its document a PERSON mention stands, from the words around it: the part of a case
    file decides what it can say about the person (a party paragraph gives particulars, a transfer
    sentence an account, an official's signature nothing)."""
    if official_title(text, start):
        return "official"
    before = text[max(0, start - 8):start]
    after = text[end:end + 8]
    if _PARTY_AFTER.match(after):
        return "party paragraph"
    if "基本情况" in before:
        return "particulars line"
    if "法定代表人" in before:
        return "legal representative"
    if "被害人" in before and after.startswith("，联系电话"):
        return "victim line"
    if "可疑主体" in before:
        return "reported party"
    if "实际控制人" in before:
        return "controller"
    if _TRANSFER_AFTER.match(after) or before.endswith("向"):
        return "transfer sentence"
    return "narration"
