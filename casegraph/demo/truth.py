"""The ground-truth file shared by the generator and every evaluation (see DESIGN and issue 3)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .agencies import AGENCIES, court_for
from .districts import DISTRICTS
from .generator import Corpus


def build_truth(corpus: Corpus, entries: list[dict[str, Any]], ledgers: list[dict[str, Any]],
                broken: list[dict[str, Any]]) -> dict[str, Any]:
    world = corpus.world
    forms: dict[str, dict[str, None]] = defaultdict(dict)
    invalid: list[dict[str, str]] = []
    for e in entries:
        for m in e["mentions"]:
            if (m["entity"] and m["type"] == "PERSON") or (m["entity"] and m["type"] == "ORG"):
                forms[m["entity"]][m["text"]] = None
        invalid.extend(e.pop("invalid"))
    ledger_docs = [
        {"path": led["path"], "agency": led["agency"], "kind": "ledger", "format": led["format"],
         "encoding": led["encoding"], "case_number": None, "cites": [], "text": "", "mentions": [],
         "relations": [], "rows": led["rows"]}
        for led in ledgers
    ]
    courts = {court_for(d).id: court_for(d) for d in DISTRICTS}
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in world.persons:
        by_name[p.name].append(p.id)
    return {
        "seed": corpus.seed,
        "scale": corpus.scale.name,
        "generator_version": "",
        "agencies": [a.as_truth() for a in AGENCIES] + [c.as_truth() for c in courts.values()],
        "documents": entries + ledger_docs + broken,
        "persons": [
            {"id": p.id, "name": p.name, "written_forms": list(forms.get(p.id, {})), "ric": p.ric,
             "birth_date": p.birth.isoformat(), "gender": p.gender, "region": p.region,
             "phones": p.phones, "accounts": [a.number for a in p.accounts],
             "addresses": [p.address, *p.extra_addresses]}
            for p in world.persons
        ],
        "organizations": [
            {"id": o.id, "name": o.name,
             "short_names": [f for f in forms.get(o.id, {}) if f != o.name]
             or ([o.short_name] if o.short_name else []),
             "uscc": o.uscc, "kind": o.kind, "region": o.region, "legal_rep": o.legal_rep,
             "shareholders": o.shareholders, "controller": o.controller,
             "accounts": [a.number for a in o.accounts], "address": o.address}
            for o in world.orgs
        ],
        "same_name_groups": [ids for ids in by_name.values() if len(ids) > 1],
        "planted_same_name_pairs": [list(p) for p in corpus.same_name_pairs],
        "rings": [r.as_truth() for r in corpus.rings],
        "decoys": [d.as_truth() for d in corpus.decoys],
        "ledgers": ledgers,
        "invalid_identifiers": invalid,
        "accounts": [
            {"number": a.number, "bank": a.bank, "owner": a.owner, "is_card": a.is_card, "branch": a.branch}
            for a in [*(a for p in world.persons for a in p.accounts),
                      *(a for o in world.orgs for a in o.accounts)]
        ],
    }
