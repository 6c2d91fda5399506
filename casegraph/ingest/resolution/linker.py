"""The cross-document linker: after a write, look at the people and organisations written since the
last pass (`pending`), merge those the evidence says are one, and propose candidates for the rest.

Runs in rounds: a merge gives the surviving node more cases and identifiers, which may settle
another pair; it stops when a round merges nothing. A crash between a write and this pass leaves
the nodes pending, so the next run links them: the result does not depend on where a run stopped.
The rules read and write through a `LinkStore`: the graph after an ingest, or the bulk load's
in-memory graph before its store is written (the same rules, so the same result).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from neo4j import Driver

from casegraph.graph.linking import GraphLinks
from casegraph.ingest.resolution.link_store import LinkStore
from casegraph.ingest.resolution.names import anonymised_fits, anonymised_surname_fits
from casegraph.ingest.resolution.scoring import (
    CANDIDATE,
    MERGE,
    PairDecision,
    Profile,
    blocks_union,
    conflict,
    decide,
    survivor,
)

MAX_ROUNDS = 4


@dataclass
class LinkReport:
    merges: int = 0
    candidates: int = 0
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class _Components:
    """Union-find that refuses a union whose members contradict each other."""

    def __init__(self, profiles: dict[str, Profile]) -> None:
        self.profiles = profiles
        self.parent = {k: k for k in profiles}
        self.members = {k: [k] for k in profiles}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        joined = self.members[ra] + self.members[rb]
        if blocks_union([self.profiles[k] for k in joined]):
            return False
        self.parent[rb] = ra
        self.members[ra] = joined
        del self.members[rb]
        return True


def _supported(masked: Profile, q: Profile) -> bool:
    """No contradiction (a different birth year or gender rules a party out) and the same birth year
    or a shared account, phone or address."""
    return conflict(masked, q) is None and bool(
        (masked.birth_year and masked.birth_year == q.birth_year) or masked.identifiers & q.identifiers)


def _people(profiles: list[Profile]) -> set[str]:
    """The names of `profiles`, a name standing for two people (`name#2`) when two nodes of it
    contradict each other (two resident IDs, birth dates, genders): namesakes of one matter, a
    defendant 陈婷 and a victim 陈婷, leave 陈某 nobody to point to."""
    by_name: dict[str, list[Profile]] = defaultdict(list)
    for p in profiles:
        by_name[p.name].append(p)
    out: set[str] = set()
    for name, group in by_name.items():
        out.add(name)
        if any(conflict(x, y) for i, x in enumerate(group) for y in group[i + 1:]):
            out.add(f"{name}#2")
    return out


class _MatterPeople:
    """The people of the pending ones' matters, found by case: comparing each pending person with
    every person of every matter grew with the square of the people (all of them pending after a
    bulk load); the same people, those sharing a case of the matter, are found by their cases."""

    def __init__(self, people: list[Profile]) -> None:
        self.by_case: dict[str, list[Profile]] = defaultdict(list)
        for q in people:
            for case in q.matter:
                self.by_case[case].append(q)
        self.fits: dict[str, tuple[set[str], set[str], set[str]]] = {}

    def of(self, p: Profile) -> list[Profile]:
        """Everyone sharing a case of `p`'s matter (`q.matter & p.matter`), `p` included."""
        found: dict[str, Profile] = {}
        for case in sorted(p.matter):
            for q in self.by_case.get(case, ()):
                found.setdefault(q.key, q)
        return list(found.values())

    def fitting_names(self, masked: Profile) -> tuple[set[str], set[str], set[str]]:
        if masked.key not in self.fits:
            self.fits[masked.key] = _fitting_names(masked, self.of(masked))
        return self.fits[masked.key]


def _fitting_names(masked: Profile, of_matter: list[Profile]) -> tuple[set[str], set[str], set[str]]:
    """The named parties of the masked one's matter (`of_matter`) that its anonymised form fits: all of
    them, those the masked one's own particulars point to, and those its particulars point to among
    every party of its surname (a court also writes 刘某 for 刘鑫豪)."""
    fits = [q for q in of_matter if anonymised_fits(masked.name, q.name)]
    supported = _people([q for q in fits if _supported(masked, q)])
    by_surname = _people([q for q in of_matter
                          if anonymised_surname_fits(masked.name, q.name) and _supported(masked, q)])
    return _people(fits), supported, by_surname


