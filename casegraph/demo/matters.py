"""Matters: one criminal or administrative case and the chain of documents it produces.

A ring yields a main matter in its home region (regulator penalty -> police filing ->
recommendation -> indictment -> judgment, each citing the one before) and a laundering
matter in the other region that names the same controller; background matters are the
ordinary fraud cases around them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from .agencies import case_number, court_for, procuratorate_name
from .districts import BY_REGION, District
from .flows import Tx
from .rings import Ring
from .world import Organization, Person, World

CHAIN: Final[tuple[str, ...]] = (
    "risk_alert", "penalty_decision", "filing_decision", "prosecution_recommendation", "indictment",
    "judgment",
)
HOLDER: Final[dict[str, str]] = {
    "risk_alert": "regulator", "penalty_decision": "regulator", "str_report": "regulator",
    "filing_decision": "police", "prosecution_recommendation": "police",
    "indictment": "procuratorate", "judgment": "procuratorate",
}


@dataclass(slots=True)
class Matter:
    id: str
    region: str
    district: District
    charge: str
    suspects: list[Person]
    companies: list[Organization]
    victims: list[Person]
    witnesses: list[Person]
    transfers: list[Tx]
    total_cents: int
    victim_count: int
    start: date
    end: date
    kinds: list[str]
    ring: Ring | None = None
    upstream: Person | None = None  # the ring controller a laundering matter names
    upstream_matter: Matter | None = None  # the other region's matter whose police passed on the lead
    numbers: dict[str, str] = field(default_factory=dict)
    dates: dict[str, date] = field(default_factory=dict)
    officials: dict[str, list[Person]] = field(default_factory=dict)
    str_flow: int = 0  # the ring flow a suspicious-transaction report describes

    @property
    def court(self) -> str:
        return court_for(self.district).name

    def holder(self, kind: str) -> str:
        return f"{self.region.lower()}-{HOLDER[kind]}"

    def cited(self, kind: str) -> str | None:
        """The case number a document of `kind` cites: the nearest earlier link in the chain."""
        earlier = [k for k in CHAIN[: CHAIN.index(kind)] if k in self.numbers and k != "risk_alert"]
        if kind == "filing_decision":
            earlier = [k for k in earlier if k == "penalty_decision"]
        return self.numbers[earlier[-1]] if earlier else None

    def lead_from(self) -> Matter | None:
        """The upstream matter whose police found this laundering and passed it on (线索移送), citing
        its 立案决定书: how a cross-region laundering case is opened and what its police papers cite."""
        up = self.upstream_matter
        return up if up is not None and "filing_decision" in up.numbers else None


class Staff:
    """The officials of each institution: a court's judges and clerks, a procuratorate's prosecutors,
    a bank branch's reporting officers. An official works for ONE institution, so every document an
    institution issues draws its signatories from that institution's own staff."""

    def __init__(self, world: World, rng: random.Random, size: dict[str, int]) -> None:
        self.world = world
        self.rng = rng
        self.size = size  # institution kind -> staff drawn per institution
        self.by_institution: dict[str, list[Person]] = {}

    def of(self, institution: str, kind: str, region: str) -> list[Person]:
        staff = self.by_institution.get(institution)
        if staff is None:
            staff = [self.world.add_person(region, born_after=1965) for _ in range(self.size[kind])]
            self.by_institution[institution] = staff
        return staff


def schedule(matter: Matter, rng: random.Random, staff: Staff) -> None:
    """Dates, case numbers and signing officials for each document of the chain, in order. A laundering
    matter opened on the upstream police's lead starts after the upstream case was filed, so the
    number it cites exists (the upstream matter is scheduled first)."""
    at = matter.end + timedelta(days=rng.randint(20, 120))
    if matter.upstream_matter is not None and "filing_decision" in matter.upstream_matter.dates:
        at = max(at, matter.upstream_matter.dates["filing_decision"])
    for kind in CHAIN:
        if kind not in matter.kinds:
            continue
        at += timedelta(days=rng.randint(15, 120))
        matter.dates[kind] = at
        matter.numbers[kind] = case_number(rng, kind, matter.region, at.year, matter.district)
    if "judgment" in matter.kinds:  # 审判长, 审判员, 书记员 of the court that tried it
        matter.officials["judgment"] = rng.sample(staff.of(matter.court, "court", matter.region), 3)
    if "indictment" in matter.kinds:  # the prosecutor of the procuratorate that indicted
        prosecutors = staff.of(procuratorate_name(matter.district), "procuratorate", matter.region)
        matter.officials["indictment"] = rng.sample(prosecutors, 1)
    if "str_report" in matter.kinds:
        assert matter.ring is not None
        matter.dates["str_report"] = matter.end + timedelta(days=rng.randint(3, 20))
        # The reporting branch is the one that holds the flow's hub account; its own officer signs.
        matter.str_flow = rng.randrange(len(matter.ring.flows))
        flow = matter.ring.flows[matter.str_flow]
        hub = flow.txs[0].dst if flow.typology == "fan_in" else flow.txs[0].src
        assert hub is not None
        branch = staff.world.org(hub.branch)
        matter.officials["str_report"] = rng.sample(staff.of(branch.name, "bank", branch.region), 1)


