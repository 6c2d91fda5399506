"""Whether two person nodes are one person: pure code over their profiles.

Strong evidence merges, each with its reason recorded on the merge:
- the same name with the same full birth date (`name+birth_date`);
- the same name among the parties of one matter: cases linked by citation, the police
  recommendation, the indictment and the judgment of one affair (`same_name_in_linked_cases`);
- an anonymised form (董某某) in the matter that fits exactly one named party, or the one party
  its particulars (birth year, an account, phone or address) point to, or a party of its
  surname with its full birth date (`anonymised_form_*_in_linked_cases`);
- the same name as the holder a bank statement names, with his resident ID, for an account the
  other is said to hold (`account_holder_of_record`, see `_holder_of_record`);
- the same name as the legal representative of the same organisation, one registered person per
  company (`legal_representative_of_organization`);
- the same name holding the same account and using the same phone, two independent identifiers
  (`same_name_account_and_phone`, see `_account_and_phone`);
- an official (judge, prosecutor, clerk) of the same name acting for the same institution
  (`same_official_of_institution`, see `_officials`).
Weaker evidence never merges by itself: the same name with one shared phone, account or address,
an anonymised form outside the matter, officials of one name in one region, or a name variant
(pinyin, a homophone: see `variants`) with a shared identifier or birth date gives a
POSSIBLY_SAME_AS candidate with a score and its reasons. Any contradiction (two resident IDs, two
birth dates or years, two genders, an investigator's rejection) keeps the two apart, whatever
else they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casegraph.i18n import N_
from casegraph.ingest.resolution.names import anonymised_fits, anonymised_surname_fits
from casegraph.ingest.resolution.variants import same_sound

MERGE = "merge"
CANDIDATE = "candidate"


@dataclass(slots=True)
class Profile:
    key: str
    name: str
    ric: str | None = None
    birth_date: str | None = None
    birth_year: str | None = None
    gender: str | None = None
    anonymised: bool = False
    identifiers: frozenset[str] = field(default_factory=frozenset)
    matter: frozenset[str] = field(default_factory=frozenset)
    rejected: frozenset[str] = field(default_factory=frozenset)
    institutions: frozenset[str] = field(default_factory=frozenset)  # agencies an official acted for
    institution_regions: frozenset[str] = field(default_factory=frozenset)
    of_record: frozenset[str] = field(default_factory=frozenset)  # accounts a bank statement says he holds
    represents: frozenset[str] = field(default_factory=frozenset)  # organisations he is the legal representative of
    victim_of: frozenset[str] = field(default_factory=frozenset)  # cases of the matters he is a victim in
    accused_of: frozenset[str] = field(default_factory=frozenset)  # … a suspect, defendant or penalised party in

    @property
    def official(self) -> bool:
        return bool(self.institutions)

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> Profile:
        year = r.get("birth_year") or (r["birth_date"][:4] if r.get("birth_date") else None)
        return cls(r["key"], r.get("name") or "", r.get("ric"), r.get("birth_date"), year, r.get("gender"),
                   bool(r.get("anonymised")), frozenset(r.get("identifiers") or ()),
                   frozenset(r.get("matter") or ()) | frozenset(r.get("cases") or ()),
                   frozenset(r.get("rejected") or ()), frozenset(r.get("institutions") or ()),
                   frozenset(r.get("institution_regions") or ()), frozenset(r.get("of_record") or ()),
                   frozenset(r.get("represents") or ()), frozenset(r.get("victim_of") or ()),
                   frozenset(r.get("accused_of") or ()))


@dataclass(frozen=True, slots=True)
class PairDecision:
    kind: str  # MERGE or CANDIDATE
    score: float
    reasons: tuple[str, ...]


def conflict(a: Profile, b: Profile) -> str | None:
    if a.ric and b.ric and a.ric != b.ric:
        return N_("different resident IDs")
    if a.birth_date and b.birth_date and a.birth_date != b.birth_date:
        return N_("different birth dates")
    if a.birth_year and b.birth_year and a.birth_year != b.birth_year:
        return N_("different birth years")
    if a.gender and b.gender and a.gender != b.gender:
        return N_("different genders")
    if b.key in a.rejected or a.key in b.rejected:
        return N_("rejected by an investigator")
    if a.victim_of & b.accused_of or a.accused_of & b.victim_of:
        return N_("victim and accused of one matter")
    return None


def decide(a: Profile, b: Profile, unique_fit: bool = False, unique_supported_fit: bool = False,
           unique_surname_fit: bool = False) -> PairDecision | None:
    """MERGE, CANDIDATE or nothing for one pair; `unique_fit`: the anonymised one of the two fits no
    other named party of their shared matter; `unique_supported_fit`: the other is the only party of
    the matter it fits, does not contradict and shares a birth year or an identifier with;
    `unique_surname_fit`: the same among every party of the matter with its surname."""
    if conflict(a, b):
        return None
    same_name = a.name == b.name and not a.anonymised
    fits = (a.anonymised and anonymised_fits(a.name, b.name)) or (b.anonymised and anonymised_fits(b.name, a.name))
    same_masked = a.name == b.name and a.anonymised
    linked = bool(a.matter & b.matter)
    shared = sorted(a.identifiers & b.identifiers)
    same_date = bool(a.birth_date and a.birth_date == b.birth_date)
    same_year = bool(a.birth_year and a.birth_year == b.birth_year)
    evidence = [f"shared:{k}" for k in shared]
    if same_name and same_date:
        return PairDecision(MERGE, 1.0, ("name+birth_date", *evidence))
    if same_name and _holder_of_record(a, b):
        return PairDecision(MERGE, 0.95, ("account_holder_of_record", *evidence))
    if same_name and a.represents & b.represents:
        # A company has one 法定代表人, on the register: the same name as the legal representative of
        # the same company is that registered person, as the holder of record is the account's.
        return PairDecision(MERGE, 0.95, ("legal_representative_of_organization", *evidence))
    if a.official or b.official:
        return _officials(a, b, same_name, linked)
    if same_name and linked:
        return PairDecision(MERGE, 0.95, ("same_name_in_linked_cases", *evidence))
    if fits and linked and unique_fit:
        return PairDecision(MERGE, 0.9, ("anonymised_form_in_linked_cases", *evidence))
    of_record = set(shared) & (a.of_record | b.of_record)
    if fits and linked and unique_supported_fit and (same_year or len(shared) >= 2 or of_record):
        # 杨某某 of a judgment fits 杨晓阳 and 杨强凯 of the indictment, but only 杨晓阳 was born in the
        # year the judgment's party paragraph gives: the particulars point to one party. Without a birth
        # year (someone named in the facts, not a party), two identifiers or an account the bank's
        # statement says the named one holds: one account a document ties to a name was once a
        # transfer's receiving account read as the sender's, and tied a 郭某某 to the wrong 郭.
        return PairDecision(MERGE, 0.85, ("anonymised_form_particulars_in_linked_cases", *evidence))
    surname_fits = anonymised_surname_fits(a.name, b.name) or anonymised_surname_fits(b.name, a.name)
    if linked and surname_fits and unique_surname_fit and same_year and shared:
        # 刘某, born 1997, living where 刘鑫豪 of the indictment lives, and no other 刘 of the matter
        # fits: a short mask (one 某 for a two-character given name) with particulars that point to one party.
        return PairDecision(MERGE, 0.85, ("anonymised_surname_particulars_in_linked_cases", *evidence))
    if linked and same_date and surname_fits:
        # 杜某, born 1975-07-04, in the judgment of the indictment that names 杜霞玉, born 1975-07-04.
        return PairDecision(MERGE, 0.9, ("anonymised_form_with_birth_date_in_linked_cases", *evidence))
    if same_name and not (a.anonymised or b.anonymised) and _account_and_phone(shared):
        return PairDecision(MERGE, 0.85, ("same_name_account_and_phone", *evidence))
    if same_masked and linked and (same_year or shared):
        return PairDecision(MERGE, 0.9, ("same_anonymised_name_in_linked_cases", *evidence))
    score = 0.0
    reasons: list[str] = []
    if same_name:
        score, reasons = 0.4, ["same_name"]
    elif fits:
        score, reasons = 0.3, ["anonymised_form"]
    elif same_masked:
        score, reasons = 0.2, ["same_anonymised_name"]
    elif not (a.anonymised or b.anonymised) and same_sound(a.name, b.name):
        score, reasons = 0.3, ["pinyin_variant"]
    else:
        return None
    if linked:
        score, reasons = score + 0.2, [*reasons, "linked_cases"]
    if same_date:
        score, reasons = score + 0.2, [*reasons, "same_birth_date"]
    elif same_year:
        score, reasons = score + 0.1, [*reasons, "same_birth_year"]
    score += 0.15 * len(shared)
    if shared or (fits and linked) or (same_date and not same_name):
        return PairDecision(CANDIDATE, round(min(score, 0.89), 2), (*reasons, *evidence))
    return None


def _holder_of_record(a: Profile, b: Profile) -> bool:
    """One of the two is the holder a bank statement names, with his resident ID, for an account the
    other is said to hold under the same name. Unlike two documents that both tie one name to an
    account (a lent card, 帮信), this is the bank's real-name record: the account has one holder,
    identified by ID at opening, and the name the document gives him is that holder's."""
    return bool((a.ric and a.of_record & b.identifiers) or (b.ric and b.of_record & a.identifiers))