def _pairs(pending: list[Profile], profiles: dict[str, Profile], by_name: dict[str, list[str]],
           in_matter: list[str], sharing: dict[str, list[str]]) -> dict[tuple[str, str], PairDecision]:
    decisions: dict[tuple[str, str], PairDecision] = {}
    matter_people = _MatterPeople([profiles[k] for k in in_matter if k in profiles])
    for p in pending:
        partners = {k for k in by_name.get(p.name, []) if k != p.key} | set(sharing.get(p.key, ()))
        for q in matter_people.of(p):
            if q.key == p.key:
                continue
            if (p.anonymised and anonymised_surname_fits(p.name, q.name)) or (
                    q.anonymised and anonymised_surname_fits(q.name, p.name)):
                partners.add(q.key)
        for key in partners:
            if key not in profiles:
                continue
            q = profiles[key]
            masked = p if p.anonymised else q
            every, supported, by_surname = (matter_people.fitting_names(masked) if masked.anonymised
                                            else (set(), set(), set()))
            other = q if masked is p else p
            decision = decide(p, q, unique_fit=len(every) == 1, unique_supported_fit=supported == {other.name},
                              unique_surname_fit=by_surname == {other.name})
            if decision is not None:
                decisions[tuple(sorted((p.key, q.key)))] = decision  # type: ignore[index]
    return decisions


def _link_persons_round(store: LinkStore, keys: list[str], report: LinkReport) -> list[str]:
    """One round over `keys`; returns the surviving nodes of this round's merges."""
    pending = [Profile.from_record(r) for r in store.person_profiles(keys)]
    if not pending:
        return []
    names = {p.name for p in pending if p.name}
    by_name = store.persons_named(names)
    matters = {c for p in pending if p.anonymised or p.name for c in p.matter}
    in_matter = store.persons_of_cases(matters) if matters else []
    sharing = store.persons_sharing_evidence(keys)
    wanted = {k for ks in by_name.values() for k in ks} | set(in_matter) | {k for ks in sharing.values() for k in ks}
    profiles = {p.key: p for p in pending}
    missing = wanted - profiles.keys()
    profiles.update({r["key"]: Profile.from_record(r) for r in store.person_profiles(missing)})
    for key, apart in store.rejected_pairs().items():
        if key in profiles:
            profiles[key].rejected = profiles[key].rejected | apart
    decisions = _pairs(pending, profiles, by_name, in_matter, sharing)
    components = _Components(profiles)
    why: dict[str, list[str]] = defaultdict(list)
    for (a, b), decision in sorted(decisions.items(), key=lambda item: -item[1].score):
        if decision.kind == MERGE and components.union(a, b):
            why[a].extend(decision.reasons[:1])
            why[b].extend(decision.reasons[:1])
    merges: list[tuple[str, str, list[str]]] = []
    for members in components.members.values():
        if len(members) < 2:
            continue
        keep = survivor([profiles[k] for k in members])
        for key in sorted(members):
            if key != keep.key:
                reasons = sorted(set(why[key])) or ["linked"]
                merges.append((keep.key, key, reasons))
                for reason in reasons:
                    report.reasons[reason] += 1
    report.merges += store.merge_nodes("Person", merges)
    candidates = []
    for (a, b), decision in decisions.items():
        ra, rb = components.find(a), components.find(b)
        if decision.kind == CANDIDATE and ra != rb:
            ka = survivor([profiles[k] for k in components.members[ra]]).key
            kb = survivor([profiles[k] for k in components.members[rb]]).key
            first, second = sorted((ka, kb))
            candidates.append({"a": first, "b": second, "score": decision.score, "reasons": list(decision.reasons)})
    store.upsert_candidates("Person", candidates)
    report.candidates += len(candidates)
    store.clear_pending("Person", keys)
    return sorted({into for into, _, _ in merges})


def _link_organizations(store: LinkStore, report: LinkReport) -> None:
    keys = store.pending("Organization")
    if not keys:
        return
    named = [p for p in store.organization_profiles(keys) if not p.get("uscc") and p.get("name")]
    registered = store.organizations_named({p["name"] for p in named})
    merges = []
    for profile in named:
        targets = registered.get(profile["name"], [])
        if len(targets) == 1:  # two registered companies of one name: leave it to a person
            merges.append((targets[0], profile["key"], ["name_of_registered_organization"]))
            report.reasons["name_of_registered_organization"] += 1
    report.merges += store.merge_nodes("Organization", merges)
    store.clear_pending("Organization", keys)


def link_pending(driver: Driver, database: str) -> LinkReport:
    return link_store(GraphLinks(driver, database))


def link_store(store: LinkStore) -> LinkReport:
    report = LinkReport()
    _link_organizations(store, report)
    keys = store.pending("Person")
    for _ in range(MAX_ROUNDS):
        if not keys:
            break
        keys = _link_persons_round(store, keys, report)
    return report
