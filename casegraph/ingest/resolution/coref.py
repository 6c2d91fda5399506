"""Coreference inside one document: every PERSON mention of one real person lands on one cluster.

A court file names 张伟 with his ID in the party paragraph, then writes 张伟, 被告人张伟 or 张某 without
it. Mentions join the cluster that holds the identifying attributes: the same resident ID, the
same name (when only one person of that name is in the document), or the anonymised form of a
named party (张某 for a two-character name, 张某某 for three) when exactly one party fits. Two
people of one name with different IDs or birth dates stay apart, and an ambiguous mention stays a
cluster of its own rather than guessing. The victim of a case is not its accused: a 被害人陈婷 never
joins the cluster of a 犯罪嫌疑人陈婷 / 被告人陈婷 of the same document, nor the reverse, so a document
naming both leaves a bare 陈婷 between them unguessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casegraph import identifiers
from casegraph.ingest.resolution.names import anonymised_fits, is_anonymised
from casegraph.ingest.resolution.officials import TITLES
from casegraph.model import ACCUSED_ROLES, Mention


@dataclass(slots=True)
class PersonCluster:
    name: str
    members: list[int] = field(default_factory=list)  # indexes into the document's entities
    why: dict[int, str] = field(default_factory=dict)  # member index -> why it joined
    ric: str | None = None
    birth_date: str | None = None  # yyyy-mm-dd, or yyyy when masked
    gender: str | None = None
    addresses: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    sides: set[str] = field(default_factory=set)  # ACCUSED and/or VICTIM, from the members' role words

    @property
    def first(self) -> int:
        return min(self.members)

    @property
    def anonymised(self) -> bool:
        return is_anonymised(self.name)

    def add(self, index: int, mention: Mention, why: str) -> None:
        self.members.append(index)
        self.why[index] = why
        if mention.text not in self.aliases:
            self.aliases.append(mention.text)
        attrs = mention.attrs
        ric = attrs.get("ric")
        if ric and self.ric is None and identifiers.parse_ric(ric).valid:
            self.ric = ric
            self.birth_date = identifiers.ric_birth_date(ric)
        birth = attrs.get("birth_date")
        if isinstance(birth, str) and (self.birth_date is None or len(birth) > len(self.birth_date)):
            self.birth_date = birth if self.ric is None else self.birth_date
        if attrs.get("gender") and self.gender is None:
            self.gender = attrs["gender"]
        if attrs.get("address") and attrs["address"] not in self.addresses:
            self.addresses.append(attrs["address"])
        if attrs.get("role") and attrs["role"] not in self.roles:
            self.roles.append(attrs["role"])
        side = _side(mention)
        if side:
            self.sides.add(side)

    def opposes(self, mention: Mention) -> bool:
        """The mention's role is the other side of the case from this cluster's (victim / accused)."""
        side = _side(mention)
        return side is not None and bool(self.sides - {side})


ACCUSED = "accused"
VICTIM = "victim"
# 伙同陈婷: the name after 伙同 is an accomplice, one of the accused, though the cue gives no role
_ACCUSED_CUES = frozenset({"伙同"})


def _side(m: Mention) -> str | None:
    role = m.attrs.get("role")
    if role == "victim":
        return VICTIM
    if role in ACCUSED_ROLES or m.attrs.get("cue") in _ACCUSED_CUES:
        return ACCUSED
    return None


def _valid_ric(m: Mention) -> str | None:
    ric = m.attrs.get("ric")
    return ric if ric and identifiers.parse_ric(ric).valid else None


def _full_date(m: Mention) -> str | None:
    birth = m.attrs.get("birth_date")
    return birth if isinstance(birth, str) and len(birth) == 10 else None


def _name_key(m: Mention, name: str) -> str:
    """Officials apart: the judge 王婷 who signs a judgment is not the defendant 王婷 it names, so a
    name under an official's title never joins a party's cluster, nor the reverse."""
    return f"{name}\x00official" if m.attrs.get("cue") in _OFFICIAL_TITLES else name


_OFFICIAL_TITLES = frozenset(TITLES)


def cluster_persons(entities: list[Mention]) -> list[PersonCluster]:
    """Clusters of the document's PERSON mentions, in order of first mention."""
    persons = [(i, m, m.normalized or m.text) for i, m in enumerate(entities) if m.type == "PERSON"]
    clusters: list[PersonCluster] = []
    by_ric: dict[str, PersonCluster] = {}
    by_name: dict[str, list[PersonCluster]] = {}
    keys = {i: _name_key(m, name) for i, m, name in persons}

    def new(index: int, name: str) -> PersonCluster:
        cluster = PersonCluster(name)
        clusters.append(cluster)
        by_name.setdefault(keys[index], []).append(cluster)
        return cluster

    # Pass 1: the identified: a resident ID, else a full birth date (with the name).
    for i, m, name in persons:
        ric = _valid_ric(m)
        if ric:
            cluster = by_ric.get(ric) or new(i, name)
            by_ric[ric] = cluster
            cluster.add(i, m, "ric")
            continue
        dob = _full_date(m)
        if dob:
            same = [c for c in by_name.get(keys[i], []) if c.birth_date in (None, dob) and not c.opposes(m)]
            cluster = same[0] if len(same) == 1 else new(i, name)
            cluster.add(i, m, "name+birth_date")
    # Pass 2: a party paragraph without ID or date (masked birth year, gender) opens its own cluster
    # when its name is not yet known; so does a role word on the other side of the case from every
    # known person of the name (被害人陈婷 after the party paragraph of 犯罪嫌疑人陈婷), before the
    # bare mentions of pass 3 choose a cluster.
    placed = {i for c in clusters for i in c.members}
    for i, m, name in persons:
        known = by_name.get(keys[i], [])
        if i not in placed and known and all(c.opposes(m) for c in known):
            new(i, name).add(i, m, "role_apart_in_document")
            placed.add(i)
            continue
        if i in placed or not (m.attrs.get("birth_date") or m.attrs.get("gender")):
            continue
        known = [c for c in known if not c.opposes(m)]
        cluster = known[0] if len(known) == 1 else new(i, name)
        cluster.add(i, m, "same_name_in_document" if known else "party")
        placed.add(i)
    # Pass 3: the rest by name, then anonymised forms to the one named party they fit.
    for i, m, name in persons:
        if i in placed:
            continue
        named = by_name.get(keys[i], [])
        known = [c for c in named if not c.opposes(m)]
        if len(known) == 1:
            known[0].add(i, m, "same_name_in_document")
            continue
        if not named and is_anonymised(name):
            fits = [c for c in clusters if not c.anonymised and anonymised_fits(name, c.name)]
            if len(fits) == 1:
                fits[0].add(i, m, "anonymised_form_in_document")
                continue
        if named:  # several people of this name in one document: do not guess
            cluster = PersonCluster(name)
            clusters.append(cluster)
            cluster.add(i, m, "ambiguous_name_in_document")
            continue
        new(i, name).add(i, m, "name")
    clusters.sort(key=lambda c: c.first)
    return clusters