def _account_and_phone(shared: list[str]) -> bool:
    """An account held in the name AND a phone used under it, both the same: two independent
    identifiers. One alone is weak: family members of one name share a phone and an address, and
    a card is lent to others (帮信 cases); but a bank account has one holder, named at opening, and
    a namesake who also uses the holder's phone is the exception no investigator would assume."""
    kinds = {k.split(":", 1)[0] for k in shared}
    return {"acct", "phone"} <= kinds


def _officials(a: Profile, b: Profile, same_name: bool, linked: bool) -> PairDecision | None:
    """Officials are named without identifiers and are no parties: an official and a party of one
    name are never merged by the matter rules. The same name acting for the same court or
    procuratorate is one official (an institution tells two officials of one name apart, or the
    reader could not); so is the same name among the officials of one matter. The same name among
    officials of one region but of different institutions and matters is only a candidate."""
    if not (same_name and a.official and b.official):
        return None
    if a.institutions & b.institutions:
        return PairDecision(MERGE, 0.95, ("same_official_of_institution",))
    if linked:
        return PairDecision(MERGE, 0.95, ("same_name_in_linked_cases",))
    if a.institution_regions & b.institution_regions:
        return PairDecision(CANDIDATE, 0.5, ("same_name", "officials_of_one_region"))
    return None


def blocks_union(members: list[Profile]) -> bool:
    """Whether a set of nodes about to become one contradicts itself."""
    for attr in ("ric", "birth_date", "birth_year", "gender"):
        values = {getattr(p, attr) for p in members if getattr(p, attr)}
        if len(values) > 1:
            return True
    victim_of = frozenset().union(*(p.victim_of for p in members))
    accused_of = frozenset().union(*(p.accused_of for p in members))
    if victim_of & accused_of:
        return True
    keys = {p.key for p in members}
    return any(p.rejected & keys for p in members)


def survivor(members: list[Profile]) -> Profile:
    """The node that stays: one keyed by resident ID, else by name and birth date, else a named one."""
    def rank(p: Profile) -> tuple[int, int, str]:
        kind = 0 if p.key.startswith("ric:") else 1 if p.key.startswith("name:") else 2
        return kind, int(p.anonymised), p.key

    return min(members, key=rank)