def _amount(transfers: list[Tx], rng: random.Random) -> int:
    total = sum(t.cents for t in transfers)
    return max(total, rng.randint(50, 3000) * 10_000 * 100)


def ring_matters(world: World, rng: random.Random, ring: Ring, first_id: int,
                 full_chain: bool = False) -> list[Matter]:
    home = ring.controller.region
    away = "SC" if home == "CQ" else "CQ"
    txs = [t for f in ring.flows for t in f.txs]
    span = sorted(t.at.date() for t in txs)
    victims = [world.add_person(rng.choice(("CQ", "SC"))) for _ in range(rng.randint(2, 4))]
    witnesses = [world.add_person(home)]
    home_people = [p for p in ring.persons if p.region == home][:2]
    kinds = list(CHAIN)
    if not full_chain:
        kinds = [k for k in kinds if k in ("filing_decision", "indictment") or rng.random() < 0.8]
    main = Matter(
        id=f"M{first_id:05d}", region=home, district=rng.choice(BY_REGION[home]),
        charge=rng.choice(("非法吸收公众存款罪", "非法吸收公众存款罪", "集资诈骗罪")),
        suspects=[ring.controller, *home_people], companies=ring.companies, victims=victims,
        witnesses=witnesses, transfers=rng.sample(txs, min(len(txs), 4)),
        total_cents=_amount(txs, rng), victim_count=rng.randint(80, 2000),
        start=span[0] - timedelta(days=rng.randint(60, 300)), end=span[-1],
        kinds=[*kinds, "str_report"], ring=ring,
    )
    away_mules = [p for p in ring.mules if p.region == away] or ring.mules[:2]
    away_people = [p for p in ring.persons if p.region == away]
    launder = Matter(
        id=f"M{first_id + 1:05d}", region=away, district=rng.choice(BY_REGION[away]),
        charge=rng.choice(("洗钱罪", "帮助信息网络犯罪活动罪", "掩饰、隐瞒犯罪所得罪")),
        suspects=[*away_mules[:3], *away_people[:1]],
        companies=[c for c in ring.companies if c.region == away],
        victims=[], witnesses=[], transfers=rng.sample(txs, min(len(txs), 3)),
        total_cents=sum(t.cents for t in txs[:6]), victim_count=0,
        start=span[0], end=span[-1], ring=ring, upstream=ring.controller, upstream_matter=main,
        kinds=["filing_decision", "prosecution_recommendation", "indictment"]
        + (["judgment"] if full_chain or rng.random() < 0.6 else []),
    )
    if full_chain or rng.random() < 0.7:
        launder.kinds.insert(0, "risk_alert")
    return [main, launder]


BACKGROUND_CHARGES: Final[tuple[str, ...]] = (
    "诈骗罪", "诈骗罪", "帮助信息网络犯罪活动罪", "非法吸收公众存款罪", "集资诈骗罪", "掩饰、隐瞒犯罪所得罪",
)


def background_matter(world: World, rng: random.Random, mid: int, people: list[Person],
                      victims: list[Person], company: Organization | None) -> Matter:
    region = people[0].region
    start = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
    end = start + timedelta(days=rng.randint(20, 400))
    transfers: list[Tx] = []
    for v in victims[:2]:
        at = start + timedelta(days=rng.randint(0, max(1, (end - start).days)))
        from datetime import datetime

        when = datetime(at.year, at.month, at.day, rng.randint(8, 22), rng.randint(0, 59))
        dst = (company.accounts[0] if company else people[0].accounts[0])
        transfers.append(Tx("", when, v.accounts[0], dst, rng.randint(2, 300) * 1000 * 100, "转账"))
    kinds = [k for k in ("filing_decision", "prosecution_recommendation", "indictment", "judgment")
             if rng.random() < 0.75]
    if company is not None and rng.random() < 0.6:
        kinds.insert(0, "penalty_decision")
    if not kinds:
        kinds = ["filing_decision"]
    charge = rng.choice(BACKGROUND_CHARGES)
    return Matter(
        id=f"M{mid:05d}", region=region, district=rng.choice(BY_REGION[region]), charge=charge,
        suspects=people, companies=[company] if company else [], victims=victims, witnesses=[],
        transfers=transfers, total_cents=sum(t.cents for t in transfers) + rng.randint(1, 90) * 10_000 * 100,
        victim_count=len(victims) + rng.randint(0, 40), start=start, end=end, kinds=kinds,
    )
