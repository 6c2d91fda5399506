"""Planted rings (the crimes to find) and decoys (the look-alikes not to flag)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .flows import FLOW_TYPOLOGIES, Flow, Tx, TxIds, plant
from .world import Account, Organization, Person, World


@dataclass(slots=True)
class Ring:
    id: str
    controller: Person
    persons: list[Person]
    companies: list[Organization]
    mules: list[Person]
    typologies: list[str]
    flows: list[Flow] = field(default_factory=list)
    shared_phone: str | None = None
    shared_address: str | None = None
    agencies: set[str] = field(default_factory=set)

    @property
    def all_persons(self) -> list[Person]:
        return [self.controller, *self.persons, *self.mules]

    @property
    def regions(self) -> list[str]:
        found = {p.region for p in self.all_persons} | {o.region for o in self.companies}
        return sorted(found)

    def member_keys(self) -> list[dict[str, str]]:
        out: dict[str, str] = {}
        for p in self.all_persons:
            out[f"ric:{p.ric}"] = "Person"
        for o in self.companies:
            out[f"uscc:{o.uscc}"] = "Organization"
        for flow in self.flows:
            for acct in flow.accounts:
                out[f"acct:{acct.number}"] = "Account"
        if self.shared_phone:
            out[f"phone:{self.shared_phone}"] = "Phone"
        if self.shared_address:
            out[f"addr:{self.shared_address}"] = "Address"
        return [{"key": k, "type": v} for k, v in out.items()]

    def as_truth(self) -> dict[str, Any]:
        return {
            "id": self.id, "typologies": self.typologies, "regions": self.regions,
            "agencies": sorted(self.agencies), "members": self.member_keys(),
            "controller": self.controller.id,
            "flows": [{"typology": f.typology, "tx_ids": [t.tx_id for t in f.txs]} for f in self.flows],
        }


@dataclass(slots=True)
class Decoy:
    id: str
    kind: str
    members: list[dict[str, str]]
    persons: list[Person] = field(default_factory=list)
    address: str | None = None
    phone: str | None = None
    payer: Organization | None = None
    payees: list[Account] = field(default_factory=list)
    txs: list[Tx] = field(default_factory=list)

    def as_truth(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "members": self.members}


def build_ring(world: World, rng: random.Random, ring_id: str, ids: TxIds, cross_region: bool,
               window_start: datetime) -> Ring:
    home = "CQ" if rng.random() < 0.5 else "SC"
    away = "SC" if home == "CQ" else "CQ"
    controller = world.add_person(home, born_after=1960)
    n_companies = rng.randint(2, 4)
    companies = []
    for k in range(n_companies):
        region = away if cross_region and k % 2 == 1 else home
        kind = "platform" if k == 0 and rng.random() < 0.5 else "company"
        companies.append(world.add_company(region, kind))
    persons: list[Person] = []
    for k, company in enumerate(companies):
        # Nominee legal representatives (挂名法人), the controller's own company aside.
        if k == 0:
            world.set_control(company, controller, [controller], controller)
            continue
        nominee = world.add_person(company.region)
        persons.append(nominee)
        world.set_control(company, nominee, [nominee, controller] if rng.random() < 0.6 else [nominee],
                          controller)
    for _ in range(rng.randint(1, 2)):  # finance staff, one per region where possible
        region = away if cross_region and rng.random() < 0.5 else home
        persons.append(world.add_person(region))
    mules = [world.add_person(away if cross_region and k % 2 == 0 else home)
             for k in range(rng.randint(4, 7))]
    ring = Ring(ring_id, controller, persons, companies, mules, [])

    # Shared identifiers: a nominee uses the controller's phone, a company sits at a member's home.
    ring.shared_phone = controller.phones[0]
    persons[0].phones.insert(0, controller.phones[0])
    mules[0].phones.append(controller.phones[0])
    ring.shared_address = persons[0].address
    companies[-1].address = persons[0].address
    typologies = ["shared_identifier"]
    if len(companies) >= 2:
        typologies.append("control_network")

    accounts: list[Account] = [a for c in companies for a in c.accounts[:1]]
    accounts += [p.accounts[0] for p in [controller, *persons, *mules]]
    chosen = rng.sample(FLOW_TYPOLOGIES, rng.randint(2, 3))
    at = window_start + timedelta(days=rng.randint(0, 500), hours=rng.randint(8, 20))
    for typology in chosen:
        pool = accounts[:]
        rng.shuffle(pool)
        if typology in ("fan_in", "fan_out", "pass_through", "gather_scatter"):
            hub = companies[0].accounts[0] if typology != "pass_through" else mules[0].accounts[0]
            pool = [hub, *[a for a in pool if a is not hub]]
        size = rng.randint(3, 6) if typology == "cycle" else rng.randint(6, min(10, len(pool)))
        own = controller.accounts[0]
        if not ring.flows and own not in pool[:size]:  # the controller's card carries money too
            pool.remove(own)
            pool.insert(1, own)
        ring.flows.append(plant(rng, typology, pool[:size], at, ids))
        at += timedelta(days=rng.randint(5, 40))
        typologies.append(typology)
    ring.typologies = typologies
    return ring


def build_decoys(world: World, rng: random.Random, ids: TxIds, scale_persons: int,
                 window_start: datetime) -> list[Decoy]:
    """A bank branch address used by many, families on one phone, companies paying salaries."""
    decoys: list[Decoy] = []
    n = max(1, scale_persons // 2000)
    # 1. Branch addresses: people give the branch where they opened the card as their address.
    branch_orgs = [o for o in world.orgs if o.kind == "bank"]
    for k in range(min(n, 3)):
        branch = branch_orgs[k * 3 % len(branch_orgs)]
        assert branch.address is not None
        users = [p for p in world.persons if p.region == branch.region]
        rng.shuffle(users)
        users = users[: max(8, min(300, len(users) // 3))]
        for p in users:
            p.extra_addresses.append(branch.address)
        members = [{"key": f"addr:{branch.address}", "type": "Address"}]
        members += [{"key": f"ric:{p.ric}", "type": "Person"} for p in users]
        decoys.append(Decoy(f"D{len(decoys) + 1:03d}", "shared_branch_address", members,
                            persons=users, address=branch.address))
    # 2. Families: parents and grown children registered on one phone.
    for _ in range(max(2, n)):
        head = world.add_person()
        family_name = head.name[0]
        family = [head] + [world.add_person(head.region, name=family_name + world.rng.choice("伟芳敏强丽军"))
                           for _ in range(rng.randint(2, 3))]
        for p in family[1:]:
            p.address = head.address
            p.phones.insert(0, head.phones[0])
        members = [{"key": f"phone:{head.phones[0]}", "type": "Phone"}]
        members += [{"key": f"ric:{p.ric}", "type": "Person"} for p in family]
        decoys.append(Decoy(f"D{len(decoys) + 1:03d}", "family_phone", members, persons=family,
                            phone=head.phones[0]))
    # 3. Payroll: one account pays many on the same day each month: a fan-out that is not one.
    for _ in range(max(1, n)):
        payer = world.add_company()
        staff = [world.add_person(payer.region) for _ in range(rng.randint(10, 25))]
        payees = [p.accounts[0] for p in staff]
        decoy = Decoy(f"D{len(decoys) + 1:03d}", "salary_payments", [], persons=staff, payer=payer,
                      payees=payees)
        base = {p.id: rng.randint(3500, 15000) * 100 for p in staff}
        month = window_start
        for _ in range(12):
            payday = month.replace(day=10, hour=9, minute=rng.randint(0, 30))
            for p, acct in zip(staff, payees, strict=True):
                at = payday + timedelta(seconds=rng.randint(0, 600))
                decoy.txs.append(Tx(ids.next(at), at, payer.accounts[0], acct, base[p.id], "代发工资"))
            month = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
        decoy.members = [{"key": f"uscc:{payer.uscc}", "type": "Organization"},
                         {"key": f"acct:{payer.accounts[0].number}", "type": "Account"}]
        decoy.members += [{"key": f"acct:{a.number}", "type": "Account"} for a in payees]
        decoys.append(decoy)
    return decoys
