"""The synthetic population: people, companies, banks, accounts, phones and addresses.

Everything a document or ledger says is drawn from here, so the truth file can name the
canonical identity behind every mention.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import names
from .districts import BY_CODE, BY_REGION, ESTATE_WORDS, ROAD_STEMS, ROAD_SUFFIXES, District
from .identifiers import BANKS, make_card, make_corporate_account, make_phone, make_ric, make_uscc


@dataclass(slots=True)
class Account:
    number: str
    bank: str  # short code, e.g. ICBC
    branch: str  # organisation id of the opening branch
    owner: str  # person or organisation id
    owner_name: str
    is_card: bool
    owner_id_number: str = ""  # the holder's resident ID or USCC, as the bank recorded it at opening


@dataclass(slots=True)
class Person:
    id: str
    name: str
    gender: str
    birth: date
    district: District
    ric: str
    address: str
    phones: list[str] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    extra_addresses: list[str] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.district.region


@dataclass(slots=True)
class Organization:
    id: str
    name: str
    kind: str  # company | bank | platform | agency
    district: District
    uscc: str | None = None
    short_name: str | None = None
    address: str | None = None
    industry: str = ""
    legal_rep: str | None = None
    shareholders: list[str] = field(default_factory=list)
    controller: str | None = None
    accounts: list[Account] = field(default_factory=list)
    bank: str | None = None  # for bank branches: the bank's short code

    @property
    def region(self) -> str:
        return self.district.region


# Branch areas and the district each lies in, so a branch's address agrees with its name.
BRANCH_AREAS: dict[str, dict[str, str]] = {
    "CQ": {"解放碑": "500103", "观音桥": "500105", "杨家坪": "500107", "沙坪坝": "500106",
           "南坪": "500108", "两路": "500112", "大坪": "500103", "江北嘴": "500105"},
    "SC": {"春熙路": "510104", "锦江": "510104", "青羊": "510105", "武侯": "510107", "高新": "510107",
           "天府新区": "510116", "绵阳涪城": "510703", "德阳旌阳": "510603"},
}


class World:
    """Builds and holds the population; deterministic for a given random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.persons: list[Person] = []
        self.orgs: list[Organization] = []
        self.person_by_id: dict[str, Person] = {}
        self.org_by_id: dict[str, Organization] = {}
        self.branches: dict[tuple[str, str], list[Organization]] = {}  # (bank, region) -> branches
        self._org_by_name: dict[str, Organization] = {}
        self._used_numbers: set[str] = set()
        self.frozen = False

    # -- addresses -------------------------------------------------------------------------
    def street_address(self, district: District, detailed: bool = True) -> str:
        rng = self.rng
        road = rng.choice(ROAD_STEMS) + rng.choice(ROAD_SUFFIXES)
        base = f"{district.full_name}{road}{rng.randrange(1, 400)}号"
        if not detailed:
            return base
        if rng.random() < 0.5:
            estate = rng.choice(ROAD_STEMS) + rng.choice(ESTATE_WORDS)
            room = f"{rng.randrange(2, 33)}{rng.randrange(1, 9):02d}"
            return f"{base}{estate}{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{room}室"
        return f"{base}{rng.randrange(1, 30)}幢{rng.randrange(1, 33)}-{rng.randrange(1, 9)}号"

    # -- unique identifiers ------------------------------------------------------------------
    def _unique(self, make: object) -> str:
        while True:
            value = make()  # type: ignore[operator]
            if value not in self._used_numbers:
                self._used_numbers.add(value)
                return str(value)

    def new_phone(self) -> str:
        return self._unique(lambda: make_phone(self.rng))

    def new_account(self, owner: str, owner_name: str, region: str, corporate: bool,
                    id_number: str = "") -> Account:
        bank = self.rng.choice(BANKS)[0]
        branch = self.rng.choice(self.branches[(bank, region)])
        if corporate:
            number = self._unique(lambda: make_corporate_account(self.rng, bank))
        else:
            number = self._unique(lambda: make_card(self.rng, bank))
        return Account(number, bank, branch.id, owner, owner_name, not corporate, id_number)

    # -- entities --------------------------------------------------------------------------
    def add_banks(self) -> None:
        for code, legal, _, _ in BANKS:
            for region in ("CQ", "SC"):
                areas = self.rng.sample(sorted(BRANCH_AREAS[region]), 2)
                for area in areas:
                    city = "重庆" if region == "CQ" else ("成都" if area[:2] not in ("绵阳", "德阳") else "")
                    name = f"{legal}股份有限公司{city}{area}支行"
                    district = BY_CODE[BRANCH_AREAS[region][area]]
                    org = self._add_org(name, "bank", district)
                    org.address = self.street_address(district, detailed=False)
                    org.bank = code
                    self.branches.setdefault((code, region), []).append(org)

    def _add_org(self, name: str, kind: str, district: District) -> Organization:
        org = Organization(id=f"O{len(self.orgs) + 1:06d}", name=name, kind=kind, district=district)
        self.orgs.append(org)
        self.org_by_id[org.id] = org
        self._org_by_name[name] = org
        return org

    def agency_org(self, name: str, region: str) -> Organization:
        """Agencies and courts named in documents are organisations too (kind `agency`)."""
        if name in self._org_by_name:
            return self._org_by_name[name]
        if self.frozen:  # rendering may run in worker processes: nothing new may appear there
            raise RuntimeError(f"agency {name!r} was not registered before rendering")
        code = "500103" if region == "CQ" else "510104"
        return self._add_org(name, "agency", BY_CODE[code])

    def add_person(self, region: str | None = None, name: str | None = None,
                   gender: str | None = None, born_after: int = 1955, birth: date | None = None) -> Person:
        rng = self.rng
        region = region or ("CQ" if rng.random() < 0.5 else "SC")
        gender = gender or ("男" if rng.random() < 0.55 else "女")
        district = rng.choice(BY_REGION[region])
        drawn = date(born_after, 1, 1) + timedelta(days=rng.randrange(0, 365 * (2004 - born_after)))
        birth = birth or drawn
        ric = self._unique(lambda: make_ric(rng, district.code, birth, gender))
        person = Person(
            id=f"P{len(self.persons) + 1:06d}", name=name or names.person_name(rng, gender),
            gender=gender, birth=birth, district=district, ric=ric,
            address=self.street_address(district),
        )
        person.phones.append(self.new_phone())
        if rng.random() < 0.2:
            person.phones.append(self.new_phone())
        for _ in range(1 if rng.random() < 0.6 else 2):
            person.accounts.append(self.new_account(person.id, person.name, region, corporate=False,
                                                    id_number=ric))
        self.persons.append(person)
        self.person_by_id[person.id] = person
        return person

    def add_company(self, region: str | None = None, kind: str = "company") -> Organization:
        rng = self.rng
        region = region or ("CQ" if rng.random() < 0.5 else "SC")
        district = rng.choice(BY_REGION[region])
        sc_places = ("四川", "成都", "成都", district.city[:-1] or "成都")
        place = "重庆" if region == "CQ" else rng.choice(sc_places)
        while True:
            trade = names.trade_name(rng)
            industry = rng.choice(names.PLATFORM_INDUSTRIES if kind == "platform" else names.INDUSTRIES)
            name = f"{place}{trade}{industry}{rng.choice(names.COMPANY_FORMS)}"
            if name not in self._org_by_name:
                break
        org = self._add_org(name, kind, district)
        org.uscc = self._unique(lambda: make_uscc(rng, district.code))
        org.short_name = f"{trade}公司" if rng.random() < 0.7 else f"{trade}{industry[:2]}"
        org.industry = industry
        org.address = self.street_address(district)
        org.accounts.append(self.new_account(org.id, org.name, region, corporate=True,
                                                 id_number=org.uscc))
        if rng.random() < 0.3:
            org.accounts.append(self.new_account(org.id, org.name, region, corporate=True,
                                                 id_number=org.uscc))
        return org

    def set_control(self, org: Organization, legal_rep: Person, shareholders: list[Person],
                    controller: Person | None) -> None:
        org.legal_rep = legal_rep.id
        org.shareholders = [p.id for p in shareholders]
        org.controller = controller.id if controller else None

    def person(self, pid: str) -> Person:
        return self.person_by_id[pid]

    def org(self, oid: str) -> Organization:
        return self.org_by_id[oid]
