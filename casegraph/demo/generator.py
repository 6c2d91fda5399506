"""Builds a whole corpus: population, rings, decoys, matters, documents, ledgers, truth."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import tpl_court, tpl_police, tpl_prosecution, tpl_regulator
from .agencies import AGENCIES, court_for, police_issuer, procuratorate_name
from .districts import DISTRICTS
from .flows import Tx, TxIds
from .ledgers import BANK_LAYOUT, Statement, background, index_by_account
from .matters import Matter, Staff, background_matter, ring_matters, schedule
from .phrases import DocWriter
from .rings import Decoy, Ring, build_decoys, build_ring
from .scales import Scale
from .world import Account, Person, World

GENERATOR_VERSION = "1.0"
WINDOW_START = datetime(2022, 1, 1)
WINDOW_DAYS = 730
RENDERERS: dict[str, Callable[[DocWriter, Matter, str], None]] = {
    "filing_decision": tpl_police.filing_decision,
    "prosecution_recommendation": tpl_police.prosecution_recommendation,
    "indictment": tpl_prosecution.indictment,
    "judgment": tpl_court.judgment,
    "penalty_decision": tpl_regulator.penalty_decision,
    "risk_alert": tpl_regulator.risk_alert,
    "str_report": tpl_regulator.str_report,
}
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class PlannedDoc:
    matter: Matter
    kind: str
    agency: str
    path: str
    fmt: str
    encoding: str | None = None


@dataclass(slots=True)
class Corpus:
    """Everything decided before files are written."""

    scale: Scale
    seed: int
    world: World
    rings: list[Ring]
    decoys: list[Decoy]
    matters: list[Matter]
    docs: list[PlannedDoc]
    statements: list[Statement]
    txs: list[Tx]
    same_name_pairs: list[tuple[str, str]] = field(default_factory=list)


# Officials drawn per institution: enough that one court's judgments are not all signed by one bench.
STAFF_SIZE = {"court": 5, "procuratorate": 3, "bank": 2}


def _register_agency_orgs(world: World) -> None:
    """Agency and court names are organisations with fixed ids, created up front."""
    for agency in AGENCIES:
        world.agency_org(agency.name, agency.region)
    for d in DISTRICTS:
        world.agency_org(police_issuer(d.region, d), d.region)
        world.agency_org(procuratorate_name(d), d.region)
        world.agency_org(court_for(d).name, d.region)
    world.agency_org("重庆市公安局", "CQ")
    world.agency_org("四川省公安厅", "SC")


def plan(scale: Scale, seed: int) -> Corpus:
    rng = random.Random(seed)
    world = World(rng)
    ids = TxIds(f"{seed % 100:02d}")
    world.add_banks()
    _register_agency_orgs(world)
    staff = Staff(world, rng, STAFF_SIZE)
    ring_people_estimate = scale.rings * 20
    base = max(10, scale.persons - ring_people_estimate - 24)
    if not scale.examples:
        for _ in range(int(base * 0.9)):
            world.add_person()
    companies = [world.add_company() for _ in range(0 if scale.examples else max(4, scale.persons // 12))]
    for company in companies:
        rep = rng.choice(world.persons)
        world.set_control(company, rep, [rep], rep if rng.random() < 0.5 else None)
    decoys = [] if scale.examples else build_decoys(world, rng, ids, scale.persons, WINDOW_START)

    rings: list[Ring] = []
    matters: list[Matter] = []
    for r in range(scale.rings):
        cross = scale.examples or rng.random() < 0.85
        ring = build_ring(world, rng, f"R{r + 1:03d}", ids, cross_region=cross,
                          window_start=WINDOW_START)
        rings.append(ring)
        matters.extend(ring_matters(world, rng, ring, len(matters) + 1, full_chain=scale.examples))
    if scale.examples:
        main, launder = matters
        main.kinds = ["penalty_decision", "filing_decision", "prosecution_recommendation", "indictment",
                      "str_report"]
        launder.kinds = ["risk_alert", "filing_decision", "prosecution_recommendation"]

    # Same name, different people: a namesake of a ring member in the other region.
    pairs: list[tuple[str, str]] = []
    twins: list[Person] = []
    main_matters = [m for m in matters if m.ring is not None and m.upstream is None]
    for k, main_matter in enumerate(main_matters if not scale.examples else []):
        original = rng.choice(main_matter.suspects)  # named in every document of the matter
        other = "SC" if original.region == "CQ" else "CQ"
        # The first namesake is also born the same day: only the resident ID tells the two apart.
        twin = world.add_person(other, name=original.name, gender=original.gender,
                                birth=original.birth if k == 0 else None)
        twins.append(twin)
        pairs.append((original.id, twin.id))
    while len(pairs) < 3 and not scale.examples:
        original = rng.choice(main_matters[0].suspects)
        twin = world.add_person(name=original.name, gender=original.gender)
        twins.append(twin)
        pairs.append((original.id, twin.id))

    # Background cases drawn from the population.
    population = list(world.persons)  # officials are drawn later, per institution (`Staff`)
    family_members = [p for d in decoys if d.kind == "family_phone" for p in d.persons]
    branch_users = [p for d in decoys if d.kind == "shared_branch_address" for p in d.persons[:20]]
    for k in range(scale.background_matters):
        region = rng.choice(("CQ", "SC"))
        local = [p for p in rng.sample(population, min(60, len(population))) if p.region == region]
        people = local[: rng.randint(1, 3)] or population[:1]
        victims = [rng.choice(population) for _ in range(rng.randint(0, 3))]
        if twins and k < len(twins):
            if k % 2:
                people.append(twins[k])
            else:
                victims.insert(0, twins[k])
        if family_members and k % 4 == 0:
            victims.append(rng.choice(family_members))
        if branch_users and k % 3 == 0:
            victims.append(rng.choice(branch_users))
        used = rng.choice(companies) if companies and rng.random() < 0.4 else None
        matters.append(background_matter(world, rng, len(matters) + 1, people, victims, used))

    for m in matters:
        schedule(m, rng, staff)
    while len(world.persons) < scale.persons:
        world.add_person()

    docs = _plan_documents(rng, scale, matters)
    txs, statements = _plan_ledgers(world, rng, ids, scale, rings, decoys, matters)
    for d in docs:
        if d.matter.ring is not None:
            d.matter.ring.agencies.add(d.agency)
    return Corpus(scale, seed, world, rings, decoys, matters, docs, statements, txs, pairs)


def _plan_documents(rng: random.Random, scale: Scale, matters: list[Matter]) -> list[PlannedDoc]:
    docs: list[PlannedDoc] = []
    counters: dict[str, int] = {}
    for m in matters:
        for kind in m.kinds:
            agency = m.holder(kind)
            n = counters[agency] = counters.get(agency, 0) + 1
            docs.append(PlannedDoc(m, kind, agency, f"{agency}/{kind}_{n:06d}", "txt"))
    if scale.examples:
        order = {"indictment": "docx", "prosecution_recommendation": "pdf"}
        seen: set[str] = set()
        for d in docs:
            if d.kind in order and d.kind not in seen:
                d.fmt = order[d.kind]
                seen.add(d.kind)
    else:
        picks = rng.sample(range(len(docs)), min(len(docs), scale.docx + scale.pdf))
        for j, i in enumerate(picks):
            docs[i].fmt = "docx" if j < scale.docx else "pdf"
    txt_docs = [d for d in docs if d.fmt == "txt"]
    for j, d in enumerate(txt_docs):
        roll = rng.random()
        d.encoding = "gb18030" if roll < 0.2 else "utf-8-sig" if roll < 0.3 else "utf-8"
        if scale.examples and j == 0:
            d.encoding = "gb18030"
    for d in docs:
        d.path = f"{d.path}.{d.fmt}"
    return docs


def _plan_ledgers(world: World, rng: random.Random, ids: TxIds, scale: Scale, rings: list[Ring],
                  decoys: list[Decoy], matters: list[Matter]) -> tuple[list[Tx], list[Statement]]:
    txs: list[Tx] = [t for r in rings for f in r.flows for t in f.txs]
    txs += [t for d in decoys for t in d.txs]
    accounts: dict[str, Account] = {}
    for r in rings:
        for f in r.flows:
            for a in f.accounts:
                accounts.setdefault(a.number, a)
    for d in decoys:
        if d.payer is not None:
            accounts.setdefault(d.payer.accounts[0].number, d.payer.accounts[0])
            for a in d.payees[:5]:
                accounts.setdefault(a.number, a)
    per_account = 100 if not scale.examples else 12
    ring_accounts = list(accounts.values())
    all_cards = [a for p in world.persons for a in p.accounts]
    txs += background(all_cards, rng, ids, ring_accounts, per_account // 4, WINDOW_START, WINDOW_DAYS)
    # Add statement accounts until the rows reach the target; each new account's transactions
    # give at least one row each, so the count below is a lower bound and the target is met.
    target_rows = int(scale.persons * scale.rows_per_person)
    rows = sum(len(v) for v in index_by_account(txs, set(accounts)).values())
    cards = [a for a in all_cards if a.number not in accounts]
    rng.shuffle(cards)
    used = 0
    while rows < target_rows and used < len(cards):
        batch = cards[used:used + min(50, (target_rows - rows) // per_account + 1)]
        used += len(batch)
        for a in batch:
            accounts[a.number] = a
        new = background(all_cards, rng, ids, batch, per_account, WINDOW_START, WINDOW_DAYS)
        txs += new
        rows += len(new)
    # Fix the serial numbers of the transfers narrated in background cases.
    for m in matters:
        for t in m.transfers:
            if not t.tx_id:
                t.tx_id = ids.next(t.at)

    statements: list[Statement] = []
    by_bank: dict[str, list[Account]] = {}
    for a in accounts.values():
        by_bank.setdefault(a.bank, []).append(a)
    per_file = 2 if scale.examples else 8
    counters: dict[str, int] = {}
    for bank in sorted(by_bank):
        layout, encoding = BANK_LAYOUT[bank]
        group = by_bank[bank]
        for i in range(0, len(group), per_file):
            chunk = group[i:i + per_file]
            owner_region = world.person(chunk[0].owner).region if chunk[0].owner.startswith("P") \
                else world.org(chunk[0].owner).region
            holder = f"{owner_region.lower()}-{'police' if rng.random() < 0.85 else 'regulator'}"
            n = counters[holder] = counters.get(holder, 0) + 1
            statements.append(Statement(f"{holder}/ledger_{bank}_{n:05d}", bank, layout, encoding, chunk,
                                        "csv", holder))
    if scale.examples:  # keep the one statement that holds the controller's card
        key = rings[0].controller.accounts[0].number
        statements = [s for s in statements if any(a.number == key for a in s.accounts)][:1]
    for s in rng.sample(statements, min(scale.xlsx, len(statements))):
        s.fmt = "xlsx"
    for s in statements:
        s.path = f"{s.path}.{s.fmt}"
    return txs, statements


def statement_numbers(corpus: Corpus) -> set[str]:
    return {a.number for s in corpus.statements for a in s.accounts}


def tx_index(corpus: Corpus) -> dict[str, list[Tx]]:
    return index_by_account(corpus.txs, statement_numbers(corpus))


def noop_progress(stage: str, done: int, total: int) -> None:
    return None


def generate(out: Path, scale: Scale, seed: int, progress: Progress = noop_progress,
             workers: int | None = None) -> dict[str, Any]:
    """Write the corpus under `out` and return summary figures.

    `workers` processes write the files (default one); the bytes written do not depend on it.
    """
    from .output import write_corpus

    progress("plan", 0, 1)
    corpus = plan(scale, seed)
    progress("plan", 1, 1)
    return write_corpus(out, corpus, progress, workers)
